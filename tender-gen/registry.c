/* registry.c: the registry, read from the module descriptors of the data
 * directory (modules/NAME/module.yml, folders in name order), checked as a
 * whole, put in canonical order, and every name a pin uses resolved to its
 * number. */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <asm/prctl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "datadir.h"
#include "devset.h"
#include "diag.h"
#include "module_yml.h"
#include "registry.h"
#include "suggest.h"

/* The host's constants a pin may name: the vCPU ioctls a module may need,
 * the flags of open and the clocks. A module needing another adds it here. */
static const struct {
    const char *name;
    uint64_t value;
} host_consts[] = {
    {"KVM_RUN", KVM_RUN},
    {"KVM_GET_REGS", KVM_GET_REGS},
    {"KVM_SET_REGS", KVM_SET_REGS},
    {"KVM_GET_SREGS", KVM_GET_SREGS},
    {"KVM_SET_SREGS", KVM_SET_SREGS},
    {"KVM_GET_FPU", KVM_GET_FPU},
    {"KVM_GET_MSRS", KVM_GET_MSRS},
    {"KVM_GET_DEBUGREGS", KVM_GET_DEBUGREGS},
    {"KVM_SET_GUEST_DEBUG", KVM_SET_GUEST_DEBUG},
    {"KVM_GET_VCPU_EVENTS", KVM_GET_VCPU_EVENTS},
    {"O_RDONLY", O_RDONLY},
    {"O_WRONLY", O_WRONLY},
    {"O_RDWR", O_RDWR},
    {"O_CREAT", O_CREAT},
    {"O_EXCL", O_EXCL},
    {"O_TRUNC", O_TRUNC},
    {"O_APPEND", O_APPEND},
    {"O_NOFOLLOW", O_NOFOLLOW},
    {"O_CLOEXEC", O_CLOEXEC},
    {"O_DIRECTORY", O_DIRECTORY},
    {"O_NONBLOCK", O_NONBLOCK},
    {"CLOCK_REALTIME", CLOCK_REALTIME},
    {"CLOCK_MONOTONIC", CLOCK_MONOTONIC},
    {"ARCH_SET_FS", ARCH_SET_FS},
};

static struct tg_registry regs[TG_NTARGETS];
static struct tg_registry *cur = &regs[TG_TARGET_HVT]; /* in use, or loading */

