/* messages.h: the monitors' one-line messages and whole-buffer writes
 * (messages.c), shared by both targets' monitors and the drop-in. Text is
 * formatted with musl's snprintf, which takes no lock and allocates
 * nothing when it writes into a buffer. */
#ifndef MON_MESSAGES_H
#define MON_MESSAGES_H

#include <stddef.h>

/* Writes all of (data) to (fd), retrying short writes and EINTR. Returns
 * 0, or -1 when (fd) takes no more. */
int mon_write_all(int fd, const void *data, size_t len);

/* Prints "PROG: MSG" on stderr and exits with status 1, from any thread,
 * with nothing else run: for the monitor's own errors. What an hvt guest
 * did wrong goes back to the vCPU loop instead (mon_stop), which tells the
 * modules (on_fault). */
_Noreturn void mon_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* (fmt) formatted, written whole to (fd) with write(2), as nothing else
 * in the monitor writes (a stdio stream's writev is not in every
 * orchestrator's filter: urunc's lacks it); text beyond 4 KiB is cut. For
 * --help and --version. */
void mon_print(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "PROG: MSG" on stderr. */
void mon_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* PROG: the last component of (argv0), kept in a copy. */
void mon_set_prog_name(const char *argv0);

#endif /* MON_MESSAGES_H */
