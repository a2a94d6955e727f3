/* mon_util.c: messages and the checked guest-address accessor every module
 * uses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* One line, one write(2), no stdio: another thread (the net ring's I/O
 * thread) may report at the same time, and a locked stdio stream would
 * need futex, which the sandbox does not allow. Lines longer than the
 * buffer are cut short. */
static void vreport(const char *fmt, va_list ap)
{
    char line[1024];
    int n = snprintf(line, sizeof(line), "%s: ", prog_name);
    size_t len = n < 0 ? 0 : (size_t)n;

    if (len < sizeof(line)) {
        n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
        len += n < 0 ? 0 : (size_t)n;
    }
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    while (len > 0) {
        ssize_t w = write(STDERR_FILENO, line, len);
        if (w <= 0)
            return;
        memmove(line, line + w, len - (size_t)w);
        len -= (size_t)w;
    }
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
    va_start(ap, fmt);
    mon_fault_hooks(fmt, ap); /* a guest fault: dumpcore, gdb */
    va_end(ap);
    /* _exit, not exit: from either thread, with nothing to flush (stdout
     * is written with write(2) only), and no stdio lock to wait for. */
    _exit(1);
}

void *mon_gpa(struct mon *m, hvt_gpa_t gpa, size_t size, const char *what)
{
    /* Strict, as in solo5-hvt: gpa + size must stay below mem_size, and the
     * sum is checked for overflow before it is compared. */
    if (gpa >= m->mem_size || size >= m->mem_size - gpa)
        mon_fatal("invalid guest access in %s: gpa=0x%llx, size=%zu", what,
                  (unsigned long long)gpa, size);
    return m->mem + gpa;
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
