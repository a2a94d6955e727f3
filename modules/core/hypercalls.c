/* hypercalls.c: the hypercalls every monitor serves, whatever its devices:
 * the wall clock, poll (wait for a deadline or a readable device) and halt. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "monitor.h"
#include "mon_internal.h"

void mon_hc_walltime(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_walltime *hc = mon_gpa(m, gpa, sizeof(*hc), "WALLTIME");
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    hc->nsecs = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
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

/* Waits until the timeout passes or a registered descriptor is readable;
 * reports the readable ones as handle bits. Readiness is level-triggered:
 * nothing is consumed here. */
void mon_hc_poll(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_poll *hc = mon_gpa(m, gpa, sizeof(*hc), "POLL");
    struct pollfd fds[MON_MAX_POLL];
    struct timespec ts = {
        .tv_sec = (time_t)(hc->timeout_nsecs / 1000000000ULL),
        .tv_nsec = (long)(hc->timeout_nsecs % 1000000000ULL),
    };
    int n;

    for (unsigned i = 0; i < m->npoll; i++)
        fds[i] = (struct pollfd){.fd = m->poll_fds[i], .events = POLLIN};
    do
        n = ppoll(fds, m->npoll, &ts, NULL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        mon_fatal("POLL: ppoll failed: %s", strerror(errno));
    hc->ready_set = 0;
    hc->ret = 0;
    for (unsigned i = 0; i < m->npoll && n > 0; i++)
        if (fds[i].revents & POLLIN) {
            hc->ready_set |= 1ULL << m->poll_handles[i];
            hc->ret++;
        }
}

void mon_hc_halt(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_halt *hc = mon_gpa(m, gpa, sizeof(*hc), "HALT");

    /* A cookie, when given, must be a valid 512-byte range (it is the trap
     * frame dumpcore reads). */
    if (hc->cookie)
        mon_gpa(m, hc->cookie, HVT_HALT_COOKIE_MAX, "HALT cookie");
    m->exit_status = hc->exit_status;
    m->halted = 1;
}
