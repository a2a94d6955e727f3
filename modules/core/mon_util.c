/* mon_util.c: messages and the checked guest-address accessor every module
 * uses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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

static void vreport(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
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
    exit(1);
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
