/* diag.h: diagnostics. Errors are counted, not fatal: every front end
 * reports all it finds and the caller checks tg_error_count() at the end. */
#ifndef TG_DIAG_H
#define TG_DIAG_H

#include "devset.h"

/* Prints "FILE:LINE:COL: error: MSG" (or "FILE: error: MSG" when loc->line
 * is 0) on stderr and counts it. */
void tg_error(const struct tg_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Same shape, "warning:", not counted. */
void tg_warning(const struct tg_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "tender-gen: error: MSG" for problems that are not about an input file. */
void tg_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

unsigned tg_error_count(void);

#endif /* TG_DIAG_H */
