/* datadir.c: finds the data directory, preferring the one installed beside
 * the binary so an installed tender-gen never reads a stale source tree. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"

/* BINDIR/../share/tender-gen of the running executable, if it holds the
 * monitor template. */
static int installed_datadir(char *out, size_t size)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32], probe[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    snprintf(dir, sizeof(dir), "%s/../share/tender-gen", exe);
    snprintf(probe, sizeof(probe), "%s/templates/monitor.c.in", dir);
    if (access(probe, R_OK) < 0 || size < PATH_MAX)
        return -1;
    /* Resolved, so depfiles name /usr/share/..., not /usr/bin/../share. */
    return realpath(dir, out) ? 0 : -1;
}

const char *tg_datadir(void)
{
    static char found[PATH_MAX];
    const char *env = getenv("TENDER_GEN_DATADIR");

    if (env && *env)
        return env;
    if (found[0] || installed_datadir(found, sizeof(found)) == 0)
        return found;
    found[0] = 0;
    return TG_DATADIR;
}
