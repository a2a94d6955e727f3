/* clock.c: monotonic time from the TSC, wall time and yield from the
 * monitor.
 *
 * Integer arithmetic only: on some hosts any x87 or SSE arithmetic kills
 * the guest (docs/hvt-abi.md §9). Monotonic time is the TSC scaled by a 32.32
 * fixed-point factor computed once; reading it causes no VM exit. Like
 * Solo5's, it counts from the TSC's origin, not from boot. */
#include "hvt.h"

#define NSEC_PER_SEC 1000000000ULL

/* Nanoseconds per TSC tick, times 2^32. */
static uint64_t ns_per_tick_32;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

void tg_clock_init(uint64_t cpu_cycle_freq)
{
    /* 10^9 * 2^32 fits in 64 bits; rounding to nearest keeps the error
     * below 1 ns per second for any TSC up to tens of GHz. */
    if (cpu_cycle_freq == 0)
        TG_PANIC("TSC frequency is 0", NULL);
    ns_per_tick_32 =
        ((NSEC_PER_SEC << 32) + cpu_cycle_freq / 2) / cpu_cycle_freq;
}

solo5_time_t solo5_clock_monotonic(void)
{
    /* A 64x64->128 multiply: one mul instruction, no library call. */
    return (solo5_time_t)(((unsigned __int128)rdtsc() * ns_per_tick_32) >> 32);
}

solo5_time_t solo5_clock_wall(void)
{
    volatile struct hvt_hc_walltime walltime;

    tg_hypercall(HVT_HYPERCALL_WALLTIME, &walltime);
    return walltime.nsecs;
}

/* net.c's when the guest uses the network. This weak default keeps net.c,
 * and its frame buffers, out of guests that do not. */
__attribute__((weak)) solo5_handle_set_t tg_net_pending(void)
{
    return 0;
}

void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set)
{
    volatile struct hvt_hc_poll poll;
    solo5_time_t now = solo5_clock_monotonic();
    solo5_handle_set_t pending = tg_net_pending();

    /* Frames already received: nothing to wait for. */
    if (pending != 0) {
        if (ready_set != NULL)
            *ready_set = pending;
        return;
    }
    poll.timeout_nsecs = deadline > now ? deadline - now : 0;
    poll.ready_set = 0;
    poll.ret = 0;
    tg_hypercall(HVT_HYPERCALL_POLL, &poll);
    if (ready_set != NULL)
        *ready_set = poll.ready_set;
}
