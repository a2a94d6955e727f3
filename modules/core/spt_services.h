/* spt_services.h: what the process monitor's core offers its device
 * modules: device options, fixed descriptor numbers, the epoll set. Only
 * monitors with a device module get it (core_services in their
 * descriptors). */
#ifndef SPT_SERVICES_H
#define SPT_SERVICES_H

#include "spt.h"

/* The status flags of (fd) (fcntl F_GETFL), or -1 when it is not open. */
int mon_fd_flags(int fd);

/* Parses "PREFIX:NAME=VALUE" for a device of MFT type (type): 0 when (arg)
 * does not start with "PREFIX:", 1 with *handle and *value set, -1 after
 * printing why when NAME is not such a device or the option is
 * malformed. */
int spt_device_option(struct spt *s, const char *arg, const char *prefix,
                      uint32_t type, unsigned *handle, const char **value);

/* The fixed number of the device at (handle): its type's base + its rank
 * among the manifest's devices of that type. */
int spt_fd_device(const struct spt *s, unsigned handle);

/* Adds (fd) to the guest's epoll set, its events carrying (handle). */
void spt_poll_add(int fd, unsigned handle);

#endif /* SPT_SERVICES_H */
