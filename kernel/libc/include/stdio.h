/* stdio.h: formatted output to the console (the guest's small libc).
 *
 * Conversions: d i u x X o p s c %, flags - 0 + space #, width and
 * precision (also *), length modifiers hh h l ll z j t. No floating point:
 * guest code is built without x87/SSE. printf and puts write to the
 * console. */
#ifndef TG_LIBC_STDIO_H
#define TG_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int printf(const char *restrict fmt, ...)
    __attribute__((format(__printf__, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap)
    __attribute__((format(__printf__, 1, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(__printf__, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap) __attribute__((format(__printf__, 3, 0)));
int puts(const char *s);
int putchar(int c);

#endif /* TG_LIBC_STDIO_H */
