/* mon_util.c: messages, and the checked accessors through which every
 * module reaches guest memory. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "monitor.h"
#include "mon_internal.h"

static const char *prog_name = "tender";

void mon_set_prog_name(const char *argv0)
{
    const char *p = argv0;

    for (const char *s = argv0; *s; s++)
        if (*s == '/')
            p = s + 1;
    if (*p)
        prog_name = p;
}

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

/* One line, one write(2), no stdio: another thread (the net ring's I/O
 * thread) may report at the same time, and a locked stdio stream would
 * need futex, which the sandbox does not allow. Lines longer than the
 * buffer are cut short. */
static void vreport(const char *fmt, va_list ap)
{
    char line[1024];
    size_t len = mon_format(line, sizeof(line), "%s: ", prog_name);

    if (len < sizeof(line))
        len += mon_vformat(line + len, sizeof(line) - len, fmt, ap);
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    mon_write_all(STDERR_FILENO, line, len);
}

void mon_print(int fd, const char *fmt, ...)
{
    char text[4096];
    va_list ap;

    va_start(ap, fmt);
    size_t len = mon_vformat(text, sizeof(text), fmt, ap);
    va_end(ap);
    mon_write_all(fd, text, len < sizeof(text) ? len : sizeof(text) - 1);
}

int mon_find_kernel(int argc, char **argv, enum mon_request *request)
{
    *request = MON_RUN;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1 < argc ? i + 1 : -1;
        if (strcmp(argv[i], "--help") == 0) {
            *request = MON_HELP;
            return -1;
        }
        if (strcmp(argv[i], "--version") == 0) {
            *request = MON_VERSION;
            return -1;
        }
        if (argv[i][0] != '-')
            return i;
    }
    return -1;
}

void mon_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
}

_Noreturn void mon_fatal(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    /* _exit, not exit: from either thread, with nothing to flush (stdout
     * is written with write(2) only), and no stdio lock to wait for. */
    _exit(1);
}

/* Every guest range the monitor touches for a guest comes through here.
 * The checks are done on values the handler already copied out of guest
 * memory, never on guest memory itself, so the guest cannot change what
 * was checked (a double fetch). Writes are refused in read-only memory
 * before any system call is made: the host maps it read-only, so a write
 * there would be a SIGSEGV (memcpy) or an EFAULT (read, pread). */
const char *mon_guest_check(const struct mon *m, hvt_gpa_t gpa, uint64_t size,
                            int write)
{
    /* gpa + size must stay below mem_size, as in solo5-hvt; the sum is
     * checked for overflow before it is compared. */
    if (gpa >= m->mem_size || size >= m->mem_size - gpa)
        return "outside guest memory";
    if (!write)
        return NULL;
    for (unsigned i = 0; i < m->nro; i++)
        if (gpa < m->ro[i].end && gpa + size > m->ro[i].start)
            return "read-only guest memory";
    return NULL;
}

int mon_stop(struct mon *m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mon_vformat(m->stop_reason, sizeof(m->stop_reason), fmt, ap);
    va_end(ap);
    return -1;
}

static int refuse(struct mon *m, const char *what, hvt_gpa_t gpa, uint64_t size,
                  const char *why)
{
    return mon_stop(m, "invalid guest access in %s: gpa=0x%llx, size=%llu: %s",
                    what, (unsigned long long)gpa, (unsigned long long)size,
                    why);
}

int mon_hc_args(struct mon *m, hvt_gpa_t gpa, void *hc, size_t size,
                int results, const char *what)
{
    const char *why = mon_guest_check(m, gpa, size, results);

    if (why)
        return refuse(m, what, gpa, size, why);
    memcpy(hc, m->mem + gpa, size);
    return 0;
}

int mon_hc_results(struct mon *m, hvt_gpa_t gpa, const void *hc, size_t size,
                   size_t from, const char *what)
{
    const char *why = mon_guest_check(m, gpa, size, 1);

    if (why)
        return refuse(m, what, gpa, size, why);
    memcpy(m->mem + gpa + from, (const uint8_t *)hc + from, size - from);
    return 0;
}

/* The host address of guest buffer (gpa, size), or NULL after
 * mon_stop(). */
static uint8_t *guest_buffer(struct mon *m, hvt_gpa_t gpa, uint64_t size,
                             int write, const char *what)
{
    const char *why = mon_guest_check(m, gpa, size, write);

    if (why) {
        refuse(m, what, gpa, size, why);
        return NULL;
    }
    return m->mem + gpa;
}

const void *mon_guest_in(struct mon *m, hvt_gpa_t gpa, uint64_t size,
                         const char *what)
{
    return guest_buffer(m, gpa, size, 0, what);
}

void *mon_guest_out(struct mon *m, hvt_gpa_t gpa, uint64_t size,
                    const char *what)
{
    return guest_buffer(m, gpa, size, 1, what);
}

void mon_protect_ro(struct mon *m, uint64_t start, uint64_t end)
{
    if (mprotect(m->mem + start, end - start, PROT_READ) < 0)
        mon_fatal("cannot protect guest memory 0x%llx-0x%llx: %s",
                  (unsigned long long)start, (unsigned long long)end,
                  strerror(errno));
    if (m->nro > 0 && m->ro[m->nro - 1].end == start) {
        m->ro[m->nro - 1].end = end;
        return;
    }
    if (m->nro == MON_MAX_RO)
        mon_fatal("too many read-only guest ranges");
    m->ro[m->nro].start = start;
    m->ro[m->nro].end = end;
    m->nro++;
}

int mon_in_ro(const struct mon *m, uint64_t gpa)
{
    for (unsigned i = 0; i < m->nro; i++)
        if (gpa >= m->ro[i].start && gpa < m->ro[i].end)
            return 1;
    return 0;
}
