/* module_yml.c: reads one module descriptor (modules/NAME/module.yml) into
 * a registry entry. Names the descriptor uses for its numbers (a fixed
 * descriptor, an ioctl request) are kept as written; registry.c resolves
 * them once every descriptor is read, since a module may pin the core's
 * descriptors. docs/writing-a-module.md describes the format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/hvt_abi.h"
#include "module_yml.h"
#include "yaml_tree.h"

#define PATH_MAX_LEN 96

struct reader {
    struct yt_ctx c;
    const char *folder; /* the module's folder name */
    const char *target; /* the part read: "hvt", "spt" */
    struct tg_module *mod;
    struct tg_devtype *dev;
    int has_dev;
};

/* The values of one mapping, by key index; NULL for a key not given. */
struct values {
    const struct yt_node *v[16];
};

static void on_key(struct yt_ctx *c, unsigned key, const struct yt_node *value,
                   void *arg)
{
    (void)c;
    ((struct values *)arg)->v[key] = value;
}

/* Walks mapping (n) into (vals); reports what is not a mapping, and each
 * required key (bit set in (required)) that is missing. Returns 0 when (n)
 * is a mapping with every required key. */
static int read_map(struct reader *r, const struct yt_node *n, const char *path,
                    const char *const *keys, unsigned nkeys, uint32_t required,
                    struct values *vals)
{
    char shown[YT_QUOTE_BUF];

    memset(vals, 0, sizeof(*vals));
    if (n->kind != YT_MAP) {
        yt_report_node(&r->c, n, path, "expected a mapping, found %s",
                       yt_describe(n, shown));
        return -1;
    }
    uint32_t seen = yt_walk_mapping(&r->c, n, path, keys, nkeys, on_key, vals);
    int rc = 0;
    for (unsigned k = 0; k < nkeys; k++)
        if ((required & (UINT32_C(1) << k)) && !(seen & (UINT32_C(1) << k))) {
            yt_report_node(&r->c, n, path, "missing required key \"%s\"",
                           keys[k]);
            rc = -1;
        }
    return rc;
}

/* A string value, kept for the life of tender-gen. */
static char *read_string(struct reader *r, const struct yt_node *n,
                         const char *path)
{
    char shown[YT_QUOTE_BUF];

    if (n->kind != YT_SCALAR || yt_is_null(n) || strlen(n->text) != n->len) {
        yt_report_node(&r->c, n, path, "expected a string, found %s",
                       yt_describe(n, shown));
        return NULL;
    }
    return strdup(n->text);
}

/* A C identifier: what names a function, a table or a constant. */
static char *read_ident(struct reader *r, const struct yt_node *n,
                        const char *path)
{
    char shown[YT_QUOTE_BUF];
    char *s = read_string(r, n, path);
    size_t i = 0;

    if (!s)
        return NULL;
    for (; s[i]; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z') ||
              (i > 0 && s[i] >= '0' && s[i] <= '9')))
            break;
    if (i == 0 || s[i]) {
        yt_report_node(&r->c, n, path, "%s is not a C identifier",
                       yt_show(n, shown));
        free(s);
        return NULL;
    }
    return s;
}

static int read_uint(struct reader *r, const struct yt_node *n,
                     const char *path, unsigned long max, unsigned *out)
{
    char shown[YT_QUOTE_BUF], *end;

    if (n->kind == YT_SCALAR && !n->string && n->len > 0 && n->len < 12 &&
        n->text[0] >= '0' && n->text[0] <= '9') {
        unsigned long v = strtoul(n->text, &end, 10);
        if (*end == 0 && v <= max) {
            *out = (unsigned)v;
            return 0;
        }
    }
    yt_report_node(&r->c, n, path,
                   "expected an integer from 0 to %lu, found %s", max,
                   yt_describe(n, shown));
    return -1;
}

static int read_bool(struct reader *r, const struct yt_node *n,
                     const char *path, int *out)
{
    char shown[YT_QUOTE_BUF];

    if (yt_text_is(n, "true") || yt_text_is(n, "false")) {
        *out = yt_text_is(n, "true");
        return 0;
    }
    yt_report_node(&r->c, n, path, "expected true or false, found %s",
                   yt_describe(n, shown));
    return -1;
}