static int host_const(const char *name, uint64_t *value)
{
    for (size_t i = 0; i < sizeof(host_consts) / sizeof(host_consts[0]); i++)
        if (strcmp(host_consts[i].name, name) == 0) {
            *value = host_consts[i].value;
            return 0;
        }
    return -1;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folders of DATADIR/modules that hold a module.yml, in name order. */
static unsigned list_folders(const char *datadir, char **names)
{
    char dir[4096], probe[4400];
    unsigned n = 0;
    struct dirent *e;

    snprintf(dir, sizeof(dir), "%s/modules", datadir);
    DIR *d = opendir(dir);
    if (!d) {
        tg_fatal("%s: cannot read the modules: %s", dir, strerror(errno));
        exit(1);
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(probe, sizeof(probe), "%s/%s/module.yml", dir, e->d_name);
        if (access(probe, F_OK) != 0)
            continue;
        if (n == TG_MAX_MODULES) {
            tg_fatal("%s: more than %d modules", dir, TG_MAX_MODULES);
            exit(1);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), by_string);
    return n;
}

/* Reads the descriptor in (folder); returns how many errors it has. */
static unsigned load_one(const char *datadir, const char *folder)
{
    struct tg_module *mod = &cur->modules[cur->nmodules];
    struct tg_devtype dev = {0};
    struct tg_buf b = {0};
    char rel[512], path[4096];
    int has_dev = 0;

    snprintf(rel, sizeof(rel), "modules/%s/module.yml", folder);
    snprintf(path, sizeof(path), "%s/%s", datadir, rel);
    if (tg_read_file(path, &b) < 0) {
        tg_fatal("%s: cannot read: %s", path, strerror(errno));
        exit(1);
    }
    unsigned errors =
        tg_read_module_yml(path, folder, (const unsigned char *)b.data, b.len,
                           cur->target, mod, &dev, &has_dev);
    tg_buf_free(&b);
    mod->descriptor = strdup(rel);
    mod->file = strdup(path);
    if (has_dev && cur->ndevtypes < TG_MAX_DEVTYPES) {
        cur->devtypes[cur->ndevtypes++] = dev; /* linked once sorted */
    }
    cur->nmodules++;
    return errors;
}

/* ---- canonical order -------------------------------------------------- */

/* The device type module (name) declares. */
static const struct tg_devtype *devtype_of(const char *name)
{
    static const struct tg_devtype none = {.name = ""};

    for (unsigned i = 0; i < cur->ndevtypes; i++)
        if (cur->devtypes[i].module_name &&
            strcmp(cur->devtypes[i].module_name, name) == 0)
            return &cur->devtypes[i];
    return &none;
}

static int by_canonical_order(const void *x, const void *y)
{
    const struct tg_module *a = x, *b = y;

    if (a->need != b->need)
        return (int)a->need - (int)b->need;
    if (a->need == TG_NEED_OPT_IN && a->opt_in != b->opt_in)
        return a->opt_in < b->opt_in ? -1 : 1;
    if (a->need == TG_NEED_DEVICE)
        return strcmp(devtype_of(a->name)->name, devtype_of(b->name)->name);
    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static int devtype_by_name(const void *x, const void *y)
{
    const struct tg_devtype *a = x, *b = y;
    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

/* Sorts the modules and the device types, and links each type to its
 * module and back. */
static void sort_registry(void)
{
    qsort(cur->devtypes, cur->ndevtypes, sizeof(cur->devtypes[0]),
          devtype_by_name);
    qsort(cur->modules, cur->nmodules, sizeof(cur->modules[0]),
          by_canonical_order);
    for (unsigned t = 0; t < cur->ndevtypes; t++)
        for (unsigned i = 0; i < cur->nmodules; i++)
            if (cur->modules[i].name && cur->devtypes[t].module_name &&
                strcmp(cur->modules[i].name, cur->devtypes[t].module_name) ==
                    0) {
                cur->devtypes[t].module = &cur->modules[i];
                cur->modules[i].dev_type = t;
            }
}

/* ---- checks across descriptors ----------------------------------------- */

static struct tg_loc loc_of(const struct tg_module *mod, unsigned line,
                            unsigned col)
{
    return (struct tg_loc){mod->file, line, col};
}

static void fail_at(const struct tg_module *mod, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail_at(const struct tg_module *mod, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    struct tg_loc loc = loc_of(mod, 0, 0);

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tg_error(&loc, "%s", msg);
}

/* One core; opt-in bits, device types and hypercall numbers each taken
 * once. */
static void check_unique(void)
{
    unsigned ncore = 0;

    for (unsigned i = 0; i < cur->nmodules; i++) {
        const struct tg_module *a = &cur->modules[i];
        ncore += a->need == TG_NEED_CORE;
        for (unsigned j = 0; j < i; j++) {
            const struct tg_module *b = &cur->modules[j];
            if (a->need == TG_NEED_OPT_IN && b->need == TG_NEED_OPT_IN &&
                a->opt_in == b->opt_in)
                fail_at(a, "note_bit: module \"%s\" has the same bit", b->name);
            for (unsigned k = 0; a->hypercalls[k].name; k++)
                for (unsigned l = 0; b->hypercalls[l].name; l++)
                    if (a->hypercalls[k].nr == b->hypercalls[l].nr)
                        fail_at(a,
                                "hypercall %u is served by module \"%s\" "
                                "too",
                                a->hypercalls[k].nr, b->name);
        }
    }
    for (unsigned t = 1; t < cur->ndevtypes; t++)
        if (strcmp(cur->devtypes[t].name, cur->devtypes[t - 1].name) == 0 ||
            cur->devtypes[t].mft == cur->devtypes[t - 1].mft)
            fail_at(cur->devtypes[t].module,
                    "device type \"%s\" clashes with module \"%s\"'s",
                    cur->devtypes[t].name, cur->devtypes[t - 1].module->name);
    if (ncore != 1)
        tg_fatal("%s/modules: %u modules of kind core (expected one)",
                 tg_datadir(), ncore);
}

/* Whether descriptor (n) lies in a device type's range, and which. */
static const struct tg_devtype *device_range(uint64_t n)
{
    for (unsigned t = 0; t < cur->ndevtypes; t++) {
        const struct tg_devtype *d = &cur->devtypes[t];
        if (n > d->fd_base && n <= (uint64_t)d->fd_base + d->max)
            return d;
    }
    return NULL;
}

/* Every fixed descriptor number and name taken once, outside the device
 * ranges, and the device ranges apart: a number two modules share would
 * let each use the other's descriptor. */
static void check_numbers(void)
{
    for (unsigned i = 0; i < cur->nmodules; i++) {
        const struct tg_module *a = &cur->modules[i];
        for (unsigned k = 0; k < TG_MAX_FDS && a->fds[k].name; k++) {
            const struct tg_fd *f = &a->fds[k];
            const struct tg_devtype *d = device_range(f->number);
            if (f->fixed && d)
                fail_at(a, "%s: descriptor %llu lies in the %s devices' range",
                        f->name, (unsigned long long)f->number, d->name);
            for (unsigned j = 0; j <= i; j++) {
                const struct tg_module *b = &cur->modules[j];
                for (unsigned l = 0;
                     l < TG_MAX_FDS && b->fds[l].name && (j < i || l < k);
                     l++) {
                    const struct tg_fd *g = &b->fds[l];
                    if (strcmp(f->name, g->name) == 0 ||
                        (f->fixed && g->fixed && f->number == g->number))
                        fail_at(a, "%s (%llu) clashes with module \"%s\"'s %s",
                                f->name, (unsigned long long)f->number, b->name,
                                g->name);
                }
            }
        }
    }
    for (unsigned t = 0; t < cur->ndevtypes; t++)
        for (unsigned u = 0; u < t; u++) {
            const struct tg_devtype *d = &cur->devtypes[t],
                                    *e = &cur->devtypes[u];
            if (d->fd_base < e->fd_base + e->max &&
                e->fd_base < d->fd_base + d->max)
                fail_at(d->module,
                        "device.fd_base: %s devices' descriptors overlap the "
                        "%s devices'",
                        d->name, e->name);
        }
}

/* ---- resolving the names pins use -------------------------------------- */

static const struct tg_fd *number_named(const struct tg_module *mod,
                                        const char *name)
{
    for (unsigned k = 0; k < TG_MAX_FDS && mod->fds[k].name; k++)
        if (strcmp(mod->fds[k].name, name) == 0)
            return &mod->fds[k];
    return NULL;
}

/* A constant's flags: each name in its expression, OR-ed. */
static void resolve_flags(struct tg_module *mod, struct tg_fd *fd)
{
    char buf[512];

    snprintf(buf, sizeof(buf), "%s", fd->value);
    fd->number = 0;
    for (char *save, *p = strtok_r(buf, "( |)", &save); p;
         p = strtok_r(NULL, "( |)", &save)) {
        uint64_t v;
        if (host_const(p, &v) < 0)
            fail_at(mod, "constants: %s: unknown flag %s", fd->name, p);
        else
            fd->number |= v;
    }
}

static void resolve_arg(struct tg_module *mod, const struct tg_syscall *sc,
                        struct tg_arg *arg, const struct tg_module *core)
{
    struct tg_loc loc = loc_of(mod, arg->line, arg->col);
    const struct tg_fd *fd;

    if (arg->op == TG_ARG_DEVICE_FD) {
        if (mod->need != TG_NEED_DEVICE)
            tg_error(&loc,
                     "%s: \"devices\" names the descriptors of a device "
                     "module's devices; this module has none",
                     sc->name);
        else
            arg->value = cur->devtypes[mod->dev_type].fd_base;
        return;
    }
    if ((fd = number_named(mod, arg->ref)) != NULL ||
        (core && (fd = number_named(core, arg->ref)) != NULL))
        arg->value = fd->number;
    else if (host_const(arg->ref, &arg->value) < 0)
        tg_error(&loc,
                 "%s: unknown name \"%s\" (expected a number this module or "
                 "the core declares, or a known ioctl request, open "
                 "flag or clock)",
                 sc->name, arg->ref);
}

static void resolve(void)
{
    const struct tg_module *core = NULL;

    for (unsigned i = 0; i < cur->nmodules; i++)
        if (cur->modules[i].need == TG_NEED_CORE)
            core = &cur->modules[i];
    for (unsigned i = 0; i < cur->nmodules; i++) {
        struct tg_module *mod = &cur->modules[i];
        for (unsigned k = 0; k < TG_MAX_FDS && mod->fds[k].name; k++)
            if (!mod->fds[k].fixed && mod->fds[k].value &&
                mod->fds[k].value[0] == '(')
                resolve_flags(mod, &mod->fds[k]);
        for (unsigned k = 0; k < TG_MAX_SYSCALLS && mod->syscalls[k].name; k++)
            for (unsigned a = 0; a < TG_MAX_ARGS; a++)
                if (mod->syscalls[k].args[a].ref &&
                    mod->syscalls[k].args[a].op != TG_ARG_SLOT_EQ &&
                    mod->syscalls[k].args[a].op != TG_ARG_SLOT_LE)
                    resolve_arg(mod, &mod->syscalls[k],
                                &mod->syscalls[k].args[a], core);
    }
}

static void load(void)
{
    const char *datadir = tg_datadir();
    char *folders[TG_MAX_MODULES];
    unsigned n = list_folders(datadir, folders), before = tg_error_count();

    for (unsigned i = 0; i < n; i++) {
        load_one(datadir, folders[i]);
        free(folders[i]);
    }
    if (tg_error_count() == before) {
        sort_registry();
        check_unique();
        check_numbers();
        resolve();
    }
    if (tg_error_count() != before) {
        tg_fatal("the module descriptors in %s/modules do not read", datadir);
        exit(1);
    }
}

const struct tg_registry *tg_registry_for(unsigned target)
{
    static int loaded[TG_NTARGETS];
    struct tg_registry *in_use = cur;

    if (!loaded[target]) {
        loaded[target] = 1;
        cur = &regs[target];
        cur->target = target;
        load();
        cur = in_use;
    }
    return &regs[target];
}

const struct tg_registry *tg_registry(void)
{
    return tg_registry_for(cur->target);
}

void tg_registry_use(unsigned target)
{
    tg_registry_for(target);
    cur = &regs[target];
}

const struct tg_module *tg_module_named(const char *name, size_t len)
{
    const struct tg_registry *r = tg_registry();

    for (unsigned i = 0; i < r->nmodules; i++)
        if (strlen(r->modules[i].name) == len &&
            strncmp(r->modules[i].name, name, len) == 0)
            return &r->modules[i];
    return NULL;
}

const struct tg_module *tg_opt_in_module(uint32_t bit)
{
    const struct tg_registry *r = tg_registry();

    for (unsigned i = 0; i < r->nmodules; i++)
        if (r->modules[i].need == TG_NEED_OPT_IN && r->modules[i].opt_in == bit)
            return &r->modules[i];
    return NULL;
}

uint32_t tg_opt_in_known(void)
{
    const struct tg_registry *r = tg_registry();
    uint32_t bits = 0;

    for (unsigned i = 0; i < r->nmodules; i++)
        if (r->modules[i].need == TG_NEED_OPT_IN)
            bits |= r->modules[i].opt_in;
    return bits;
}

int tg_devtype_named(const char *name, size_t len)
{
    const struct tg_registry *r = tg_registry();

    for (unsigned t = 0; t < r->ndevtypes; t++) {
        const struct tg_devtype *d = &r->devtypes[t];
        if ((strlen(d->name) == len && memcmp(d->name, name, len) == 0) ||
            (strlen(d->solo5) == len && memcmp(d->solo5, name, len) == 0))
            return (int)t;
    }
    return -1;
}

int tg_devtype_of_mft(uint32_t mft)
{
    const struct tg_registry *r = tg_registry();

    for (unsigned t = 0; t < r->ndevtypes; t++)
        if (r->devtypes[t].mft == mft)
            return (int)t;
    return -1;
}

const char *tg_opt_in_list(void)
{
    static char list[512];
    const struct tg_registry *r = tg_registry();
    size_t o = 0;

    if (list[0])
        return list;
    for (unsigned i = 0; i < r->nmodules; i++)
        if (r->modules[i].need == TG_NEED_OPT_IN)
            o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
                                  o ? ", " : "", r->modules[i].name);
    return o ? list : "none";
}

const char *tg_opt_in_near(const char *name, size_t len)
{
    const struct tg_registry *r = tg_registry();
    const char *names[TG_MAX_MODULES];
    size_t n = 0;

    for (unsigned i = 0; i < r->nmodules; i++)
        if (r->modules[i].need == TG_NEED_OPT_IN)
            names[n++] = r->modules[i].name;
    return tg_suggest(name, len, names, n);
}

const char *tg_devtype_list(void)
{
    static char list[512];
    const struct tg_registry *r = tg_registry();
    size_t o = 0;

    if (list[0])
        return list;
    for (unsigned t = 0; t < r->ndevtypes; t++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
                              t == 0                  ? ""
                              : t + 1 == r->ndevtypes ? " or "
                                                      : ", ",
                              r->devtypes[t].name);
    return o ? list : "none";
}
