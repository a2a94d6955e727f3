/* spt_util.c: the process monitor's fixed descriptors and the guest's
 * epoll set and timer. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "spt.h"

int spt_fd_pin(int fd, int target)
{
    if (fd == target)
        return fd;
    /* F_DUPFD takes the lowest free number from (target) up: any other
     * number means (target) is open, and moving onto it would close what
     * it holds, which may be another device's descriptor. */
    int moved = fcntl(fd, F_DUPFD, target);
    if (moved < 0)
        mon_fatal("cannot move descriptor %d to %d: %s", fd, target,
                  strerror(errno));
    if (moved != target)
        mon_fatal("descriptor %d is already open: the monitor needs that "
                  "number for a device",
                  target);
    close(fd);
    return target;
}

void spt_poll_create(void)
{
    struct epoll_event ev = {.events = EPOLLIN,
                             .data.u64 = SPT_INTERNAL_TIMERFD};
    int ep = epoll_create1(0);
    int tfd = ep < 0 ? -1 : timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);

    if (ep < 0 || tfd < 0)
        mon_fatal("cannot create the guest's epoll set and timer: %s",
                  strerror(errno));
    spt_fd_pin(ep, MON_FD_POLL_EPOLL);
    spt_fd_pin(tfd, MON_FD_POLL_TIMER);
    if (epoll_ctl(MON_FD_POLL_EPOLL, EPOLL_CTL_ADD, MON_FD_POLL_TIMER, &ev) < 0)
        mon_fatal("cannot add the timer to the epoll set: %s", strerror(errno));
}
