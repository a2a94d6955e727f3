/* printf.c: formatted output (the guest's small libc). See stdio.h for the
 * conversions supported.
 *
 * One formatter writes into a sink: a buffer, flushed to the console when
 * full (printf) or truncated (snprintf).
 *
 * On hosts that emulate every guest instruction (docs/hvt-abi.md §9), each
 * costs about a microsecond, so the common path is kept short: literal
 * text is copied in runs (one string instruction), a plain conversion (%s,
 * %d, %lx, ...) skips the flag/width/precision parser, and integers are
 * written two digits a step (digits.c). */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "digits.h"
#include "solo5.h"

struct sink {
    char *buf;
    size_t cap;   /* bytes buf holds */
    size_t len;   /* bytes in buf */
    size_t total; /* bytes produced, including those that did not fit */
    bool flush;   /* write a full buffer to the console (else drop) */
};

enum {
    F_LEFT = 1 << 0,  /* - */
    F_ZERO = 1 << 1,  /* 0 */
    F_PLUS = 1 << 2,  /* + */
    F_SPACE = 1 << 3, /* space */
    F_ALT = 1 << 4,   /* # */
    F_PTR = 1 << 5,   /* %p: 0x even for 0 */
};

struct spec {
    unsigned flags;
    int width;     /* 0: none */
    int precision; /* -1: none */
    int length;    /* 'H' hh, 'h', 'l', 'L' ll, 'z', 'j', 't', or 0 */
};

static void flush(struct sink *s)
{
    solo5_console_write(s->buf, s->len);
    s->len = 0;
}

/* The slow path of emit(): the buffer fills up on the way. */
static void emit_split(struct sink *s, const char *p, size_t n)
{
    while (n > 0) {
        size_t room;

        if (s->len == s->cap) {
            if (!s->flush)
                return;
            flush(s);
        }
        room = s->cap - s->len;
        if (room > n)
            room = n;
        memcpy(s->buf + s->len, p, room);
        s->len += room;
        p += room;
        n -= room;
    }
}

static inline void emit(struct sink *s, const char *p, size_t n)
{
    s->total += n;
    if (n <= s->cap - s->len) {
        memcpy(s->buf + s->len, p, n);
        s->len += n;
    } else
        emit_split(s, p, n);
}

static void emit_repeat(struct sink *s, char c, int n)
{
    for (; n > 0; n--)
        emit(s, &c, 1);
}

static unsigned flag_bit(char c)
{
    switch (c) {
    case '-':
        return F_LEFT;
    case '0':
        return F_ZERO;
    case '+':
        return F_PLUS;
    case ' ':
        return F_SPACE;
    case '#':
        return F_ALT;
    default:
        return 0;
    }
}

static const char *parse_number(const char *f, int *n, va_list *ap)
{
    if (*f == '*') {
        *n = va_arg(*ap, int);
        return f + 1;
    }
    for (*n = 0; *f >= '0' && *f <= '9'; f++)
        *n = *n * 10 + (*f - '0');
    return f;
}

