/* exec.c: the drop-in. It reads KERNEL's manifest note with tender-gen's
 * own ELF front end, computes the shape, and execs the monitor the cache
 * holds for that shape (the one its last batch run built or reused, so the
 * operator decides when new module sources take effect). Building a
 * missing monitor needs the operator's consent (TENDER_EXEC_BUILD=1): an
 * orchestrator starting a guest should not silently start a compiler. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "datadir.h"
#include "diag.h"
#include "emit_monitor.h"
#include "exec.h"
#include "frontend.h"
#include "shape.h"

#define EXIT_MONITOR_ERROR 1 /* solo5-hvt's status for its own errors */

/* Where operators keep monitors; TENDER_GEN_CACHE overrides it. */
#ifndef TG_CACHE_DIR
#define TG_CACHE_DIR "/var/cache/tender-gen"
#endif

int tg_exec_invoked_as(const char *argv0)
{
    const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;

    return strcmp(base, "tender-exec") == 0 ||
           strncmp(base, "solo5-hvt", 9) == 0;
}

static const char *cache_dir(void)
{
    const char *d = getenv("TENDER_GEN_CACHE");
    return d && *d ? d : TG_CACHE_DIR;
}

static void usage(const char *prog)
{
    printf("usage: %s [ --mem=MB ] [ DEVICE OPTIONS ] [ -- ] KERNEL "
           "[ ARGS... ]\n"
           "The command line of solo5-hvt. %s reads KERNEL's manifest, "
           "finds the\n"
           "monitor tender-gen built for its shape in the cache and runs "
           "it with\n"
           "these arguments; see that monitor's --help for its options.\n"
           "Environment:\n"
           "  TENDER_GEN_CACHE=DIR   the cache (default %s)\n"
           "  TENDER_EXEC_BUILD=1    build a missing monitor into the cache\n"
           "                         instead of refusing to run\n",
           prog, prog, TG_CACHE_DIR);
}

/* KERNEL's index in argv, as the monitor finds it: the first operand, or
 * the word after "--". --help and --version before it act at once. */
static int find_kernel(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1 < argc ? i + 1 : -1;
        if (strcmp(argv[i], "--help") == 0) {
            usage(argv[0]);
            exit(0);
        }
        if (strcmp(argv[i], "--version") == 0) {
            /* albatross runs `solo5-hvt.2 --version` and looks for this
             * line; solo5-hvt writes it to stderr. */
            fprintf(stderr, "tender-exec (tender-gen %s)\nABI version 2\n",
                    TG_VERSION);
            exit(0);
        }
        if (argv[i][0] != '-')
            return i;
    }
    return -1;
}

/* KERNEL's shape, from its notes. Returns 0, or -1 after reporting. */
static int kernel_shape(const char *kernel, struct tg_shape *shape)
{
    static struct tg_devset set;
    struct tg_buf elf = {0};
    unsigned errors;

    if (tg_read_file(kernel, &elf) < 0) {
        fprintf(stderr, "%s: error: cannot read: %s\n", kernel,
                strerror(errno));
        return -1;
    }
    const unsigned char *data = (const unsigned char *)elf.data;
    if (!tg_is_elf(data, elf.len)) {
        fprintf(stderr, "%s: error: not an ELF unikernel\n", kernel);
        tg_buf_free(&elf);
        return -1;
    }
    errors = tg_read_elf(kernel, data, elf.len, &set);
    tg_buf_free(&elf);
    if (errors)
        return -1;
    tg_shape_from_devset(&set, shape);
    return 0;
}

static int build_allowed(void)
{
    const char *b = getenv("TENDER_EXEC_BUILD");
    return b && strcmp(b, "1") == 0;
}

/* Builds the monitor for (shape) into the cache, when the operator allows
 * it. Returns 0 with its path in (path), or -1 after reporting. */
static int build_monitor(const struct tg_shape *shape, char *path, size_t size)
{
    struct tg_monitor_src src = {0};
    struct tg_deps deps = {0};
    char key[65];
    int rc = -1;

    if (tg_emit_monitor(tg_datadir(), shape, &src, &deps) == 0 &&
        tg_cache_ensure(cache_dir(), &src, shape->text, key, path, size) >= 0)
        rc = 0;
    tg_buf_free(&src.text);
    tg_deps_free(&deps);
    return rc;
}

/* The monitor for (shape): from the cache, or built into it when allowed.
 * The lookup reads no source and runs no compiler (or libseccomp, whose
 * probes a caller's seccomp filter may forbid). */
static int find_monitor(const char *kernel, const struct tg_shape *shape,
                        char *path, size_t size)
{
    const char *dir = cache_dir();

    if (tg_cache_find(dir, shape->text, path, size) == 0)
        return 0;
    if (build_allowed())
        return build_monitor(shape, path, size);
    fprintf(stderr,
            "tender-exec: no monitor for %s (shape %s) in the cache %s.\n"
            "Build it with:  tender-gen --cache %s --out-dir DIR %s\n"
            "or set TENDER_EXEC_BUILD=1 to have tender-exec build it.\n",
            kernel, shape->text, dir, dir, kernel);
    return -1;
}

int tg_exec_main(int argc, char **argv)
{
    struct tg_shape shape;
    char monitor[4096];
    int k = find_kernel(argc, argv);

    if (k < 0) {
        fprintf(stderr, "%s: missing KERNEL operand (see %s --help)\n", argv[0],
                argv[0]);
        return EXIT_MONITOR_ERROR;
    }
    if (kernel_shape(argv[k], &shape) < 0 ||
        find_monitor(argv[k], &shape, monitor, sizeof(monitor)) < 0)
        return EXIT_MONITOR_ERROR;
    fflush(NULL);
    execv(monitor, argv);
    fprintf(stderr, "tender-exec: cannot run %s: %s\n", monitor,
            strerror(errno));
    return EXIT_MONITOR_ERROR;
}
