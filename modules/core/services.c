/* services.c: the core's services to the modules that bind host resources
 * (services.h): device options and descriptors, what a caller's seccomp
 * filter turns off, descriptor flags, counters. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monitor.h"
#include "mon_internal.h"
#include "device_option.h"
#include "services.h"

static const char *type_name(const void *m, uint32_t type)
{
    return mon_type_name(m, type);
}

int mon_device_option(struct mon *m, const char *arg, const char *prefix,
                      uint32_t type, unsigned *handle, const char **value)
{
    return mft_device_option(m->mft, arg, prefix, type, type_name, m, handle,
                             value);
}

int mon_fd_device(const struct mon *m, unsigned handle)
{
    unsigned type = m->mft->e[handle].type, nth = 0;
    const struct mon_devtype *t = mon_devtype(m, handle);

    if (!t)
        mon_fatal("device '%s': no module serves its type (%u)",
                  m->mft->e[handle].name, type);
    for (unsigned h = 1; h <= handle; h++)
        nth += m->mft->e[h].type == type;
    return t->fd_base + (int)nth;
}

int mon_may_use(struct mon *m, const char *what)
{
    static char list[512];

    if (!mon_filtered_already())
        return 1;
    if (what && !strstr(list, what)) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof(list) - len, "%s%s", len ? "; " : "", what);
        m->off_under_filter = list;
    }
    return 0;
}

int mon_fd_flags(int fd)
{
    char path[48], buf[256];

    if (!mon_filtered_already())
        return fcntl(fd, F_GETFL);
    snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
    int info = open(path, O_RDONLY); /* no O_CLOEXEC: musl adds an fcntl */
    ssize_t n = info < 0 ? -1 : read(info, buf, sizeof(buf) - 1);
    if (info >= 0)
        close(info);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    const char *flags = strstr(buf, "\nflags:");
    return flags ? (int)strtol(flags + 7, NULL, 8) : -1;
}

int mon_fd_lift(int fd)
{
    if (mon_filtered_already())
        return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, MON_FD_LAST + 1);
    if (high >= 0)
        close(fd);
    return high;
}

void mon_counter(struct mon *m, const char *name, const uint64_t *value)
{
    if (m->ncounters == MON_MAX_COUNTERS)
        mon_fatal("too many counters (%d)", MON_MAX_COUNTERS);
    m->counters[m->ncounters].name = name;
    m->counters[m->ncounters].value = value;
    m->ncounters++;
}
