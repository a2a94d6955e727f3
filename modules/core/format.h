/* format.h: the monitors' own formatter, a whole-buffer write and the
 * messages (format.c), shared by both targets' monitors and the drop-in. */
#ifndef MON_FORMAT_H
#define MON_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* The monitor's own vsnprintf and snprintf, for its messages: the
 * conversions d i u x X o s and %, the flag 0, a width and a precision
 * (digits or *), the lengths l, ll and z; no floating point,
 * whose code musl's printf would bring into every monitor. Returns the
 * length the whole text needs; (buf) gets what fits, NUL-terminated. */
size_t mon_vformat(char *buf, size_t size, const char *fmt, va_list ap);
size_t mon_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes all of (data) to (fd), retrying short writes and EINTR. Returns
 * 0, or -1 when (fd) takes no more. */
int mon_write_all(int fd, const void *data, size_t len);

/* messages.c. Prints "PROG: MSG" on stderr and exits with status 1, from any
 * thread, with nothing else run: for the monitor's own errors. What an hvt
 * guest did wrong goes back to the vCPU loop instead (mon_stop), which tells
 * the modules (on_fault). */
_Noreturn void mon_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Prints "PROG: MSG" on stderr. */
void mon_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* PROG: the last component of (argv0), kept in a copy. */
void mon_set_prog_name(const char *argv0);

/* The value of one hex digit, either case, or -1 (MACs, gdb packets). */
int mon_hex_digit(int c);

#endif /* MON_FORMAT_H */