/* A sequence (n) of at most (max) items; returns its length, or -1. */
static int read_seq(struct reader *r, const struct yt_node *n, const char *path,
                    unsigned max)
{
    char shown[YT_QUOTE_BUF];

    if (n->kind != YT_SEQ) {
        yt_report_node(&r->c, n, path, "expected a sequence, found %s",
                       yt_describe(n, shown));
        return -1;
    }
    if (n->nkid > max) {
        yt_report_node(&r->c, n, path, "more than %u items", max);
        return -1;
    }
    return (int)n->nkid;
}

/* ---- a target's part -------------------------------------------------- */

/* A list of file names in the module's folder (sources, services) into
 * (dst), as data-dir-relative paths. */
static void read_sources(struct reader *r, const struct yt_node *n,
                         const char *key, const char **dst)
{
    char path[PATH_MAX_LEN], rel[256];
    int len = read_seq(r, n, key, TG_MAX_SOURCES - 1);

    for (int i = 0; i < len; i++) {
        snprintf(path, sizeof(path), "%s[%d]", key, i);
        char *s = read_string(r, n->kid[i], path);
        if (!s)
            continue;
        if (strchr(s, '/') || s[0] == '.')
            yt_report_node(&r->c, n->kid[i], path,
                           "a source is a file name in the module's folder");
        else {
            snprintf(rel, sizeof(rel), "modules/%s/%s", r->folder, s);
            dst[i] = strdup(rel);
        }
        free(s);
    }
}

static void read_hypercall(struct reader *r, const struct yt_node *n,
                           const char *path, struct tg_hypercall *hc)
{
    static const char *const keys[] = {"number", "name", "handler"};
    char sub[PATH_MAX_LEN], name[128];
    struct values v;

    if (read_map(r, n, path, keys, 3, 7, &v) < 0)
        return;
    snprintf(sub, sizeof(sub), "%s.number", path);
    read_uint(r, v.v[0], sub, HVT_HYPERCALL_MAX - 1, &hc->nr);
    snprintf(sub, sizeof(sub), "%s.name", path);
    char *short_name = read_ident(r, v.v[1], sub);
    if (short_name) {
        snprintf(name, sizeof(name), "HVT_HYPERCALL_%s", short_name);
        hc->name = strdup(name);
        free(short_name);
    }
    snprintf(sub, sizeof(sub), "%s.handler", path);
    hc->handler = read_ident(r, v.v[2], sub);
}

/* A pin on argument (index): a name resolved later, or a number. */
static void read_pin(struct reader *r, const struct yt_node *n,
                     const char *path, struct tg_arg *arg, enum tg_arg_op op,
                     unsigned index)
{
    arg->op = op;
    arg->index = index;
    arg->mask = op == TG_ARG_MASKED_EQ ? 0xffffffff : 0;
    arg->line = n->line;
    arg->col = n->col;
    if (op == TG_ARG_SLOT_EQ || op == TG_ARG_SLOT_LE) {
        /* A value known only once the device is attached: the function
         * of the module's spt sources that gives it. */
        arg->ref = read_ident(r, n, path);
        return;
    }
    if (n->kind == YT_SCALAR && !n->string && n->len > 0 && n->text[0] >= '0' &&
        n->text[0] <= '9') {
        unsigned v;
        if (read_uint(r, n, path, 0xffffffffUL, &v) == 0)
            arg->value = v;
        return;
    }
    if (op == TG_ARG_EQ && yt_text_is(n, "devices")) {
        arg->op = TG_ARG_DEVICE_FD;
        arg->ref = "devices";
        return;
    }
    arg->ref = read_ident(r, n, path);
}

static void read_syscall(struct reader *r, const struct yt_node *n,
                         const char *path, struct tg_syscall *sc)
{
    static const char *const keys[] = {"name",    "why",   "fd",
                                       "request", "flags", "clock",
                                       "code",    "size",  "offset_max"};
    /* The argument each pin is: fd, a clock id and arch_prctl's code are
     * the first, ioctl's request the second, openat's flags and a
     * transfer's size the third, a transfer's offset the fourth. */
    static const unsigned index[] = {0, 0, 0, 1, 2, 0, 0, 2, 3};
    static const enum tg_arg_op ops[] = {
        TG_ARG_EQ,        TG_ARG_EQ,        TG_ARG_EQ,
        TG_ARG_MASKED_EQ, TG_ARG_MASKED_EQ, TG_ARG_EQ,
        TG_ARG_EQ,        TG_ARG_SLOT_EQ,   TG_ARG_SLOT_LE};
    char sub[PATH_MAX_LEN];
    struct values v;
    unsigned nargs = 0;

    if (read_map(r, n, path, keys, 9, 3, &v) < 0)
        return;
    snprintf(sub, sizeof(sub), "%s.name", path);
    sc->name = read_ident(r, v.v[0], sub);
    snprintf(sub, sizeof(sub), "%s.why", path);
    sc->why = read_string(r, v.v[1], sub);
    for (unsigned k = 2; k < 9; k++) {
        if (!v.v[k])
            continue;
        if (nargs == TG_MAX_ARGS) {
            yt_report_node(&r->c, v.v[k], path,
                           "at most three arguments are pinned");
            break;
        }
        snprintf(sub, sizeof(sub), "%s.%s", path, keys[k]);
        sc->args[nargs].label = keys[k];
        read_pin(r, v.v[k], sub, &sc->args[nargs++], ops[k], index[k]);
    }
}

