/* compile.c: runs clang on a generated monitor.c, or on a drop-in's
 * monitors and dispatcher. The toolchain paths come from the build (TG_CC,
 * TG_MUSL_*, TG_LINUX_*, TG_OBJCOPY) and can be overridden by the
 * environment variables of the same names: tender-gen is the operator's
 * tool, run with the operator's environment. */
#include <elf.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "compile.h"
#include "diag.h"
#include "outfile.h"

#define MAX_ARGS 256

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

/* A command line being built. */
struct cmd {
    const char *argv[MAX_ARGS];
    size_t n;
};

static void arg(struct cmd *c, const char *a)
{
    if (c->n + 1 < MAX_ARGS)
        c->argv[c->n++] = a;
    c->argv[c->n] = NULL;
}

static void args(struct cmd *c, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        arg(c, list[i]);
}

/* TG_EXTRA_CFLAGS: more compiler flags, separated by spaces (the test suite
 * adds -Werror). */
static void extra_flags(struct cmd *c)
{
    static char buf[1024];
    const char *extra = getenv("TG_EXTRA_CFLAGS");

    if (!extra)
        return;
    snprintf(buf, sizeof(buf), "%s", extra);
    for (char *save, *f = strtok_r(buf, " ", &save); f;
         f = strtok_r(NULL, " ", &save))
        arg(c, f);
}

