/* options.c: the network examples' command line (docs/design.md decision 10):
 * --ipv4=ADDR/PREFIX for the device named "service", --NAME-ipv4=... for
 * device NAME, --ipv4-gateway=ADDR, --limit=N, and the application's own
 * words. Every configured device must be in the manifest (serve.c checks
 * that when it acquires them). */
#include <stdio.h>
#include <string.h>

#include "exnet.h"

#define CMDLINE_MAX 8192 /* the monitor's limit, NUL included */

struct exnet_if exnet_ifs[EXNET_MAX_IF];
unsigned exnet_nifs;
static uint64_t limit;
static int limit_given; /* without --limit: serve forever */

int exnet_limit(uint64_t *n)
{
    *n = limit;
    return limit_given;
}

void exnet_usage(const struct exnet_app *app, const char *why, const char *word)
{
    printf("%s: %s%s%s\n", app->prog, why, word ? ": " : "", word ? word : "");
    printf("usage: %s --ipv4=ADDR/PREFIX [--NAME-ipv4=ADDR/PREFIX]... "
           "[--ipv4-gateway=ADDR] [--limit=N]%s%s\n",
           app->prog, app->usage ? " " : "", app->usage ? app->usage : "");
}

const char *exnet_number(const char *s, uint64_t max, uint64_t *v)
{
    const char *p = s;

    *v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        *v = *v * 10 + (uint64_t)(*p - '0');
        if (*v > max || p - s >= 20)
            return NULL;
    }
    return p == s ? NULL : p;
}

/* "A.B.C.D" at (s); returns the end, or NULL. */
static const char *address(const char *s, uint8_t ip[4])
{
    uint64_t v;

    for (int i = 0; i < 4; i++) {
        if (i > 0 && *s++ != '.')
            return NULL;
        s = exnet_number(s, 255, &v);
        if (!s)
            return NULL;
        ip[i] = (uint8_t)v;
    }
    return s;
}

static int add_if(const struct exnet_app *app, const char *name,
                  const char *value)
{
    struct exnet_if *ifc = &exnet_ifs[exnet_nifs];
    uint64_t prefix;
    const char *end;

    for (unsigned i = 0; i < exnet_nifs; i++)
        if (strcmp(exnet_ifs[i].name, name) == 0) {
            exnet_usage(app, "device configured twice", name);
            return -1;
        }
    if (exnet_nifs == EXNET_MAX_IF) {
        exnet_usage(app, "too many devices", name);
        return -1;
    }
    end = address(value, ifc->ip);
    if (!end || *end != '/' || !(end = exnet_number(end + 1, 32, &prefix)) ||
        *end) {
        exnet_usage(app, "expected ADDR/PREFIX", value);
        return -1;
    }
    ifc->name = name;
    ifc->prefix = (unsigned)prefix;
    exnet_nifs++;
    return 0;
}

/* One word of the command line, NUL-terminated in place. */
static int option(const struct exnet_app *app, char *w)
{
    uint8_t gw[4];
    const char *end;
    char *suffix;
    int r;

    if (strncmp(w, "--ipv4=", 7) == 0)
        return add_if(app, "service", w + 7);
    if (strncmp(w, "--ipv4-gateway=", 15) == 0) {
        end = address(w + 15, gw);
        if (end && !*end)
            return 0;
        exnet_usage(app, "expected a gateway ADDR", w);
        return -1;
    }
    if (strncmp(w, "--limit=", 8) == 0) {
        end = exnet_number(w + 8, UINT32_MAX, &limit);
        if (end && !*end) {
            limit_given = 1;
            return 0;
        }
        exnet_usage(app, "expected --limit=N", w);
        return -1;
    }
    if (app->option && (r = app->option(w)) != 0) {
        if (r > 0)
            return 0;
        exnet_usage(app, "bad argument", w);
        return -1;
    }
    /* --NAME-ipv4=: NAME ends at the "-ipv4=" before the first '='. */
    suffix = strchr(w, '=');
    if (strncmp(w, "--", 2) == 0 && suffix && suffix - w > 7 &&
        strncmp(suffix - 5, "-ipv4", 5) == 0) {
        suffix[-5] = 0;
        return add_if(app, w + 2, suffix + 1);
    }
    exnet_usage(app, "unknown argument", w);
    return -1;
}

int exnet_parse(const struct exnet_app *app, const char *cmdline)
{
    static char copy[CMDLINE_MAX];
    char *p = copy;

    snprintf(copy, sizeof(copy), "%s", cmdline);
    while (*p) {
        if (*p == ' ') {
            p++;
            continue;
        }
        char *w = p;
        while (*p && *p != ' ')
            p++;
        if (*p)
            *p++ = 0;
        if (option(app, w) < 0)
            return -1;
    }
    if (exnet_nifs == 0) {
        exnet_usage(app, "no address given", NULL);
        return -1;
    }
    return 0;
}
