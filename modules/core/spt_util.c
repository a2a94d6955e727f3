/* spt_util.c: the helpers the process monitor's device
 * modules share: device options, fixed descriptor numbers, the epoll set. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "device_option.h"
#include "spt.h"

int mon_fd_flags(int fd)
{
    return fcntl(fd, F_GETFL);
}

/* The type of the device at (handle) among those tender-gen knows. */
static const struct spt_devtype *devtype_of(const struct spt *s, uint32_t type)
{
    for (size_t t = 0; t < s->cfg->ndevtypes; t++)
        if (s->cfg->devtypes[t].mft_type == type)
            return &s->cfg->devtypes[t];
    return NULL;
}

static const char *type_name(const struct spt *s, uint32_t type)
{
    const struct spt_devtype *t = devtype_of(s, type);
    return t ? t->name : "unknown";
}

static const char *spt_type_name(const void *s, uint32_t type)
{
    return type_name(s, type);
}

int spt_device_option(struct spt *s, const char *arg, const char *prefix,
                      uint32_t type, unsigned *handle, const char **value)
{
    return mft_device_option(s->mft, arg, prefix, type, spt_type_name, s,
                             handle, value);
}

int spt_fd_device(const struct spt *s, unsigned handle)
{
    uint32_t type = s->mft->e[handle].type;
    const struct spt_devtype *t = devtype_of(s, type);
    int nth = 0;

    if (!t)
        mon_fatal("device '%s': no module serves its type (%u)",
                  s->mft->e[handle].name, type);
    for (unsigned h = 1; h <= handle; h++)
        nth += s->mft->e[h].type == type;
    return t->fd_base + nth;
}

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

void spt_poll_add(int fd, unsigned handle)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = handle};

    if (epoll_ctl(MON_FD_POLL_EPOLL, EPOLL_CTL_ADD, fd, &ev) < 0)
        mon_fatal("cannot add descriptor %d to the epoll set: %s", fd,
                  strerror(errno));
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
