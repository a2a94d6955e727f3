/* compile.c: runs clang on a generated monitor.c. The toolchain paths come
 * from the build (TG_CC, TG_MUSL_*, TG_LINUX_*) and can be overridden by the
 * environment variables of the same names. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "outfile.h"

extern char **environ;

static const char *setting(const char *name, const char *built_in)
{
    const char *v = getenv(name);
    return v && *v ? v : built_in;
}

/* musl's include directory has no linux/, asm/ or asm-generic/: a private
 * directory of links to the kernel's UAPI headers supplies exactly those. */
static int make_kernel_headers(const char *dir)
{
    char path[4096];
    const char *linux_inc = setting("TG_LINUX_INCLUDE", TG_LINUX_INCLUDE);
    const char *asm_inc = setting("TG_ASM_INCLUDE", TG_ASM_INCLUDE);
    const struct {
        const char *name, *base;
    } links[] = {
        {"linux", linux_inc}, {"asm-generic", linux_inc}, {"asm", asm_inc}};
    char target[4096];

    snprintf(path, sizeof(path), "%s/kinc", dir);
    if (mkdir(path, 0700) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        snprintf(target, sizeof(target), "%s/%s", links[i].base, links[i].name);
        snprintf(path, sizeof(path), "%s/kinc/%s", dir, links[i].name);
        if (symlink(target, path) < 0)
            return -1;
    }
    return 0;
}

/* posix_spawn takes char *const argv[] for historical reasons and does not
 * write to the strings; this is the one place the const is dropped. */
static char *unconst(const char *s)
{
    union {
        const char *c;
        char *m;
    } u = {s};
    return u.m;
}

static int run(const char **args, const char *dir)
{
    char *argv[64];
    size_t n = 0;

    for (; args[n] && n < 63; n++)
        argv[n] = unconst(args[n]);
    argv[n] = NULL;
    pid_t pid;
    int status;
    char cwd[4096];

    /* posix_spawn has no portable chdir: change ours around the spawn. */
    if (!getcwd(cwd, sizeof(cwd)) || chdir(dir) < 0)
        return -1;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (chdir(cwd) < 0 || rc != 0) {
        tg_fatal("cannot run %s: %s", argv[0], strerror(rc ? rc : errno));
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* TG_EXTRA_CFLAGS: more compiler flags, separated by spaces (the test suite
 * adds -Werror). They go in front of the inputs. */
static void add_extra_flags(const char **argv, size_t max)
{
    static char buf[1024];
    const char *extra = getenv("TG_EXTRA_CFLAGS");
    size_t n = 0;

    while (argv[n])
        n++;
    if (!extra)
        return;
    snprintf(buf, sizeof(buf), "%s", extra);
    for (char *save, *f = strtok_r(buf, " ", &save); f && n + 1 < max;
         f = strtok_r(NULL, " ", &save)) {
        memmove(argv + 2, argv + 1, n * sizeof(*argv)); /* after argv[0] */
        argv[1] = f;
        n++;
    }
}

const char *const tg_monitor_cflags[] = {"-std=c11",
                                         "-O2",
                                         "-Wall",
                                         "-Wextra",
                                         "-fno-pie",
                                         "-static",
                                         "-nostdinc",
                                         "-nostdlib",
                                         "-isystem",
                                         "kinc",
                                         "-fstack-protector-strong",
                                         "-D_FORTIFY_SOURCE=0",
                                         "-Wl,--build-id=none",
                                         "-s",
                                         NULL};

static int compile_in(const char *dir, const struct tg_buf *src)
{
    char musl_inc[4096], crt1[4096], crti[4096], crtn[4096], libc[4096];
    const char *cc = setting("TG_CC", TG_CC);
    const char *musl_lib = setting("TG_MUSL_LIB", TG_MUSL_LIB);

    snprintf(musl_inc, sizeof(musl_inc), "%s",
             setting("TG_MUSL_INCLUDE", TG_MUSL_INCLUDE));
    snprintf(crt1, sizeof(crt1), "%s/crt1.o", musl_lib);
    snprintf(crti, sizeof(crti), "%s/crti.o", musl_lib);
    snprintf(crtn, sizeof(crtn), "%s/crtn.o", musl_lib);
    snprintf(libc, sizeof(libc), "%s/libc.a", musl_lib);
    const char *argv[64] = {cc, "-isystem", musl_inc};
    size_t n = 3;

    for (size_t i = 0; tg_monitor_cflags[i]; i++)
        argv[n++] = tg_monitor_cflags[i];
    const char *inputs[] = {crt1, crti, "monitor.c", libc,
                            crtn, "-o", "monitor"};
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        argv[n++] = inputs[i];
    argv[n] = NULL;
    add_extra_flags(argv, 64);

    char path[4096];
    snprintf(path, sizeof(path), "%s/monitor.c", dir);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(src->data, 1, src->len, f) != src->len) {
        if (f)
            fclose(f);
        return -1;
    }
    if (fclose(f) != 0 || make_kernel_headers(dir) < 0)
        return -1;
    return run(argv, dir);
}

static void remove_tree(const char *dir)
{
    const char *names[] = {"kinc/linux", "kinc/asm",  "kinc/asm-generic",
                           "kinc",       "monitor.c", "monitor"};
    char path[4096];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        remove(path);
    }
    rmdir(dir);
}

int tg_compile_monitor(const struct tg_buf *src, const char *out)
{
    char dir[4096], bin[4096];
    const char *tmp = getenv("TMPDIR");

    snprintf(dir, sizeof(dir), "%s/tender-gen.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        tg_fatal("cannot create a temporary directory: %s", strerror(errno));
        return -1;
    }
    int rc = compile_in(dir, src);
    if (rc < 0)
        tg_fatal("compiling the monitor for %s failed", out);
    else {
        snprintf(bin, sizeof(bin), "%s/monitor", dir);
        rc = tg_install_file(bin, out, 0755);
    }
    remove_tree(dir);
    return rc;
}
