/* hvt.h: private interface between the parts of the hvt platform layer. */
#ifndef TG_HVT_H
#define TG_HVT_H

#include "hvt_abi.h"
#include "kernel.h"

/* The boot information the monitor left at HVT_BOOT_INFO_BASE. That page
 * is read-only and stays valid for the life of the guest. */
extern const struct hvt_boot_info *tg_boot_info;

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

/* net.c: the devices whose frames a batched ring read already brought in
 * (solo5_yield reports them ready without asking the monitor). */
solo5_handle_set_t tg_net_pending(void);

/* trap.c: called by the trap entry code in boot.S; never returns. */
struct tg_trap_frame;
void tg_trap(uint64_t vector, struct tg_trap_frame *frame);

/* start.c: the C entry point, called by _start on the kernel stack. */
__attribute__((noreturn)) void tg_start(const struct hvt_boot_info *bi);

#endif /* TG_HVT_H */
