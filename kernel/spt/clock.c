/* clock.c: the spt clocks and yield, from the host's.
 *
 * Monotonic time is the host's CLOCK_MONOTONIC and wall time its
 * CLOCK_REALTIME, both through clock_gettime (the guest has no vDSO).
 * solo5_yield() sets the monitor's timerfd to the deadline, as an absolute
 * CLOCK_MONOTONIC time, and waits on the monitor's epoll set, where each
 * network device's events carry its handle. Integer arithmetic only. */
#include "spt.h"

#define NSEC_PER_SEC 1000000000ULL

static solo5_time_t clock_ns(long id)
{
    struct tg_timespec ts;

    if (tg_syscall3(TG_SYS_clock_gettime, id, (long)&ts, 0) != 0)
        TG_PANIC("clock_gettime failed", NULL);
    return (solo5_time_t)ts.tv_sec * NSEC_PER_SEC + (solo5_time_t)ts.tv_nsec;
}

solo5_time_t solo5_clock_monotonic(void)
{
    return clock_ns(TG_CLOCK_MONOTONIC);
}

solo5_time_t solo5_clock_wall(void)
{
    return clock_ns(TG_CLOCK_REALTIME);
}

/* Arms the timerfd for (deadline). A zero time would disarm it, and the
 * wait below would then never end for a guest without devices. */
static void set_deadline(solo5_time_t deadline)
{
    struct tg_itimerspec it = {{0, 0}, {0, 0}};

    if (deadline == 0)
        deadline = 1;
    it.it_value.tv_sec = (int64_t)(deadline / NSEC_PER_SEC);
    it.it_value.tv_nsec = (int64_t)(deadline % NSEC_PER_SEC);
    if (tg_syscall4(TG_SYS_timerfd_settime, tg_spt_boot_info->timerfd,
                    TG_TFD_TIMER_ABSTIME, (long)&it, 0) != 0)
        TG_PANIC("timerfd_settime failed", NULL);
}

void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set)
{
    /* Room for every device and the timer: one wait reports them all. */
    struct tg_epoll_event ev[MFT_MAX_ENTRIES + 1];
    solo5_handle_set_t ready = 0;
    long n;

    set_deadline(deadline);
    do
        n = tg_syscall6(TG_SYS_epoll_pwait, tg_spt_boot_info->epollfd, (long)ev,
                        MFT_MAX_ENTRIES + 1, -1, 0, 0);
    while (n == -TG_EINTR);
    if (n < 0)
        TG_PANIC("epoll_pwait failed", NULL);
    /* The timer's event carries SPT_INTERNAL_TIMERFD: not a handle. */
    for (long i = 0; i < n; i++)
        if (ev[i].data < MFT_MAX_ENTRIES)
            ready |= 1ULL << ev[i].data;
    if (ready_set != NULL)
        *ready_set = ready;
}
