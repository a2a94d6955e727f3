/* format.h: the monitors' own formatter and a whole-buffer write
 * (format.c), shared by both targets' monitors and the drop-in. */
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

#endif /* MON_FORMAT_H */
