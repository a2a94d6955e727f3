/* spt_services.c: the process monitor's services to its device modules
 * (see spt_services.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>

#include "device_option.h"
#include "spt_services.h"

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

static const char *type_name(const void *s, uint32_t type)
{
    const struct spt_devtype *t = devtype_of(s, type);
    return t ? t->name : "unknown";
}

int spt_device_option(struct spt *s, const char *arg, const char *prefix,
                      uint32_t type, unsigned *handle, const char **value)
{
    return mft_device_option(s->mft, arg, prefix, type, type_name, s, handle,
                             value);
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

void spt_poll_add(int fd, unsigned handle)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = handle};

    if (epoll_ctl(MON_FD_POLL_EPOLL, EPOLL_CTL_ADD, fd, &ev) < 0)
        mon_fatal("cannot add descriptor %d to the epoll set: %s", fd,
                  strerror(errno));
}
