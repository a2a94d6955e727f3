/* hypercalls.c: the hypercalls every monitor serves, whatever its devices:
 * the wall clock, poll (wait for a deadline or a readable device) and halt. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>

#include "monitor.h"
#include "mon_internal.h"

int mon_hc_walltime(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_walltime hc;
    struct timespec ts;

    if (mon_hc_args(m, gpa, &hc, sizeof(hc), 1, "WALLTIME") < 0)
        return -1;
    clock_gettime(CLOCK_REALTIME, &ts);
    hc.nsecs = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
    return mon_hc_results(m, gpa, &hc, sizeof(hc), 0, "WALLTIME");
}

int mon_poll_add(struct mon *m, int fd, unsigned handle)
{
    if (m->npoll == MON_MAX_POLL)
        return -1;
    m->poll_fds[m->npoll] = fd;
    m->poll_handles[m->npoll] = handle;
    m->npoll++;
    return 0;
}

/* POLL's timer and epoll set: at MON_FD_POLL_TIMER and MON_FD_POLL_EPOLL,
 * where the filter names them, unless a caller's filter left them where
 * they were opened (mon_fd_pin). */
static int mon_poll_timer = -1, mon_poll_epoll = -1;

void mon_poll_init(struct mon *m)
{
    int timer = timerfd_create(CLOCK_MONOTONIC, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0};

    if (timer < 0 || ep < 0)
        mon_fatal("cannot create POLL's timer: %s", strerror(errno));
    mon_poll_timer = mon_fd_pin(timer, MON_FD_POLL_TIMER);
    mon_poll_epoll = mon_fd_pin(ep, MON_FD_POLL_EPOLL);
    /* The timer reports handle 0, which no device has (entry 0 is the
     * manifest's reserved one). */
    if (epoll_ctl(mon_poll_epoll, EPOLL_CTL_ADD, mon_poll_timer, &ev) < 0)
        mon_fatal("cannot set up POLL: %s", strerror(errno));
    for (unsigned i = 0; i < m->npoll; i++) {
        ev.data.u64 = m->poll_handles[i];
        if (epoll_ctl(mon_poll_epoll, EPOLL_CTL_ADD, m->poll_fds[i], &ev) < 0)
            mon_fatal("cannot set up POLL: %s", strerror(errno));
    }
}

/* Waits until the timeout passes or a registered descriptor is readable;
 * reports the readable ones as handle bits. The deadline is a timerfd
 * waited on with the devices, not a timeout of the wait itself: Linux adds
 * timeout/1000 of slack to those, so a guest's 1 s sleep would end 1 ms
 * late. epoll rather than ppoll, because orchestrators' filters (urunc's)
 * allow the one solo5-hvt uses. Readiness is level-triggered: nothing is
 * consumed here. */
int mon_hc_poll(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_poll hc;
    struct epoll_event ev[MON_MAX_POLL + 1];
    int n;

    if (mon_hc_args(m, gpa, &hc, sizeof(hc), 1, "POLL") < 0)
        return -1;
    /* ORed with 1 ns: an all-zero it_value would disarm the timer. */
    uint64_t ns = hc.timeout_nsecs | 1;
    struct itimerspec deadline = {
        .it_value = {.tv_sec = (time_t)(ns / 1000000000ULL),
                     .tv_nsec = (long)(ns % 1000000000ULL)},
    };

    if (timerfd_settime(mon_poll_timer, 0, &deadline, NULL) < 0)
        mon_fatal("POLL: cannot arm the timer: %s", strerror(errno));
    do
        n = epoll_pwait(mon_poll_epoll, ev, MON_MAX_POLL + 1, -1, NULL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        mon_fatal("POLL: epoll_pwait failed: %s", strerror(errno));
    hc.ready_set = 0;
    hc.ret = 0;
    for (int i = 0; i < n; i++)
        if (ev[i].data.u64 != 0) {
            hc.ready_set |= 1ULL << ev[i].data.u64;
            hc.ret++;
        }
    return mon_hc_results(m, gpa, &hc, sizeof(hc),
                          offsetof(struct hvt_hc_poll, ready_set), "POLL");
}

/* HALT's cookie, for the modules' halt hooks (mon_halt_cookie). */
static hvt_gpa_t mon_cookie;

hvt_gpa_t mon_halt_cookie(void)
{
    return mon_cookie;
}

int mon_hc_halt(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_halt hc;

    if (mon_hc_args(m, gpa, &hc, sizeof(hc), 0, "HALT") < 0)
        return -1;
    /* A cookie, when given, must be a valid 512-byte range (it is the trap
     * frame dumpcore reads). */
    if (hc.cookie &&
        !mon_guest_in(m, hc.cookie, HVT_HALT_COOKIE_MAX, "HALT cookie"))
        return -1;
    m->exit_status = hc.exit_status;
    mon_cookie = hc.cookie;
    m->halted = 1;
    return 0;
}
