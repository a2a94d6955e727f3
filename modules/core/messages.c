/* messages.c: the monitors' "PROG: MSG" lines on stderr and whole-buffer
 * writes, for both targets' monitors and the drop-in. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "messages.h"

/* A copy: a process monitor wipes its command line before the guest runs,
 * and may still have to say why it stops. */
static char prog_name[64] = "tender";

void mon_set_prog_name(const char *argv0)
{
    const char *p = argv0;

    for (const char *s = argv0; *s; s++)
        if (*s == '/')
            p = s + 1;
    if (*p)
        snprintf(prog_name, sizeof(prog_name), "%s", p);
}

/* One line, one write(2), no stdio stream: another thread (the net ring's
 * I/O thread) may report at the same time, and a locked stream would need
 * futex, which the sandbox does not allow. Lines longer than the buffer
 * are cut short. */
__attribute__((format(printf, 1, 0))) static void vreport(const char *fmt,
                                                          va_list ap)
{
    char line[1024];
    size_t len = (size_t)snprintf(line, sizeof(line), "%s: ", prog_name);
    int n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);

    len += n < 0 ? 0 : (size_t)n;
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    mon_write_all(STDERR_FILENO, line, len);
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

void mon_print(int fd, const char *fmt, ...)
{
    char text[4096];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (n > 0)
        mon_write_all(fd, text,
                      (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
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
