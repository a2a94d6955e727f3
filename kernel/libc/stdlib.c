/* stdlib.c: number parsing, abort and exit (the guest's small libc). */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "solo5.h"

/* Value of digit (c) in bases up to 36, or 36 when it is none. */
static unsigned digit_value(int c)
{
    if (isdigit(c))
        return (unsigned)(c - '0');
    if (isalpha(c))
        return (unsigned)(tolower(c) - 'a' + 10);
    return 36;
}

/* Skips a 0x/0X prefix when base is 16 or 0, and picks the base for 0. */
static const char *parse_base(const char *p, int *base)
{
    bool hex_prefix = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
                      isxdigit((unsigned char)p[2]);

    if ((*base == 0 || *base == 16) && hex_prefix) {
        *base = 16;
        return p + 2;
    }
    if (*base == 0)
        *base = p[0] == '0' ? 8 : 10;
    return p;
}

struct parsed {
    unsigned long long magnitude; /* clamped to the limit on overflow */
    bool negative;
    bool overflow;
};

/* The common part of the strto* functions: sign and magnitude, the
 * magnitude clamped to (limit). */
static struct parsed parse(const char *s, char **end, int base,
                           unsigned long long limit)
{
    struct parsed r = {0, false, false};
    const char *p = s, *digits;
    unsigned d;

    while (isspace((unsigned char)*p))
        p++;
    r.negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (base < 0 || base == 1 || base > 36) {
        if (end)
            *end = (char *)(uintptr_t)s;
        return r;
    }
    p = parse_base(p, &base);
    digits = p;
    for (; (d = digit_value((unsigned char)*p)) < (unsigned)base; p++) {
        if (r.magnitude > (limit - d) / (unsigned)base)
            r.overflow = true;
        else
            r.magnitude = r.magnitude * (unsigned)base + d;
    }
    if (r.overflow)
        r.magnitude = limit;
    if (end)
        *end = (char *)(uintptr_t)(p == digits ? s : p);
    return r;
}

unsigned long long strtoull(const char *restrict s, char **restrict end,
                            int base)
{
    struct parsed r = parse(s, end, base, ULLONG_MAX);

    /* As in C: a negated magnitude, unless it overflowed. */
    return r.negative && !r.overflow ? 0ULL - r.magnitude : r.magnitude;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return (unsigned long)strtoull(s, end, base);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    const unsigned long long max = (unsigned long long)LLONG_MAX;
    struct parsed r = parse(s, end, base, max + 1);

    if (r.negative)
        return r.magnitude > max ? LLONG_MIN : -(long long)r.magnitude;
    return r.magnitude > max ? LLONG_MAX : (long long)r.magnitude;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return (long)strtoll(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

int abs(int x)
{
    return x < 0 ? -x : x;
}

long labs(long x)
{
    return x < 0 ? -x : x;
}

void abort(void)
{
    solo5_abort();
}

void exit(int status)
{
    solo5_exit(status);
}
