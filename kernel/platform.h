/* platform.h: what a target's platform layer (hvt/, spt/) gives the shared
 * kernel, and what the shared kernel gives it.
 *
 * A platform is the part of the guest that knows how to reach its monitor:
 * hypercalls on hvt, Linux system calls on spt. Everything above it (the
 * Solo5 API's argument checks, the manifest, the command line, the log,
 * TLS blocks, the stack protector, the libc) is shared. */
#ifndef TG_PLATFORM_H
#define TG_PLATFORM_H

/* The platform's target.h: TG_TARGET_ABI, its name and ABI version as the
 * boot banner gives them ("hvt ABI 2"). */
#include "target.h"

/* What the platform's entry code found in its boot information. */
struct tg_boot {
    uint64_t mem_size;     /* guest memory, in bytes from address 0 */
    const char *cmdline;   /* the command line, NUL-terminated */
    const struct mft *mft; /* the monitor's copy of the manifest */
};

/* start.c: the shared half of the boot, called by the platform's entry
 * once its own state is set up. Runs the application and exits. */
__attribute__((noreturn)) void tg_kernel_start(const struct tg_boot *boot);

/* The platform provides these Solo5 API functions as they are declared in
 * solo5.h and solo5_ext.h:
 *   solo5_console_write, solo5_clock_monotonic, solo5_clock_wall,
 *   solo5_yield, solo5_set_tls_base, solo5_block_read, solo5_block_write,
 *   solo5_ext_features, solo5_ext_net_policy
 * (the block calls use tg_block_request() for their checks), and the
 * following. */

/* Ends the guest with (status). (cookie) is NULL or a trap frame in
 * Solo5's layout {cr2, ec, rip, cs, rflags, rsp, ss}, which a dumpcore
 * module reads. */
__attribute__((noreturn)) void tg_halt(int status, void *cookie);

/* One frame to or from the network device (e) with handle (handle); netdev.c
 * has checked the handle and the size against the device's MTU. */
solo5_result_t tg_net_write(solo5_handle_t handle, const struct mft_entry *e,
                            const uint8_t *buf, size_t size);
solo5_result_t tg_net_read(solo5_handle_t handle, const struct mft_entry *e,
                           uint8_t *buf, size_t size, size_t *read_size);

/* A multi-block request that block.c has checked, carried out by the
 * monitor in one call when it offers that: then true, with its result in
 * *r. False when the platform has no such call (block.c then makes one
 * Solo5 call a block). */
bool tg_block_multi(bool write, solo5_handle_t handle, solo5_off_t offset,
                    const void *buf, size_t size, solo5_result_t *r);

#endif /* TG_PLATFORM_H */