/* Parses flags, width, precision and length after a '%'. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    unsigned bit;

    for (sp->flags = 0; (bit = flag_bit(*f)) != 0; f++)
        sp->flags |= bit;
    f = parse_number(f, &sp->width, ap);
    if (sp->width < 0) {
        sp->flags |= F_LEFT;
        sp->width = -sp->width;
    }
    sp->precision = -1;
    if (*f == '.')
        f = parse_number(f + 1, &sp->precision, ap);
    sp->length = 0;
    if (*f == 'h' || *f == 'l' || *f == 'z' || *f == 'j' || *f == 't') {
        sp->length = *f++;
        if ((sp->length == 'h' || sp->length == 'l') && *f == sp->length) {
            sp->length = sp->length == 'h' ? 'H' : 'L';
            f++;
        }
    }
    return f;
}

static unsigned long long unsigned_arg(int length, va_list *ap)
{
    switch (length) {
    case 'H':
        return (unsigned char)va_arg(*ap, unsigned);
    case 'h':
        return (unsigned short)va_arg(*ap, unsigned);
    case 'l':
        return va_arg(*ap, unsigned long);
    case 'L':
        return va_arg(*ap, unsigned long long);
    case 'z':
        return va_arg(*ap, size_t);
    case 'j':
        return va_arg(*ap, uintmax_t);
    case 't':
        return (unsigned long long)va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, unsigned);
    }
}

static long long signed_arg(int length, va_list *ap)
{
    switch (length) {
    case 'H':
        return (signed char)va_arg(*ap, int);
    case 'h':
        return (short)va_arg(*ap, int);
    case 'l':
        return va_arg(*ap, long);
    case 'L':
        return va_arg(*ap, long long);
    case 'z':
        return (long long)va_arg(*ap, size_t);
    case 'j':
        return va_arg(*ap, intmax_t);
    case 't':
        return va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

/* Writes (v) in (base) backwards, ending at (end); returns the start.
 * Decimal and lower-case hex, the common ones, go two digits a step from
 * the tables; the rare ones one digit a step. */
static char *to_digits(unsigned long long v, unsigned base, bool upper,
                       char *end)
{
    char *p = end;

    if (base == 10)
        return tg_digits_dec(v, end);
    if (base == 16 && !upper)
        return tg_digits_hex(v, end);
    if (base == 16) {
        do {
            *--p = "0123456789ABCDEF"[v & 15];
        } while ((v >>= 4) != 0);
        return p;
    }
    do {
        *--p = (char)('0' + (v & 7));
    } while ((v >>= 3) != 0);
    return p;
}

/* Emits an integer: sign or prefix, then zeros for the precision or the
 * 0 flag, then the digits, padded to the width. */
static void emit_integer(struct sink *s, const struct spec *sp,
                         unsigned long long v, bool negative, unsigned base,
                         bool upper)
{
    char digits_buf[24]; /* 22 octal digits for 64 bits, the most */
    char *end = digits_buf + sizeof digits_buf;
    char *digits = to_digits(v, base, upper, end);
    int ndigits = (int)(end - digits);
    const char *prefix = "";
    int zeros = 0, plen = 0, width;

    /* The common case (plain %d, %x, %lu...) skips the bookkeeping. */
    if (!negative && sp->flags == 0 && sp->width == 0 && sp->precision < 0) {
        emit(s, digits, (size_t)ndigits);
        return;
    }
    if (sp->precision == 0 && v == 0)
        ndigits = 0;
    if (negative || (sp->flags & (F_PLUS | F_SPACE))) {
        prefix = negative ? "-" : (sp->flags & F_PLUS) ? "+" : " ";
        plen = 1;
    }
    if ((sp->flags & F_ALT) && (v != 0 || (sp->flags & F_PTR)) && base == 16) {
        prefix = upper ? "0X" : "0x";
        plen = 2;
    }
    if ((sp->flags & F_ALT) && base == 8 && v != 0 && sp->precision <= ndigits)
        zeros = 1;
    if (sp->precision > ndigits)
        zeros = sp->precision - ndigits;
    width = plen + zeros + ndigits;
    if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->precision < 0 &&
        sp->width > width) {
        zeros += sp->width - width;
        width = sp->width;
    }
    if (!(sp->flags & F_LEFT))
        emit_repeat(s, ' ', sp->width - width);
    emit(s, prefix, (size_t)plen);
    emit_repeat(s, '0', zeros);
    emit(s, digits, (size_t)ndigits);
    if (sp->flags & F_LEFT)
        emit_repeat(s, ' ', sp->width - width);
}

