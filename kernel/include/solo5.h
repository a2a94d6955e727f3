/* solo5.h: the Solo5 public API, as tender-gen's guest kernel provides it.
 *
 * Names, types, constants and semantics follow Solo5's interface
 * (docs/design.md, "The guest side"), so that code written for Solo5 builds
 * against this kernel unchanged. Applications include only this header (and the
 * small libc in kernel/libc/include); everything else in kernel/ is private. */
#ifndef SOLO5_H_INCLUDED
#define SOLO5_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Result of an operation. Applications must not rely on the error values:
 * an implementation may abort instead of returning them. */
typedef enum {
    SOLO5_R_OK = 0,  /* done */
    SOLO5_R_AGAIN,   /* nothing to do now; an identical retry may succeed */
    SOLO5_R_EINVAL,  /* invalid argument */
    SOLO5_R_EUNSPEC, /* failed for an unspecified reason */
} solo5_result_t;

/* What the application gets at start-up. The heap is
 * [heap_start, heap_start + heap_size) and belongs to the application. */
struct solo5_start_info {
    const char *cmdline; /* command line, --solo5: words removed */
    uintptr_t heap_start;
    size_t heap_size;
};

/* Supplied by the application; called once. Returning from it is the same
 * as calling solo5_exit() with the value returned. */
int solo5_app_main(const struct solo5_start_info *info);

/* Exit statuses. Values of SOLO5_EXIT_ABORT and above are reserved. */
#define SOLO5_EXIT_SUCCESS 0
#define SOLO5_EXIT_FAILURE 1
#define SOLO5_EXIT_ABORT 255

/* Ends the unikernel with (status); never returns. */
void solo5_exit(int status) __attribute__((noreturn));

/* Ends the unikernel abnormally (status SOLO5_EXIT_ABORT); never returns. */
void solo5_abort(void) __attribute__((noreturn));

/* Thread-local storage (x86_64: TLS variant II, the thread pointer follows
 * the TLS data and points to itself). */

/* Bytes an application must provide for one TLS block. */
size_t solo5_tls_size(void);

/* The thread pointer for the TLS block at (tls). */
uintptr_t solo5_tls_tp_offset(uintptr_t tls);

/* Fills the TLS block at (tls) from the executable's TLS template and stores
 * the thread pointer's self-reference. SOLO5_R_EINVAL if (tls) is 0. */
solo5_result_t solo5_tls_init(uintptr_t tls);

/* Makes (base) the current thread pointer (x86_64: the FS base). */
solo5_result_t solo5_set_tls_base(uintptr_t base);

/* Time in nanoseconds. */
typedef uint64_t solo5_time_t;

/* Monotonic time since an arbitrary point; never goes backwards. */
solo5_time_t solo5_clock_monotonic(void);

/* Wall-clock time since the Unix epoch (UTC). */
solo5_time_t solo5_clock_wall(void);

/* A device handle; a set of handles is a bit mask, bit h for handle h. */
typedef uint64_t solo5_handle_t;
typedef uint64_t solo5_handle_set_t;

/* Suspends until monotonic time (deadline) or until a network device has
 * data to read, whichever comes first. If (ready_set) is not NULL it
 * receives the handles of the devices that are ready. */
void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set);

/* Writes (size) bytes from (buf) to the console; best effort. */
void solo5_console_write(const char *buf, size_t size);

/* Network devices. */
#define SOLO5_NET_ALEN 6  /* Ethernet address length */
#define SOLO5_NET_HLEN 14 /* Ethernet header length */

struct solo5_net_info {
    uint8_t mac_address[SOLO5_NET_ALEN];
    size_t mtu; /* excluding the Ethernet header */
};

/* Acquires the network device declared as (name) in the manifest. */
solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
                                 struct solo5_net_info *info);

/* Sends one Ethernet frame (header included) of at most mtu + 14 bytes. */
solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf,
                               size_t size);

/* Receives one Ethernet frame into (buf), which must hold at least
 * mtu + 14 bytes; SOLO5_R_AGAIN when no frame is waiting. */
solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
                              size_t *read_size);

/* Block devices. */
typedef uint64_t solo5_off_t;

struct solo5_block_info {
    solo5_off_t capacity;   /* bytes */
    solo5_off_t block_size; /* the unit of I/O, bytes */
};

/* Acquires the block device declared as (name) in the manifest. */
solo5_result_t solo5_block_acquire(const char *name, solo5_handle_t *handle,
                                   struct solo5_block_info *info);

/* Writes exactly one block at (offset), a multiple of the block size. */
solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset,
                                 const uint8_t *buf, size_t size);

/* Reads exactly one block at (offset), a multiple of the block size. */
solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset,
                                uint8_t *buf, size_t size);

#endif /* SOLO5_H_INCLUDED */
