/* kernel.h: private interface between the parts of the guest kernel.
 * Applications never include it: their interface is solo5.h. */
#ifndef TG_KERNEL_H
#define TG_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvt_abi.h"
#include "mft_abi.h"
#include "solo5.h"

/* A macro's value as a string literal: TG_STRING(HVT_ABI_VERSION) is "2". */
#define TG_STRING_(x) #x
#define TG_STRING(x) TG_STRING_(x)

#define TG_PAGE_SIZE 4096UL
#define TG_PAGE_ALIGN_UP(x)                                                    \
    (((x) + TG_PAGE_SIZE - 1) & ~(uintptr_t)(TG_PAGE_SIZE - 1))

/* The boot information the monitor left at HVT_BOOT_INFO_BASE. That page
 * is read-only and stays valid for the life of the guest. */
extern const struct hvt_boot_info *tg_boot_info;

/* Symbols of hvt.ld: only their addresses mean something. */
extern char _stext[], _end[];
extern char tg_stack_bottom[], tg_stack_top[];

/* Hypercall (docs/hvt-abi.md §5.1): a 4-byte OUT to 0x500 + nr carrying the low
 * 32 bits of the argument's address. The monitor handles it before the
 * vCPU resumes, so the "memory" clobber is the only barrier needed. */
static inline void tg_hypercall(enum hvt_hypercall nr, volatile void *arg)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"((uint32_t)(uintptr_t)arg),
                           "d"((uint16_t)(HVT_HYPERCALL_PIO_BASE + nr))
                         : "memory");
}

/* A guest address as the ABI's structures carry it. */
static inline hvt_gpa_t tg_gpa(const volatile void *p)
{
    return (hvt_gpa_t)(uintptr_t)p;
}

/* Log levels of the --solo5: command-line words (docs/hvt-abi.md §4.2). */
enum tg_log_level {
    TG_LOG_ERROR = 0, /* --solo5:quiet and --solo5:error */
    TG_LOG_WARN,
    TG_LOG_INFO, /* the default */
    TG_LOG_DEBUG,
};

/* console.c: the console and the log. */
void tg_console_puts(const char *s);
void tg_log_set_level(enum tg_log_level level);
bool tg_log_enabled(enum tg_log_level level);
void tg_log(enum tg_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* cmdline.c: strips leading --solo5:LEVEL words, setting the log level;
 * returns the rest of (cmdline). */
const char *tg_cmdline_parse(const char *cmdline);

/* exit.c: leaving the guest. (cookie) is NULL or a trap frame in Solo5's
 * layout {cr2, ec, rip, cs, rflags, rsp, ss}, which a dumpcore module reads. */
__attribute__((noreturn)) void tg_halt(int status, void *cookie);
__attribute__((noreturn)) void tg_abort(const char *file, int line,
                                        const char *msg, void *cookie);
/* The file's base name, as Solo5's abort messages give it ("FILE:LINE"). */
#ifdef __FILE_NAME__
#define TG_FILE __FILE_NAME__
#else
#define TG_FILE __FILE__
#endif
#define TG_PANIC(msg, cookie) tg_abort(TG_FILE, __LINE__, (msg), (cookie))

/* block.c: the device behind a block request of (size) bytes at (offset)
 * if it is well-formed: exactly one block (Solo5's rule) or, with (multi),
 * any non-zero number of whole blocks (solo5_ext.c); else NULL. The
 * monitor checks the range against the capacity. */
const struct mft_entry *tg_block_request(solo5_handle_t handle,
                                         solo5_off_t offset, size_t size,
                                         bool multi);

/* One block hypercall: BLOCK_WRITE, BLOCK_READ or tender-gen's multi-block
 * pair, whose argument structs all have BLOCK_WRITE's layout (hvt_abi.h). */
static inline solo5_result_t tg_block_hypercall(enum hvt_hypercall nr,
                                                solo5_handle_t handle,
                                                solo5_off_t offset,
                                                const void *buf, size_t size)
{
    volatile struct hvt_hc_block_write rq;

    rq.handle = handle;
    rq.offset = offset;
    rq.data = tg_gpa(buf);
    rq.len = size;
    rq.ret = HVT_EUNSPEC;
    tg_hypercall(nr, &rq);
    return (solo5_result_t)rq.ret;
}

/* clock.c: the TSC clock, set up from the TSC frequency in Hz. */
void tg_clock_init(uint64_t cpu_cycle_freq);

/* mft.c: the monitor's copy of the manifest. The device with handle h is
 * entry h; both return NULL when there is no such device of (type). */
const struct mft_entry *tg_mft_by_name(const char *name, uint32_t type,
                                       solo5_handle_t *handle);
const struct mft_entry *tg_mft_by_handle(solo5_handle_t handle, uint32_t type);

/* net.c: the devices whose frames a batched ring read already brought in
 * (solo5_yield reports them ready without asking the monitor). */
solo5_handle_set_t tg_net_pending(void);

/* trap.c: called by the trap entry code in boot.S; never returns. */
struct tg_trap_frame;
void tg_trap(uint64_t vector, struct tg_trap_frame *frame);

/* start.c: the C entry point, called by _start on the kernel stack. */
__attribute__((noreturn)) void tg_start(const struct hvt_boot_info *bi);

#endif /* TG_KERNEL_H */
