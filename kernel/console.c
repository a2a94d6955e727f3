/* console.c: the kernel's log, over the platform's console. */
#include <stdio.h>
#include <string.h>

#include "kernel.h"

/* Large enough for the longest kernel message (a trap's register dump),
 * small enough for the IST stack a trap report runs on. */
#define LOG_BUFFER_SIZE 512

static enum tg_log_level log_level = TG_LOG_INFO;

void tg_console_puts(const char *s)
{
    solo5_console_write(s, strlen(s));
}

void tg_log_set_level(enum tg_log_level level)
{
    log_level = level;
}

bool tg_log_enabled(enum tg_log_level level)
{
    return level <= log_level;
}

void tg_log(enum tg_log_level level, const char *fmt, ...)
{
    static const char truncated[] = "(truncated)\n";
    char buffer[LOG_BUFFER_SIZE];
    va_list ap;
    int n;

    if (!tg_log_enabled(level))
        return;
    va_start(ap, fmt);
    n = vsnprintf(buffer, sizeof buffer, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof buffer) {
        solo5_console_write(buffer, (size_t)n);
    } else {
        solo5_console_write(buffer, sizeof buffer - 1);
        solo5_console_write(truncated, sizeof truncated - 1);
    }
}
