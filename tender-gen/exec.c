/* exec.c: tender-gen under the drop-in's names. Earlier releases installed
 * tender-gen as solo5-hvt and tender-exec, and it ran monitors it found in
 * a cache, or built there (TENDER_EXEC_BUILD=1). Under an orchestrator that
 * trusted paths and an environment that are the guest image's, so it stops
 * here, with one line that names what replaces the way it was used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"

int tg_exec_invoked_as(const char *argv0)
{
    const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;

    return strcmp(base, "tender-exec") == 0 ||
           strncmp(base, "solo5-hvt", 9) == 0;
}

/* KERNEL in argv, found as the monitor finds it, or NULL. */
static const char *kernel_of(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1 < argc ? argv[i + 1] : NULL;
        if (argv[i][0] != '-')
            return argv[i];
    }
    return NULL;
}

int tg_exec_main(int argc, char **argv)
{
    const char *base =
        strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    const char *file = strchr(argv[0], '/') ? argv[0] : "FILE";
    const char *kernel = kernel_of(argc, argv);
    const char *build = getenv("TENDER_EXEC_BUILD");
    const char *cache = getenv("TENDER_GEN_CACHE");
    const char *what = "tender-gen no longer runs as a drop-in";

    if (build && *build)
        what = "TENDER_EXEC_BUILD is gone: a drop-in never compiles";
    else if (cache && *cache)
        what = "a monitor cache (TENDER_GEN_CACHE) is no longer a drop-in";
    fprintf(stderr, "%s: %s; build one with: tender-gen --drop-in %s %s\n",
            base, what, file, kernel ? kernel : "SERVICE...");
    return 1;
}
