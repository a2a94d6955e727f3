/* exit.c: the ways out of the guest: exit, abort, fatal errors. */
#include <assert.h>

#include "kernel.h"
#include "line.h"

void tg_abort(const char *file, int line, const char *msg, void *cookie)
{
    /* An abort always prints, whatever the log level (docs/hvt-abi.md §4.2). */
    tg_log(TG_LOG_ERROR, "Solo5: ABORT: %s:%d: %s\n", file, line, msg);
    tg_halt(SOLO5_EXIT_ABORT, cookie);
}

void solo5_exit(int status)
{
    struct tg_line l;

    l.len = 0; /* the buffer itself needs no clearing */

    /* Every unikernel prints this on its way out: line.h, not printf. */
    if (tg_log_enabled(TG_LOG_INFO)) {
        tg_line_lit(&l, "Solo5: solo5_exit(");
        tg_line_dec(&l, status);
        tg_line_lit(&l, ") called\n");
        solo5_console_write(l.buf, l.len);
    }
    tg_halt(status, NULL);
}

void solo5_abort(void)
{
    tg_log(TG_LOG_INFO, "Solo5: solo5_abort() called\n");
    tg_halt(SOLO5_EXIT_ABORT, NULL);
}

/* Declared in libc's assert.h; Solo5's wording, so that the same tests
 * match either library. */
void tg_assert_fail(const char *expr, const char *file, int line)
{
    tg_log(TG_LOG_ERROR, "Solo5: ABORT: %s:%d: Assertion `%s' failed\n", file,
           line, expr);
    tg_halt(SOLO5_EXIT_ABORT, NULL);
}
