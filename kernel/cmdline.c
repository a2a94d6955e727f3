/* cmdline.c: the --solo5:LEVEL words that lead a command line.
 *
 * Solo5's bindings strip leading --solo5:quiet|error|warn|info|debug words
 * and set the log level from them (docs/hvt-abi.md §4); the application gets
 * the rest. A word that only starts like one (--solo5:quietly) ends the scan.
 */
#include <ctype.h>
#include <string.h>

#include "kernel.h"

#define OPTION_PREFIX "--solo5:"

static const struct {
    const char *name;
    enum tg_log_level level;
} levels[] = {
    {"quiet", TG_LOG_ERROR}, /* errors still print: quiet is error */
    {"error", TG_LOG_ERROR}, {"warn", TG_LOG_WARN},
    {"info", TG_LOG_INFO},   {"debug", TG_LOG_DEBUG},
};

static const char *skip_spaces(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* If (p) starts with the word (name), returns the end of the word. */
static const char *match_word(const char *p, const char *name)
{
    size_t len = strlen(name);

    if (strncmp(p, name, len) != 0)
        return NULL;
    if (p[len] != '\0' && !isspace((unsigned char)p[len]))
        return NULL;
    return p + len;
}

/* If (p) starts with a --solo5:LEVEL word, applies it and returns the end
 * of the word; otherwise NULL. */
static const char *parse_option(const char *p)
{
    const size_t prefix_len = sizeof(OPTION_PREFIX) - 1;

    /* The first byte settles the usual case, no option, in one compare. */
    if (p[0] != '-' || strncmp(p, OPTION_PREFIX, prefix_len) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        const char *end = match_word(p + prefix_len, levels[i].name);

        if (end) {
            tg_log_set_level(levels[i].level);
            return end;
        }
    }
    return NULL;
}

const char *tg_cmdline_parse(const char *cmdline)
{
    const char *p = skip_spaces(cmdline);
    const char *end;

    while ((end = parse_option(p)) != NULL)
        p = skip_spaces(end);
    return p;
}