/* flags: [O_WRONLY, O_CREAT]: kept as the C expression and, resolved
 * later, as its value. */
static void read_flags(struct reader *r, const struct yt_node *n,
                       const char *path, struct tg_fd *fd)
{
    char expr[512] = "(";
    int len = read_seq(r, n, path, 16);

    for (int i = 0; i < len; i++) {
        char sub[PATH_MAX_LEN];
        snprintf(sub, sizeof(sub), "%s[%d]", path, i);
        char *name = read_ident(r, n->kid[i], sub);
        if (!name)
            return;
        size_t o = strlen(expr);
        snprintf(expr + o, sizeof(expr) - o, "%s%s", i ? " | " : "", name);
        free(name);
    }
    if (len <= 0) {
        if (len == 0)
            yt_report_node(&r->c, n, path, "expected at least one flag");
        return;
    }
    size_t o = strlen(expr);
    snprintf(expr + o, sizeof(expr) - o, ")");
    fd->value = strdup(expr);
}

/* One entry of fds: (a descriptor number) or constants: (flags). */
static void read_number(struct reader *r, const struct yt_node *n,
                        const char *path, struct tg_fd *fd, int is_fd)
{
    static const char *const fd_keys[] = {"name", "number", "use", "pinned"};
    static const char *const const_keys[] = {"name", "flags", "use"};
    char sub[PATH_MAX_LEN], num[24];
    struct values v;

    if (read_map(r, n, path, is_fd ? fd_keys : const_keys, is_fd ? 4 : 3, 7,
                 &v) < 0)
        return;
    snprintf(sub, sizeof(sub), "%s.name", path);
    fd->name = read_ident(r, v.v[0], sub);
    snprintf(sub, sizeof(sub), "%s.use", path);
    fd->use = read_string(r, v.v[2], sub);
    snprintf(sub, sizeof(sub), "%s.%s", path, is_fd ? "number" : "flags");
    if (!is_fd) {
        read_flags(r, v.v[1], sub, fd);
        return;
    }
    unsigned number = 0;
    if (read_uint(r, v.v[1], sub, 1023, &number) == 0) {
        fd->number = number;
        snprintf(num, sizeof(num), "%u", number);
        fd->value = strdup(num);
    }
    fd->fixed = 1;
    snprintf(sub, sizeof(sub), "%s.pinned", path);
    if (v.v[3])
        read_bool(r, v.v[3], sub, &fd->fixed);
}

static void read_options(struct reader *r, const struct yt_node *n);

/* services: the core's sources that only monitors with a module saying
 * core_services get; core_services: a module uses them. */
static void read_services(struct reader *r, const struct yt_node *services,
                          const struct yt_node *uses)
{
    if (services && r->mod->need != TG_NEED_CORE)
        yt_report_node(&r->c, services, "services",
                       "only the core offers services (core_services: true "
                       "asks for them)");
    else if (services)
        read_sources(r, services, "services", r->mod->services);
    if (uses && r->mod->need == TG_NEED_CORE)
        yt_report_node(&r->c, uses, "core_services",
                       "the core does not ask for its own services");
    else if (uses)
        read_bool(r, uses, "core_services", &r->mod->core_services);
}