/* Emits (n) bytes of (str) padded to the width. */
static void emit_padded(struct sink *s, const struct spec *sp, const char *str,
                        size_t n)
{
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;

    if (pad == 0) { /* the common case, without the padding calls */
        emit(s, str, n);
        return;
    }
    if (!(sp->flags & F_LEFT))
        emit_repeat(s, ' ', pad);
    emit(s, str, n);
    if (sp->flags & F_LEFT)
        emit_repeat(s, ' ', pad);
}

static void emit_string(struct sink *s, const struct spec *sp, const char *str)
{
    if (str == NULL)
        str = "(null)";
    emit_padded(s, sp, str,
                sp->precision >= 0 ? strnlen(str, (size_t)sp->precision)
                                   : strlen(str));
}

/* Emits one conversion; (f) points at the conversion character. */
static void emit_conversion(struct sink *s, struct spec *sp, const char *f,
                            va_list *ap)
{
    long long sv;
    char c;

    switch (*f) {
    case 'd':
    case 'i':
        sv = signed_arg(sp->length, ap);
        emit_integer(s, sp,
                     sv < 0 ? 0ULL - (unsigned long long)sv
                            : (unsigned long long)sv,
                     sv < 0, 10, false);
        break;
    case 'u':
        emit_integer(s, sp, unsigned_arg(sp->length, ap), false, 10, false);
        break;
    case 'x':
    case 'X':
        emit_integer(s, sp, unsigned_arg(sp->length, ap), false, 16, *f == 'X');
        break;
    case 'o':
        emit_integer(s, sp, unsigned_arg(sp->length, ap), false, 8, false);
        break;
    case 'p':
        sp->flags |= F_ALT | F_PTR;
        emit_integer(s, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false);
        break;
    case 's':
        emit_string(s, sp, va_arg(*ap, const char *));
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        emit_padded(s, sp, &c, 1);
        break;
    case '%':
        emit(s, "%", 1);
        break;
    default:
        /* Unsupported (floating point among them): shown as written. */
        emit(s, "%", 1);
        if (*f)
            emit(s, f, 1);
        break;
    }
}

/* The common case: no flags, width or precision, at most an 'l'. Fills
 * (sp) and returns the conversion character, or NULL for anything else. */
static const char *plain_spec(const char *f, struct spec *sp)
{
    const char *c = f + (*f == 'l');

    switch (*c) {
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 's':
    case 'p':
    case 'c':
        sp->flags = 0;
        sp->width = 0;
        sp->precision = -1;
        sp->length = c == f ? 0 : 'l';
        return c;
    default:
        return NULL;
    }
}

static void format(struct sink *s, const char *f, va_list ap)
{
    const char *end = f + strlen(f);
    va_list args;
    struct spec sp;

    va_copy(args, ap);
    while (f < end) {
        /* memchr finds the next conversion in one string instruction. */
        const char *pct = memchr(f, '%', (size_t)(end - f));

        if (pct == NULL) {
            emit(s, f, (size_t)(end - f));
            break;
        }
        emit(s, f, (size_t)(pct - f));
        f = plain_spec(pct + 1, &sp);
        if (f == NULL)
            f = parse_spec(pct + 1, &sp, &args);
        emit_conversion(s, &sp, f, &args);
        if (*f)
            f++;
    }
    va_end(args);
}

static int result(const struct sink *s)
{
    return s->total > INT_MAX ? INT_MAX : (int)s->total;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap)
{
    char dummy;
    struct sink s = {
        .buf = size ? buf : &dummy,
        .cap = size ? size - 1 : 0,
    };

    format(&s, fmt, ap);
    if (size)
        buf[s.len] = '\0';
    return result(&s);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    char buf[256];
    struct sink s = {.buf = buf, .cap = sizeof buf, .flush = true};

    format(&s, fmt, ap);
    if (s.len)
        flush(&s);
    return result(&s);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *str)
{
    return printf("%s\n", str) < 0 ? EOF : 0;
}

int putchar(int c)
{
    char ch = (char)c;

    solo5_console_write(&ch, 1);
    return (unsigned char)ch;
}
