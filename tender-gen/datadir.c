/* datadir.c: finds the data directory. There is no path compiled in: an
 * installed tender-gen must never read the source tree it was built from,
 * which may be stale, or someone else's by now. The build tree looks like
 * an installed tree (the build makes share/tender-gen beside it, a link to
 * the sources), so one rule serves both. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"

static const char *chosen; /* --datadir */

void tg_set_datadir(const char *dir)
{
    chosen = dir;
}

/* BINDIR/../share/tender-gen of the running executable, if it holds the
 * monitor template. */
static int installed_datadir(char *out, size_t size, char *tried,
                             size_t tried_size)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32], probe[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    snprintf(tried, tried_size, "BINDIR/../share/tender-gen");
    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    snprintf(dir, sizeof(dir), "%s/../share/tender-gen", exe);
    snprintf(tried, tried_size, "%s", dir);
    snprintf(probe, sizeof(probe), "%s/templates/monitor.c.in", dir);
    if (access(probe, R_OK) < 0 || size < PATH_MAX)
        return -1;
    /* Resolved, so depfiles name /usr/share/..., not /usr/bin/../share. */
    return realpath(dir, out) ? 0 : -1;
}

const char *tg_datadir(void)
{
    static char found[PATH_MAX];
    char tried[PATH_MAX + 32];
    const char *env = getenv("TENDER_GEN_DATADIR");

    if (chosen)
        return chosen;
    if (env && *env)
        return env;
    if (found[0] ||
        installed_datadir(found, sizeof(found), tried, sizeof(tried)) == 0)
        return found;
    fprintf(stderr,
            "tender-gen: error: no data directory: %s holds no "
            "templates/monitor.c.in; pass --datadir DIR (or set "
            "TENDER_GEN_DATADIR)\n",
            tried);
    exit(1);
}

int tg_datadir_found(void)
{
    char found[PATH_MAX], tried[PATH_MAX + 32];
    const char *env = getenv("TENDER_GEN_DATADIR");

    return chosen || (env && *env) ||
           installed_datadir(found, sizeof(found), tried, sizeof(tried)) == 0;
}