static void read_target(struct reader *r, const struct yt_node *n)
{
    static const char *const keys[] = {"ops",      "sources",  "hypercalls",
                                       "syscalls", "fds",      "constants",
                                       "options",  "services", "core_services"};
    char path[PATH_MAX_LEN];
    struct values v;
    unsigned nfds = 0;
    int len;

    char where[32];

    snprintf(where, sizeof(where), "targets.%s", r->target);
    if (read_map(r, n, where, keys, 9, 2, &v) < 0)
        return;
    /* A target whose monitors take other options than the module's own
     * list names them here. */
    if (v.v[6]) {
        memset(r->mod->options, 0, sizeof(r->mod->options));
        read_options(r, v.v[6]);
    }
    read_services(r, v.v[7], v.v[8]);
    r->mod->present = 1;
    if (v.v[0])
        r->mod->ops = read_ident(r, v.v[0], "ops");
    else if (r->mod->need != TG_NEED_CORE && strcmp(r->target, "hvt") == 0)
        yt_report_node(&r->c, n, where,
                       "missing required key \"ops\" (the module's struct "
                       "mon_module)");
    read_sources(r, v.v[1], "sources", r->mod->sources);
    if (v.v[2] &&
        (len = read_seq(r, v.v[2], "hypercalls", TG_MAX_HYPERCALLS - 1)) > 0)
        for (int i = 0; i < len; i++) {
            snprintf(path, sizeof(path), "hypercalls[%d]", i);
            read_hypercall(r, v.v[2]->kid[i], path, &r->mod->hypercalls[i]);
        }
    if (v.v[3] &&
        (len = read_seq(r, v.v[3], "syscalls", TG_MAX_SYSCALLS - 1)) > 0)
        for (int i = 0; i < len; i++) {
            snprintf(path, sizeof(path), "syscalls[%d]", i);
            read_syscall(r, v.v[3]->kid[i], path, &r->mod->syscalls[i]);
        }
    for (unsigned k = 4; k < 6; k++) {
        if (!v.v[k] ||
            (len = read_seq(r, v.v[k], keys[k], TG_MAX_FDS - 1 - nfds)) <= 0)
            continue;
        for (int i = 0; i < len; i++) {
            snprintf(path, sizeof(path), "%s[%d]", keys[k], i);
            read_number(r, v.v[k]->kid[i], path, &r->mod->fds[nfds++], k == 4);
        }
    }
}

/* The targets a descriptor may have parts for (docs/design.md decision 11). */
static const char *const targets[] = {"hvt", "spt"};

static void on_target(struct yt_ctx *c, unsigned key,
                      const struct yt_node *value, void *arg)
{
    (void)c;
    struct reader *r = arg;

    /* Only the part of the registry's target is read. */
    if (strcmp(targets[key], r->target) == 0)
        read_target(r, value);
}

static void read_targets(struct reader *r, const struct yt_node *n)
{
    char shown[YT_QUOTE_BUF];
    uint32_t seen;
    unsigned k = 0;

    if (n->kind != YT_MAP) {
        yt_report_node(&r->c, n, "targets", "expected a mapping, found %s",
                       yt_describe(n, shown));
        return;
    }
    seen = yt_walk_mapping(&r->c, n, "targets", targets, 2, on_target, r);
    while (strcmp(targets[k], r->target) != 0)
        k++;
    /* Every module runs on hvt; another target has the modules that have
     * a part for it. */
    if (!(seen & (UINT32_C(1) << k)) && k == 0)
        yt_report_node(&r->c, n, "targets", "no part for target \"%s\"",
                       r->target);
}

/* ---- the module ------------------------------------------------------- */

static void read_device(struct reader *r, const struct yt_node *n)
{
    static const char *const keys[] = {"type", "solo5",   "mft",
                                       "max",  "fd_base", "fd_base_name"};
    struct values v;
    struct tg_devtype *d = r->dev;

    if (read_map(r, n, "device", keys, 6, 0x3f, &v) < 0)
        return;
    r->has_dev = 1;
    d->module_name = strdup(r->folder);
    d->name = read_ident(r, v.v[0], "device.type");
    d->solo5 = read_ident(r, v.v[1], "device.solo5");
    read_uint(r, v.v[2], "device.mft", 0x3fffffff, &d->mft);
    read_uint(r, v.v[3], "device.max", 63, &d->max);
    read_uint(r, v.v[4], "device.fd_base", 1023, &d->fd_base);
    d->fd_name = read_ident(r, v.v[5], "device.fd_base_name");
}

static void read_options(struct reader *r, const struct yt_node *n)
{
    static const char *const keys[] = {"name", "help"};
    int len = read_seq(r, n, "options", TG_MAX_OPTIONS - 1);

    for (int i = 0; i < len; i++) {
        char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
        struct values v;
        snprintf(path, sizeof(path), "options[%d]", i);
        if (read_map(r, n->kid[i], path, keys, 2, 3, &v) < 0)
            continue;
        snprintf(sub, sizeof(sub), "%s.name", path);
        r->mod->options[i].name = read_string(r, v.v[0], sub);
        snprintf(sub, sizeof(sub), "%s.help", path);
        r->mod->options[i].help = read_string(r, v.v[1], sub);
    }
}

