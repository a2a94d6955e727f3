/* line.h: the kernel's fixed messages (the boot banner, the exit line),
 * built piece by piece instead of through printf.
 *
 * On hosts that emulate every guest instruction (docs/hvt-abi.md §9), parsing
 * a format string costs more than the message: a literal piece here is a
 * few moves (its length is a constant), a number a short table loop. */
#ifndef TG_LINE_H
#define TG_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "libc/digits.h"

struct tg_line {
    size_t len;
    char buf[320]; /* the banner, the longest, is under 300 bytes */
};

/* Appends (n) bytes; what does not fit is dropped. */
static inline void tg_line_put(struct tg_line *l, const char *s, size_t n)
{
    if (n <= sizeof(l->buf) - l->len) {
        __builtin_memcpy(l->buf + l->len, s, n);
        l->len += n;
    }
}

/* A string literal, its length known at compile time. */
#define tg_line_lit(l, s) tg_line_put((l), (s), sizeof(s) - 1)

/* (v) in hex with a 0x prefix, as printf's %#lx prints it (but 0x0). */
static inline void tg_line_hex(struct tg_line *l, uint64_t v)
{
    char digits[TG_DIGITS_MAX + 2];
    char *end = digits + sizeof(digits);
    char *p = tg_digits_hex(v, end);

    *--p = 'x';
    *--p = '0';
    tg_line_put(l, p, (size_t)(end - p));
}

/* (v) in decimal, with a minus sign when negative. */
static inline void tg_line_dec(struct tg_line *l, long long v)
{
    char digits[TG_DIGITS_MAX + 1];
    char *end = digits + sizeof(digits);
    unsigned long long u =
        v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char *p = tg_digits_dec(u, end);

    if (v < 0)
        *--p = '-';
    tg_line_put(l, p, (size_t)(end - p));
}

#endif /* TG_LINE_H */