static int run(const struct cmd *c, const char *dir)
{
    char *argv[MAX_ARGS];
    pid_t pid;
    int status;
    char cwd[4096];

    if (c->n + 1 >= MAX_ARGS) {
        tg_fatal("too many arguments for %s", c->argv[0]);
        return -1;
    }
    for (size_t i = 0; i <= c->n; i++)
        argv[i] = c->argv[i] ? unconst(c->argv[i]) : NULL;
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

/* Compiling: every monitor, and a drop-in's dispatcher. No unwind tables:
 * nothing in a monitor unwinds its stack, and they would be a tenth of its
 * file. */
const char *const tg_monitor_cflags[] = {"-std=c11",
                                         "-O2",
                                         "-fno-asynchronous-unwind-tables",
                                         "-Wall",
                                         "-Wextra",
                                         "-fno-pie",
                                         "-nostdinc",
                                         "-isystem",
                                         "kinc",
                                         "-fstack-protector-strong",
                                         "-D_FORTIFY_SOURCE=0",
                                         NULL};

/* Linking: static, musl's start files and libc.a given by hand (a plain
 * -static with clang would link glibc). */
const char *const tg_monitor_ldflags[] = {
    "-static", "-nostdlib", "-fno-pie", "-Wl,--build-id=none", "-s", NULL};

/* A process (spt) monitor shares its address space with the guest, which
 * lives from the bottom up: it is a static PIE, which the kernel places
 * high. Its compile and link flags replace -fno-pie. */
static const char *const spt_cflags[] = {"-fPIE", NULL};
static const char *const spt_ldflags[] = {
    "-static-pie", "-nostdlib", "-fPIE", "-Wl,--build-id=none", "-s", NULL};

/* Whether (src) is a process monitor's: its banner's shape names the
 * target, as every non-hvt shape does. */
static int is_spt(const struct tg_buf *src)
{
    static const char mark[] = "\n * shape: target=spt ";
    size_t n = src->len < 1024 ? src->len : 1024;

    for (size_t i = 0; i + sizeof(mark) - 1 <= n; i++)
        if (memcmp(src->data + i, mark, sizeof(mark) - 1) == 0)
            return 1;
    return 0;
}

/* The toolchain's paths, from the environment or the build. */
struct toolchain {
    const char *cc;
    char musl_inc[4096], crt1[4096], crti[4096], crtn[4096], libc[4096];
    char rcrt1[4096];
};

static void get_toolchain(struct toolchain *t)
{
    const char *musl_lib = setting("TG_MUSL_LIB", TG_MUSL_LIB);

    t->cc = setting("TG_CC", TG_CC);
    snprintf(t->musl_inc, sizeof(t->musl_inc), "%s",
             setting("TG_MUSL_INCLUDE", TG_MUSL_INCLUDE));
    snprintf(t->crt1, sizeof(t->crt1), "%s/crt1.o", musl_lib);
    snprintf(t->rcrt1, sizeof(t->rcrt1), "%s/rcrt1.o", musl_lib);
    snprintf(t->crti, sizeof(t->crti), "%s/crti.o", musl_lib);
    snprintf(t->crtn, sizeof(t->crtn), "%s/crtn.o", musl_lib);
    snprintf(t->libc, sizeof(t->libc), "%s/libc.a", musl_lib);
}

/* cc and the compile flags, up to the inputs. */
static void compile_cmd(struct cmd *c, const struct toolchain *t)
{
    c->n = 0;
    arg(c, t->cc);
    extra_flags(c);
    arg(c, "-isystem");
    arg(c, t->musl_inc);
    args(c, tg_monitor_cflags);
}

static int write_in(const char *dir, const char *name, const struct tg_buf *b)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len) {
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int compile_in(const char *dir, const struct tg_buf *src)
{
    struct toolchain t;
    struct cmd c;

    get_toolchain(&t);
    compile_cmd(&c, &t);
    if (is_spt(src)) {
        /* The later -fPIE overrides tg_monitor_cflags' -fno-pie. */
        args(&c, spt_cflags);
        args(&c, spt_ldflags);
        arg(&c, t.rcrt1);
    } else {
        args(&c, tg_monitor_ldflags);
        arg(&c, t.crt1);
    }
    arg(&c, t.crti);
    arg(&c, "monitor.c");
    arg(&c, t.libc);
    arg(&c, t.crtn);
    arg(&c, "-o");
    arg(&c, "monitor");
    if (write_in(dir, "monitor.c", src) < 0 || make_kernel_headers(dir) < 0)
        return -1;
    return run(&c, dir);
}

/* The private directory a compilation runs in, removed afterwards with
 * everything in it (only files and the kinc links are ever made there). */
static int make_work_dir(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(dir, size, "%s/tender-gen.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        tg_fatal("cannot create a temporary directory: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static void remove_work_dir(const char *dir, const char *const *names)
{
    const char *fixed[] = {"kinc/linux", "kinc/asm", "kinc/asm-generic",
                           "kinc"};
    char path[4096];

    for (size_t i = 0; names && names[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        remove(path);
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, fixed[i]);
        remove(path);
    }
    rmdir(dir);
}

int tg_compile_monitor(const struct tg_buf *src, const char *out, unsigned mode)
{
    static const char *const names[] = {"monitor.c", "monitor", NULL};
    char dir[4096], bin[4200];

    if (make_work_dir(dir, sizeof(dir)) < 0)
        return -1;
    int rc = compile_in(dir, src);
    if (rc < 0)
        tg_fatal("compiling the monitor for %s failed", out);
    else {
        snprintf(bin, sizeof(bin), "%s/monitor", dir);
        rc = tg_install_file(bin, out, mode);
    }

    remove_work_dir(dir, names);
    return rc;
}

int tg_compile_monitor_buf(const struct tg_buf *src, struct tg_buf *bin)
{
    static const char *const names[] = {"monitor.c", "monitor", NULL};
    char dir[4096], path[4200];

    if (make_work_dir(dir, sizeof(dir)) < 0)
        return -1;
    int rc = compile_in(dir, src);
    if (rc < 0)
        tg_fatal("compiling a monitor failed");
    else {
        snprintf(path, sizeof(path), "%s/monitor", dir);
        rc = tg_read_regular(path, TG_MONITOR_MAX, bin, NULL);
        if (rc < 0)
            tg_fatal("%s: cannot read: %s", path, strerror(errno));
    }
    remove_work_dir(dir, names);
    return rc;
}

/* Compiles (name).c in (dir) to (name).o; with (entry), main() becomes
 * (entry) and every other symbol it defines is made local, so monitors of
 * different shapes link into one program without meeting. */
static int compile_object(const char *dir, const struct toolchain *t,
                          const char *name, const char *entry, int pie)
{
    char src[128], obj[128], define[160], keep[160];
    struct cmd c;

    snprintf(src, sizeof(src), "%s.c", name);
    snprintf(obj, sizeof(obj), "%s.o", name);
    compile_cmd(&c, t);
    if (pie)
        args(&c, spt_cflags);
    if (entry) {
        snprintf(define, sizeof(define), "-Dmain=%s", entry);
        arg(&c, define);
    }
    arg(&c, "-c");
    arg(&c, src);
    arg(&c, "-o");
    arg(&c, obj);
    if (run(&c, dir) < 0) {
        tg_fatal("compiling %s failed", src);
        return -1;
    }
    if (!entry)
        return 0;
    /* Its provenance section goes too: the drop-in is not one monitor, and
     * must not read as one to --verify. */
    snprintf(keep, sizeof(keep), "--keep-global-symbol=%s", entry);
    c.n = 0;
    arg(&c, setting("TG_OBJCOPY", TG_OBJCOPY));
    arg(&c, keep);
    arg(&c, "--remove-section=.tender_gen");
    arg(&c, obj);
    if (run(&c, dir) < 0) {
        tg_fatal("%s: objcopy failed", obj);
        return -1;
    }
    return 0;
}

static int link_dropin(const char *dir, const struct toolchain *t,
                       const struct tg_dropin_part *parts, unsigned n, int pie)
{
    char objs[TG_DROPIN_MAX][80];
    struct cmd c = {0};

    arg(&c, t->cc);
    extra_flags(&c);
    args(&c, pie ? spt_ldflags : tg_monitor_ldflags);
    arg(&c, pie ? t->rcrt1 : t->crt1);
    arg(&c, t->crti);
    arg(&c, "dropin.o");
    for (unsigned i = 0; i < n; i++) {
        snprintf(objs[i], sizeof(objs[i]), "%s.o", parts[i].entry);
        arg(&c, objs[i]);
    }
    arg(&c, t->libc);
    arg(&c, t->crtn);
    arg(&c, "-o");
    arg(&c, "dropin");
    if (run(&c, dir) < 0) {
        tg_fatal("linking the drop-in failed");
        return -1;
    }
    return 0;
}

/* Whether the dynamic section at (off, size) of (b) names a library. */
static int needs_library(const struct tg_buf *b, uint64_t off, uint64_t size)
{
    if (off > b->len || size > b->len - off)
        return 1;
    for (uint64_t i = 0; i + sizeof(Elf64_Dyn) <= size;
         i += sizeof(Elf64_Dyn)) {
        Elf64_Dyn d;
        memcpy(&d, b->data + off + i, sizeof(d));
        if (d.d_tag == DT_NEEDED)
            return 1;
        if (d.d_tag == DT_NULL)
            break;
    }
    return 0;
}

/* True when the ELF file (path) has no interpreter and no dynamic section,
 * or, a static PIE (pie), one that names no library: nothing outside it is
 * loaded when it starts. */
static int is_static(const char *path, int pie)
{
    struct tg_buf b = {0};
    Elf64_Ehdr eh;
    int ok = tg_read_file(path, &b) == 0 && b.len >= sizeof(eh);

    if (ok) {
        memcpy(&eh, b.data, sizeof(eh));
        ok = eh.e_phentsize == sizeof(Elf64_Phdr) && eh.e_phoff <= b.len &&
             (b.len - eh.e_phoff) / sizeof(Elf64_Phdr) >= eh.e_phnum;
    }
    for (unsigned i = 0; ok && i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, b.data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        ok = ph.p_type != PT_INTERP &&
             (ph.p_type != PT_DYNAMIC ||
              (pie && !needs_library(&b, ph.p_offset, ph.p_filesz)));
    }
    tg_buf_free(&b);
    return ok;
}

static int build_dropin(const char *dir, const struct tg_dropin_part *parts,
                        unsigned n, const struct tg_buf *dispatcher)
{
    struct toolchain t;
    char name[128];

    int pie = 0;

    get_toolchain(&t);
    /* A drop-in that carries a process monitor is, like it, a static PIE,
     * every part of it. */
    for (unsigned i = 0; i < n; i++)
        pie |= is_spt(parts[i].src);
    if (make_kernel_headers(dir) < 0 ||
        write_in(dir, "dropin.c", dispatcher) < 0)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "%s.c", parts[i].entry);
        if (write_in(dir, name, parts[i].src) < 0 ||
            compile_object(dir, &t, parts[i].entry, parts[i].entry, pie) < 0)
            return -1;
    }
    if (compile_object(dir, &t, "dropin", NULL, pie) < 0 ||
        link_dropin(dir, &t, parts, n, pie) < 0)
        return -1;
    snprintf(name, sizeof(name), "%s/dropin", dir);
    if (!is_static(name, pie)) {
        tg_fatal("the linked drop-in has an interpreter or a dynamic "
                 "section: check TG_CC and TG_MUSL_LIB");
        return -1;
    }
    return 0;
}

int tg_compile_dropin(const struct tg_dropin_part *parts, unsigned n,
                      const struct tg_buf *dispatcher, const char *out)
{
    static char names[2 * TG_DROPIN_MAX + 4][80];
    const char *list[2 * TG_DROPIN_MAX + 5];
    char dir[4096], bin[4200];
    unsigned k = 0;

    if (n > TG_DROPIN_MAX) {
        tg_fatal("a drop-in carries at most %d monitors", TG_DROPIN_MAX);
        return -1;
    }
    if (make_work_dir(dir, sizeof(dir)) < 0)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        snprintf(names[k++], sizeof(names[0]), "%s.c", parts[i].entry);
        snprintf(names[k++], sizeof(names[0]), "%s.o", parts[i].entry);
    }
    snprintf(names[k++], sizeof(names[0]), "dropin.c");
    snprintf(names[k++], sizeof(names[0]), "dropin.o");
    snprintf(names[k++], sizeof(names[0]), "dropin");
    for (unsigned i = 0; i < k; i++)
        list[i] = names[i];
    list[k] = NULL;
    int rc = build_dropin(dir, parts, n, dispatcher);
    if (rc == 0) {
        snprintf(bin, sizeof(bin), "%s/dropin", dir);
        rc = tg_install_file(bin, out, 0755 | TG_OUT_USER);
    }
    remove_work_dir(dir, list);
    return rc;
}