static void read_kind(struct reader *r, const struct yt_node *n)
{
    static const char *const kinds[] = {"core", "always", "device", "opt-in"};
    char shown[YT_QUOTE_BUF];

    for (unsigned k = 0; k < 4; k++)
        if (yt_text_is(n, kinds[k])) {
            r->mod->need = (enum tg_need)k;
            return;
        }
    yt_report_node(&r->c, n, "kind",
                   "unknown kind %s (expected core, always, device or "
                   "opt-in)",
                   yt_describe(n, shown));
}

enum {
    K_NAME,
    K_SUMMARY,
    K_KIND,
    K_DEVICE,
    K_NOTE_BIT,
    K_OPTIONS,
    K_TARGETS,
    K_NKEYS
};

static void read_module(struct reader *r, const struct yt_node *root)
{
    static const char *const keys[K_NKEYS] = {
        "name", "summary", "kind", "device", "note_bit", "options", "targets"};
    struct values v;
    char shown[YT_QUOTE_BUF];

    if (!root || yt_is_null(root)) {
        yt_report(&r->c, 1, 1, "the descriptor is empty");
        return;
    }
    if (read_map(r, root, "", keys, K_NKEYS, 0x47, &v) < 0 &&
        root->kind != YT_MAP)
        return;
    if (v.v[K_NAME] && (r->mod->name = read_ident(r, v.v[K_NAME], "name")) &&
        strcmp(r->mod->name, r->folder) != 0)
        yt_report_node(&r->c, v.v[K_NAME], "name",
                       "%s is not the name of the module's folder (\"%s\")",
                       yt_show(v.v[K_NAME], shown), r->folder);
    if (v.v[K_SUMMARY])
        r->mod->summary = read_string(r, v.v[K_SUMMARY], "summary");
    if (v.v[K_KIND])
        read_kind(r, v.v[K_KIND]);
    if (r->mod->need == TG_NEED_DEVICE && v.v[K_KIND] && !v.v[K_DEVICE])
        yt_report_node(&r->c, root, "",
                       "a device module needs \"device\" (its device type)");
    else if (r->mod->need != TG_NEED_DEVICE && v.v[K_DEVICE])
        yt_report_node(&r->c, v.v[K_DEVICE], "device",
                       "only a module of kind device declares a device type");
    else if (v.v[K_DEVICE])
        read_device(r, v.v[K_DEVICE]);
    if (r->mod->need == TG_NEED_OPT_IN && v.v[K_KIND] && !v.v[K_NOTE_BIT])
        yt_report_node(&r->c, root, "",
                       "an opt-in module needs \"note_bit\" (its bit in "
                       "the TGN1 note, 0 to 31)");
    else if (r->mod->need != TG_NEED_OPT_IN && v.v[K_NOTE_BIT])
        yt_report_node(&r->c, v.v[K_NOTE_BIT], "note_bit",
                       "only a module of kind opt-in has a note bit");
    else if (v.v[K_NOTE_BIT]) {
        unsigned bit = 0;
        if (read_uint(r, v.v[K_NOTE_BIT], "note_bit", TG_MAX_OPT_IN - 1,
                      &bit) == 0)
            r->mod->opt_in = UINT32_C(1) << bit;
    }
    if (v.v[K_OPTIONS])
        read_options(r, v.v[K_OPTIONS]);
    if (v.v[K_TARGETS])
        read_targets(r, v.v[K_TARGETS]);
}

unsigned tg_read_module_yml(const char *path, const char *folder,
                            const unsigned char *buf, size_t len,
                            unsigned target, struct tg_module *mod,
                            struct tg_devtype *dev, int *has_dev)
{
    struct reader r;

    memset(&r, 0, sizeof(r));
    r.c.path = path;
    r.c.what = "module descriptor";
    r.c.buf = buf;
    r.c.len = len;
    r.folder = folder;
    r.target = targets[target];
    r.mod = mod;
    r.dev = dev;
    if (yt_build(&r.c) == 0)
        read_module(&r, r.c.root);
    yt_free(r.c.root);
    *has_dev = r.has_dev;
    return yt_flush(&r.c);
}
