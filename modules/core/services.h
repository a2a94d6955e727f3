/* services.h: what the core offers the modules that bind host resources
 * (devices, debuggers, measuring aids) beyond monitor.h: device options,
 * device descriptors, the caller's-filter questions, and counters. Its
 * code (services.c) is in a monitor only when one of its modules says it
 * uses it (core_services in its descriptor). */
#ifndef MON_SERVICES_H
#define MON_SERVICES_H

#include <stdint.h>

#include "monitor.h"

/* The fixed number for the device at (handle): its type's base
 * (tender_fds.h) + its rank among the manifest's devices of that type, so
 * the filter names as many numbers as the shape counts devices. */
int mon_fd_device(const struct mon *m, unsigned handle);

/* Parses a device option "PREFIX:NAME=VALUE" (e.g. prefix "--net"):
 * returns 0 when (arg) does not start with "PREFIX:", 1 with *handle set to
 * the index of device NAME in the guest's manifest and *value to VALUE, or
 * -1 after printing why when NAME is not a device of (type) in the
 * manifest or the option is malformed. */
int mon_device_option(struct mon *m, const char *arg, const char *prefix,
                      uint32_t type, unsigned *handle, const char **value);

/* Whether a module may use (what), a feature that needs system calls a
 * caller's filter may lack (a thread, flock): 1 without such a filter;
 * under one 0, and (what) is named in the one line the sandbox prints. */
int mon_may_use(struct mon *m, const char *what);

/* The status flags of (fd) (fcntl F_GETFL), read through
 * /proc/self/fdinfo under a caller's filter, which may forbid fcntl; -1
 * when they cannot be read. */
int mon_fd_flags(int fd);

/* Moves (fd) above every fixed number and device descriptor
 * (tender_fds.h), so that pinning
 * other descriptors cannot close it, and returns its new number, or -1
 * with errno set; under a caller's filter nothing is pinned and (fd) stays
 * where it is. */
int mon_fd_lift(int fd);

/* Publishes a counter (value) a module keeps, under (name), for the
 * measuring aids (the trace module prints them when the guest halts). */
void mon_counter(struct mon *m, const char *name, const uint64_t *value);

#endif /* MON_SERVICES_H */
