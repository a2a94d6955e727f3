/* format.c: the monitors' own formatter (no musl printf, whose floating
 * point code would come into every monitor) and a whole-buffer write, for
 * both targets' monitors and the drop-in. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "format.h"

/* The formatter's output: what fits in (buf), and the length it needed. */
struct mon_out {
    char *buf;
    size_t size, len;
};

/* One conversion's padding (' ', or '0' for the flag 0), width and
 * precision (-1: none). */
struct mon_spec {
    char pad;
    int width, prec;
};

static void put(struct mon_out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_field(struct mon_out *o, const char *s, size_t n,
                      const struct mon_spec *sp)
{
    for (size_t i = n; sp->width > 0 && i < (size_t)sp->width; i++)
        put(o, sp->pad);
    for (size_t i = 0; i < n; i++)
        put(o, s[i]);
}

static void put_number(struct mon_out *o, unsigned long long v, int neg,
                       unsigned base, int upper, struct mon_spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0;

    do
        tmp[sizeof(tmp) - ++n] = digits[v % base];
    while ((v /= base) != 0);
    if (neg && sp->pad == '0') {
        put(o, '-'); /* the sign goes before the zeros */
        sp->width--;
    } else if (neg) {
        tmp[sizeof(tmp) - ++n] = '-';
    }
    put_field(o, tmp + sizeof(tmp) - n, n, sp);
}

/* A width or precision: digits, or '*' for an int argument. */
static int spec_number(const char **p, va_list *ap)
{
    int v = 0;

    if (**p == '*') {
        (*p)++;
        return va_arg(*ap, int);
    }
    while (**p >= '0' && **p <= '9')
        v = v * 10 + *(*p)++ - '0';
    return v;
}

/* One conversion, (*p) at its letter after the length modifiers (longs):
 * 0 for int, 1 for l and z, 2 for ll. */
static void convert(struct mon_out *o, char c, int longs, struct mon_spec *sp,
                    va_list *ap)
{
    unsigned long long u;
    long long d;

    switch (c) {
    case 'd':
    case 'i':
        d = longs == 2 ? va_arg(*ap, long long)
            : longs    ? va_arg(*ap, long)
                       : va_arg(*ap, int);
        put_number(o,
                   d < 0 ? 0ULL - (unsigned long long)d : (unsigned long long)d,
                   d < 0, 10, 0, sp);
        return;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        u = longs == 2 ? va_arg(*ap, unsigned long long)
            : longs    ? va_arg(*ap, unsigned long)
                       : va_arg(*ap, unsigned);
        put_number(o, u, 0, c == 'u' ? 10 : c == 'o' ? 8 : 16, c == 'X', sp);
        return;
    case 's': {
        const char *s = va_arg(*ap, const char *);
        s = s ? s : "(null)";
        size_t n = strnlen(s, sp->prec < 0 ? (size_t)-1 : (size_t)sp->prec);
        put_field(o, s, n, sp);
        return;
    }
    default: /* '%', and what no message of the monitor uses */
        put(o, c);
    }
}

size_t mon_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct mon_out o = {buf, size, 0};
    va_list args;

    va_copy(args, ap);
    for (const char *p = fmt; *p; p++) {
        struct mon_spec sp = {' ', 0, -1};
        int longs = 0;
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        if (*++p == '0')
            sp.pad = '0';
        sp.width = spec_number(&p, &args);
        if (*p == '.' && *++p != 0)
            sp.prec = spec_number(&p, &args);
        for (; *p == 'l' || *p == 'z'; p++)
            longs = *p == 'z' ? 1 : longs + 1;
        if (!*p)
            break;
        convert(&o, *p, longs, &sp, &args);
    }
    va_end(args);
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = 0;
    return o.len;
}

size_t mon_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    size_t n = mon_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int mon_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int mon_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
