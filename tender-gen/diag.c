/* diag.c: counted diagnostics in the FILE:LINE:COL form compilers use. */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

static unsigned error_count;

__attribute__((format(printf, 3, 0))) static void
report(const struct tg_loc *loc, const char *kind, const char *fmt, va_list ap)
{
    if (loc->line)
        fprintf(stderr, "%s:%u:%u: %s: ", loc->file, loc->line, loc->col, kind);
    else
        fprintf(stderr, "%s: %s: ", loc->file, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void tg_error(const struct tg_loc *loc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(loc, "error", fmt, ap);
    va_end(ap);
    error_count++;
}

void tg_warning(const struct tg_loc *loc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(loc, "warning", fmt, ap);
    va_end(ap);
}

void tg_fatal(const char *fmt, ...)
{
    va_list ap;

    fputs("tender-gen: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    error_count++;
}

unsigned tg_error_count(void)
{
    return error_count;
}
