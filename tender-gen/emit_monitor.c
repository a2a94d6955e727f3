/* emit_monitor.c: the amalgamation. Module sources are copied in unchanged
 * between begin/end comments; a quoted #include of a project file is
 * replaced by that file the first time and by a comment afterwards, so the
 * output needs nothing but the C library's and Linux's headers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derived.h"
#include "describe.h"
#include "diag.h"
#include "emit_monitor.h"
#include "emit_spt.h"
#include "help_text.h"
#include "seccomp.h"
#include "sha256.h"
#include "template.h"

#define TEMPLATE "templates/monitor.c.in"
#define SPT_TEMPLATE "templates/spt_monitor.c.in"
#define FDS_HEADER "include/tender_fds.h"
#define MAX_INLINED 64

/* The interfaces, first in monitor.c, each before the files that include
 * it: the ABI every monitor serves, the manifest notes, the fixed
 * descriptors, the core's interface to modules and the core's own. */
static const char *const interfaces[] = {
    "include/hvt_core_abi.h", "include/mft_abi.h", FDS_HEADER,
    "modules/core/monitor.h", "modules/core/mon_internal.h"};

struct amalgam {
    const char *datadir;
    char *inlined[MAX_INLINED]; /* data-dir-relative paths, in order */
    unsigned ninlined;
    struct tg_sha256 hash;
    struct tg_deps *deps;
};

static void add_dep(struct tg_deps *deps, const char *path)
{
    if (deps->n < TG_MAX_DEPS)
        deps->paths[deps->n++] = strdup(path);
}

void tg_deps_free(struct tg_deps *deps)
{
    for (unsigned i = 0; i < deps->n; i++)
        free(deps->paths[i]);
    deps->n = 0;
}

/* Reads (rel) under the data dir, records it as a dependency and hashes its
 * name and content into the digest. The descriptor numbers' header is
 * written afresh from the descriptors (the tree's copy is that same text,
 * checked by a test), so a module added in its folder alone has its
 * numbers defined too. */
static int read_input(struct amalgam *a, const char *rel, struct tg_buf *b)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", a->datadir, rel);
    if (strcmp(rel, FDS_HEADER) == 0) {
        tg_emit_fds_header(b);
    } else if (tg_read_file(path, b) < 0) {
        tg_fatal("%s: cannot read: %s", path, strerror(errno));
        return -1;
    } else {
        add_dep(a->deps, path);
    }
    tg_sha256_update(&a->hash, rel, strlen(rel) + 1);
    tg_sha256_update(&a->hash, b->data, b->len + 1);
    return 0;
}

/* Joins (dir) and (name), folding "." and ".." so every file has one
 * canonical data-dir-relative name. Returns -1 when it leaves the data dir. */
static int join_path(const char *dir, const char *name, char *out, size_t size)
{
    char tmp[4096];
    char *parts[128];
    unsigned n = 0;

    snprintf(tmp, sizeof(tmp), "%s/%s", dir, name);
    for (char *save, *p = strtok_r(tmp, "/", &save); p;
         p = strtok_r(NULL, "/", &save)) {
        if (strcmp(p, ".") == 0)
            continue;
        if (strcmp(p, "..") == 0) {
            if (n == 0)
                return -1;
            n--;
        } else if (n < 128) {
            parts[n++] = p;
        }
    }
    out[0] = 0;
    for (unsigned i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", i ? "/" : "", parts[i]);
    }
    return 0;
}

static int already_inlined(const struct amalgam *a, const char *rel)
{
    for (unsigned i = 0; i < a->ninlined; i++)
        if (strcmp(a->inlined[i], rel) == 0)
            return 1;
    return 0;
}

/* If (line) is `#include "NAME"`, copies NAME into (name) and returns 1. */
static int quoted_include(const char *line, size_t len, char *name, size_t size)
{
    const char *p = line, *end = line + len;

    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (end - p < 10 || strncmp(p, "#include \"", 10) != 0)
        return 0;
    p += 10;
    const char *q = memchr(p, '"', (size_t)(end - p));
    if (!q || (size_t)(q - p) >= size)
        return 0;
    memcpy(name, p, (size_t)(q - p));
    name[q - p] = 0;
    return 1;
}

static int inline_file(struct amalgam *a, const char *rel, struct tg_buf *out);

static int inline_include(struct amalgam *a, const char *from, const char *name,
                          struct tg_buf *out)
{
    char dir[4096], rel[4096];
    const char *slash = strrchr(from, '/');

    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - from) : 0, from);
    if (join_path(dir, name, rel, sizeof(rel)) < 0) {
        tg_fatal("%s: #include \"%s\" leaves the source tree", from, name);
        return -1;
    }
    if (already_inlined(a, rel)) {
        tg_buf_printf(out, "/* #include \"%s\": inlined above */\n", rel);
        return 0;
    }
    return inline_file(a, rel, out);
}

static int inline_file(struct amalgam *a, const char *rel, struct tg_buf *out)
{
    struct tg_buf src = {0};
    char name[1024];
    int rc = 0;

    if (a->ninlined == MAX_INLINED) {
        tg_fatal("too many source files");
        return -1;
    }
    a->inlined[a->ninlined++] = strdup(rel);
    if (read_input(a, rel, &src) < 0)
        return -1;
    tg_buf_printf(out, "/* ---- begin %s ---- */\n", rel);
    for (size_t pos = 0; pos < src.len && rc == 0;) {
        const char *line = src.data + pos;
        const char *nl = memchr(line, '\n', src.len - pos);
        size_t len = nl ? (size_t)(nl - line) : src.len - pos;
        if (quoted_include(line, len, name, sizeof(name)))
            rc = inline_include(a, rel, name, out);
        else {
            tg_buf_add(out, line, len);
            tg_buf_puts(out, "\n");
        }
        pos += len + 1;
    }
    tg_buf_printf(out, "/* ---- end %s ---- */\n", rel);
    tg_buf_free(&src);
    return rc;
}

int tg_inline_sources(const char *datadir, const char *const *rels,
                      struct tg_buf *out, struct tg_deps *deps)
{
    struct amalgam a = {.datadir = datadir, .deps = deps};
    int rc = 0;

    tg_sha256_init(&a.hash);
    for (size_t i = 0; rels[i] && rc == 0; i++)
        rc = inline_file(&a, rels[i], out);
    for (unsigned i = 0; i < a.ninlined; i++)
        free(a.inlined[i]);
    return rc;
}

static void emit_banner(const struct tg_shape *shape, const char *digest,
                        struct tg_buf *out)
{
    tg_buf_printf(out,
                  "/*\n"
                  " * monitor.c: a %s monitor for unikernels of one shape.\n"
                  " * Generated by tender-gen %s from its module sources; "
                  "do not edit.\n"
                  " * shape: %s\n"
                  " * digest: sha256:%s\n"
                  " * Licence: ISC, as the module sources it includes.\n"
                  " */\n",
                  shape->target == TG_TARGET_SPT ? "process (Solo5 spt)"
                                                 : "KVM",
                  TG_VERSION, shape->text, digest);
}

static int by_number(const void *x, const void *y)
{
    const struct tg_hypercall *a = *(const struct tg_hypercall *const *)x;
    const struct tg_hypercall *b = *(const struct tg_hypercall *const *)y;
    return (int)a->nr - (int)b->nr;
}

static void emit_hypercall_table(const struct tg_shape *shape,
                                 struct tg_buf *out)
{
    const struct tg_hypercall *hc[32];
    size_t n = 0;

    for (unsigned i = 0; i < shape->nmodules; i++)
        for (unsigned k = 0; k < TG_MAX_HYPERCALLS; k++)
            if (shape->modules[i]->hypercalls[k].name && n < 32)
                hc[n++] = &shape->modules[i]->hypercalls[k];
    qsort(hc, n, sizeof(hc[0]), by_number);
    tg_buf_puts(out, "/* The hypercalls this monitor serves; any other "
                     "number stops the guest. */\n"
                     "static const mon_hypercall_fn "
                     "mon_hypercalls[HVT_HYPERCALL_MAX] = {\n");
    for (size_t i = 0; i < n; i++)
        tg_buf_printf(out, "    [%s] = %s,\n", hc[i]->name, hc[i]->handler);
    tg_buf_puts(out, "};\n/* The numbers the modules' descriptors give them "
                     "are the ABI's. */\n");
    for (size_t i = 0; i < n; i++)
        tg_buf_printf(out, "_Static_assert(%s == %u, \"hypercall %u\");\n",
                      hc[i]->name, hc[i]->nr, hc[i]->nr);
}

/* The dispatch part of the tables: modules, hypercalls, the sandbox. It is
 * derived from the registry, so it goes into the digest too. */
static int emit_dispatch(const struct tg_shape *shape, struct tg_buf *out)
{
    unsigned nrules;

    if (shape->target == TG_TARGET_SPT)
        return tg_spt_emit_dispatch(shape, out, &nrules);
    tg_buf_puts(out, "/* The modules compiled into this monitor, in "
                     "canonical order. */\n"
                     "static const struct mon_module *const mon_modules[] = "
                     "{\n");
    for (unsigned i = 0; i < shape->nmodules; i++)
        if (shape->modules[i]->ops)
            tg_buf_printf(out, "    &%s,\n", shape->modules[i]->ops);
    tg_buf_puts(out, "};\n\n");
    emit_hypercall_table(shape, out);
    tg_buf_puts(out, "\n");
    return tg_seccomp_emit(shape, out, &nrules);
}

static void emit_devtypes(const struct tg_shape *shape, const char *prefix,
                          struct tg_buf *out)
{
    const struct tg_registry *reg = tg_registry();

    tg_buf_printf(out,
                  "\n/* The device types tender-gen knows, and how many "
                  "devices of each this\n"
                  " * monitor serves. */\n"
                  "static const struct %s_devtype %s_devtypes[] = {\n",
                  prefix, prefix);
    for (unsigned t = 0; t < reg->ndevtypes; t++) {
        const struct tg_devtype *d = &reg->devtypes[t];
        tg_buf_printf(out, "    {%u, \"%s\", %u, %s},\n", d->mft, d->name,
                      shape->count[t], d->fd_name);
    }
    tg_buf_puts(out, "};\n");
}

const char *tg_monitor_target(const struct tg_shape *shape)
{
    return tg_target_name(shape->target);
}

/* Which opt-in modules a list of option facts names. */
enum opt_in_list { OPT_IN_OFFERED, OPT_IN_WITH, OPT_IN_FOREIGN };

/* Appends the opt-in modules of (list), comma-separated, as a C string:
 * those with options and a part for the target (offered), those in
 * (shape) (with), or those with options and no part for it (foreign). */
static void put_opt_in(const struct tg_shape *shape, enum opt_in_list list,
                       struct tg_buf *out)
{
    const struct tg_registry *reg = tg_registry();
    const char *sep = "";

    tg_buf_puts(out, "\"");
    for (unsigned i = 0; i < reg->nmodules; i++) {
        const struct tg_module *mod = &reg->modules[i];
        int options = mod->options[0].name != NULL;
        if (mod->need != TG_NEED_OPT_IN ||
            (list == OPT_IN_OFFERED && !(options && mod->present)) ||
            (list == OPT_IN_WITH && !(shape->opt_in & mod->opt_in)) ||
            (list == OPT_IN_FOREIGN && !(options && !mod->present)))
            continue;
        tg_buf_printf(out, "%s%s", sep, mod->name);
        sep = ",";
    }
    tg_buf_puts(out, "\"");
}

/* Appends the device types, comma-separated, as a C string: every one, or
 * those (shape) serves none of (absent). */
static void put_devtypes(const struct tg_shape *shape, int absent,
                         struct tg_buf *out)
{
    const struct tg_registry *reg = tg_registry();
    const char *sep = "";

    tg_buf_puts(out, "\"");
    for (unsigned t = 0; t < reg->ndevtypes; t++)
        if (!absent || shape->count[t] == 0) {
            tg_buf_printf(out, "%s%s", sep, reg->devtypes[t].name);
            sep = ",";
        }
    tg_buf_puts(out, "\"");
}

/* Appends the core's own option names, comma-separated, as a C string:
 * its descriptor's options ("--mem=MB": mem), then the questions every
 * monitor answers. */
static void put_core_options(const struct tg_shape *shape, struct tg_buf *out)
{
    tg_buf_puts(out, "\"");
    for (unsigned i = 0; i < shape->nmodules; i++) {
        const struct tg_option *o = shape->modules[i]->options;
        if (shape->modules[i]->need != TG_NEED_CORE)
            continue;
        for (unsigned k = 0; k < TG_MAX_OPTIONS && o[k].name; k++)
            tg_buf_printf(out, "%.*s,", (int)strcspn(o[k].name + 2, "=:"),
                          o[k].name + 2);
    }
    tg_buf_puts(out, "help,version,describe\"");
}

static void emit_option_facts(const struct tg_shape *shape, const char *prefix,
                              struct tg_buf *out)
{
    static const char *const lists[] = {".opt_in", ".with", ".foreign"};

    tg_buf_printf(out,
                  "\n/* What the monitor says of an option no module took "
                  "(unknown_option.c). */\n"
                  "static const struct mon_option_facts %s_option_facts = {\n"
                  "    .target = \"%s\",\n"
                  "    .shape = \"%s\",\n",
                  prefix, tg_monitor_target(shape), shape->text);
    for (int l = OPT_IN_OFFERED; l <= OPT_IN_FOREIGN; l++) {
        tg_buf_printf(out, "    %s = ", lists[l]);
        put_opt_in(shape, (enum opt_in_list)l, out);
        tg_buf_puts(out, ",\n");
    }
    tg_buf_puts(out, "    .core = ");
    put_core_options(shape, out);
    tg_buf_puts(out, ",\n    .devtypes = ");
    put_devtypes(shape, 0, out);
    tg_buf_puts(out, ",\n    .absent = ");
    put_devtypes(shape, 1, out);
    tg_buf_puts(out, ",\n};\n");
}

void tg_emit_shape_tables(const struct tg_shape *shape, const char *digest,
                          const char *prefix, struct tg_buf *out)
{
    char decl[64];

    emit_devtypes(shape, prefix, out);
    emit_option_facts(shape, prefix, out);
    tg_buf_puts(out, "\n/* What --help writes after \"usage: PROG\". */\n");
    snprintf(decl, sizeof(decl), "static const char %s_help[]", prefix);
    tg_emit_help(decl, shape, out);
    tg_buf_puts(out, "\n/* What --describe writes (docs/monitor.md). */\n");
    snprintf(decl, sizeof(decl), "static const char %s_describe[]", prefix);
    tg_emit_describe(decl, shape, digest, out);
}

/* The configuration main() hands the core, and the provenance. */
static void emit_config(const struct tg_shape *shape, const char *digest,
                        struct tg_buf *out)
{
    if (shape->target == TG_TARGET_SPT) {
        tg_spt_emit_config(shape, digest, out);
        return;
    }
    tg_emit_shape_tables(shape, digest, "mon", out);
    tg_buf_printf(out,
                  "\nstatic const struct mon_config mon_config = {\n"
                  "    .shape = \"%s\",\n"
                  "    .digest = \"sha256:%s\",\n"
                  "    .devtypes = mon_devtypes,\n"
                  "    .ndevtypes = sizeof(mon_devtypes) / "
                  "sizeof(mon_devtypes[0]),\n"
                  "    .option_facts = &mon_option_facts,\n"
                  "    .modules_known = 0x%x,\n"
                  "    .modules = mon_modules,\n"
                  "    .nmodules = sizeof(mon_modules) / "
                  "sizeof(mon_modules[0]),\n"
                  "    .hypercalls = mon_hypercalls,\n"
                  "    .seccomp = mon_seccomp_filter,\n"
                  "    .nseccomp = sizeof(mon_seccomp_filter) /\n"
                  "                sizeof(mon_seccomp_filter[0]),\n"
                  "    .version = \"%s\",\n"
                  "    .help = mon_help,\n"
                  "    .describe = mon_describe,\n"
                  "};\n\n"
                  "/* Provenance, kept in the binary for tender-gen --verify. "
                  "*/\n"
                  "__attribute__((used, section(\".tender_gen\"))) static "
                  "const char\n"
                  "    mon_provenance[] = \"tender-gen %s\\n\"\n"
                  "                       \"shape: %s\\n\"\n"
                  "                       \"digest: sha256:%s\\n\";\n",
                  shape->text, digest, tg_opt_in_known(), TG_VERSION,
                  TG_VERSION, shape->text, digest);
}

static void count_lines(struct tg_monitor_src *out)
{
    int in_comment = 0;
    const char *p = out->text.data, *end = p + out->text.len;

    out->lines = out->code_lines = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        int code = 0;
        for (const char *c = p; c < e; c++) {
            if (in_comment) {
                if (c + 1 < e && c[0] == '*' && c[1] == '/')
                    in_comment = 0, c++;
            } else if (c + 1 < e && c[0] == '/' && c[1] == '*') {
                in_comment = 1, c++;
            } else if (c + 1 < e && c[0] == '/' && c[1] == '/') {
                break;
            } else if (*c != ' ' && *c != '\t') {
                code = 1;
            }
        }
        out->lines++;
        out->code_lines += (unsigned)code;
        p = e + 1;
    }
}

/* Whether a module of (shape) uses the core's services. */
static int wants_services(const struct tg_shape *shape)
{
    for (unsigned i = 0; i < shape->nmodules; i++)
        if (shape->modules[i]->core_services)
            return 1;
    return 0;
}

/* Whether (shape) has a device module, which serves the device part of
 * the ABI. */
static int has_devices(const struct tg_shape *shape)
{
    for (unsigned i = 0; i < shape->nmodules; i++)
        if (shape->modules[i]->need == TG_NEED_DEVICE)
            return 1;
    return 0;
}

/* The core's sources, its services when a module uses them, then the
 * modules' sources, in their descriptors' order, each file inlined once. */
static int module_sources(struct amalgam *a, const struct tg_shape *shape,
                          struct tg_buf *core, struct tg_buf *modules)
{
    const struct tg_module *c = shape->modules[0];
    int rc = 0;

    for (unsigned k = 0; k < TG_MAX_SOURCES && c->sources[k]; k++)
        rc |= inline_file(a, c->sources[k], core);
    for (unsigned k = 0;
         wants_services(shape) && k < TG_MAX_SOURCES && c->services[k]; k++)
        rc |= inline_file(a, c->services[k], core);
    for (unsigned i = 1; i < shape->nmodules && rc == 0; i++) {
        const struct tg_module *mod = shape->modules[i];
        for (unsigned k = 0; k < TG_MAX_SOURCES && mod->sources[k]; k++)
            rc |= inline_file(a, mod->sources[k], modules);
    }
    return rc;
}

/* An hvt monitor's interfaces, then its sources (module_sources). */
static int inline_parts(struct amalgam *a, const struct tg_shape *shape,
                        struct tg_buf *ifaces, struct tg_buf *core,
                        struct tg_buf *modules)
{
    int rc = 0;

    for (size_t i = 0; i < sizeof(interfaces) / sizeof(interfaces[0]); i++)
        rc |= inline_file(a, interfaces[i], ifaces);
    if (has_devices(shape))
        rc |= inline_file(a, "include/hvt_dev_abi.h", ifaces);
    if (wants_services(shape))
        rc |= inline_file(a, "modules/core/services.h", ifaces);
    return rc ? rc : module_sources(a, shape, core, modules);
}

/* The index at the top of monitor.c: each section (a template line
 * "/\* ==== TITLE ==== *\/") and each file inlined in it, with the line it
 * begins at: its line in (text), filled without the index, + (offset). A
 * header a file includes is indented under it. */
static void emit_index(const struct tg_buf *text, unsigned offset,
                       struct tg_buf *out)
{
    const char *p = text->data, *end = p + text->len;
    int depth = 0;

    tg_buf_puts(out, "/*\n * Contents: the sections, and the line each file "
                     "begins at.\n");
    for (unsigned line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len > 16 && strncmp(p, "/* ==== ", 8) == 0)
            tg_buf_printf(out, " * %.*s\n", (int)(len - 16), p + 8);
        else if (len > 22 && strncmp(p, "/* ---- begin ", 14) == 0)
            tg_buf_printf(out, " *   %5u  %*s%.*s\n", line + offset,
                          2 * depth++, "", (int)(len - 22), p + 14);
        else if (len > 20 && strncmp(p, "/* ---- end ", 12) == 0)
            depth--;
        p += len + 1;
    }
    tg_buf_puts(out, " */\n");
}

/* Fills the template: once without the index, to find where each file
 * begins, then with it; the index's own lines shift every file by as
 * many. */
static int fill(const struct tg_buf *tmpl, struct tg_slot *slots,
                unsigned nslots, struct tg_buf *index, struct tg_buf *out)
{
    struct tg_buf draft = {0};
    unsigned lines = 0;
    int rc = tg_template_fill(TEMPLATE, tmpl, slots, nslots, &draft);

    if (rc == 0) {
        emit_index(&draft, 0, index);
        for (size_t i = 0; i < index->len; i++)
            lines += index->data[i] == '\n';
        index->len = 0;
        index->data[0] = 0;
        emit_index(&draft, lines, index);
        rc = tg_template_fill(TEMPLATE, tmpl, slots, nslots, out);
    }
    tg_buf_free(&draft);
    return rc;
}

int tg_emit_monitor(const char *datadir, const struct tg_shape *shape,
                    struct tg_monitor_src *out, struct tg_deps *deps)
{
    struct amalgam a = {.datadir = datadir, .deps = deps};
    struct tg_buf tmpl = {0}, ifaces = {0}, core = {0}, modules = {0},
                  tables = {0}, banner = {0}, index = {0};
    int spt = shape->target == TG_TARGET_SPT;
    const char *template = spt ? SPT_TEMPLATE : TEMPLATE;
    int rc = 0;

    tg_registry_use(shape->target);
    if (tg_shape_check(shape) < 0)
        return -1;
    for (unsigned i = 0; i < tg_registry()->nmodules; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", datadir,
                 tg_registry()->modules[i].descriptor);
        add_dep(deps, path);
    }
    tg_sha256_init(&a.hash);
    tg_sha256_update(&a.hash, TG_VERSION, sizeof(TG_VERSION));
    tg_sha256_update(&a.hash, shape->text, strlen(shape->text) + 1);
    rc |= read_input(&a, template, &tmpl);
    if (rc == 0)
        rc = spt ? module_sources(&a, shape, &core, &modules)
                 : inline_parts(&a, shape, &ifaces, &core, &modules);
    if (rc == 0)
        rc = emit_dispatch(shape, &tables);
    if (rc == 0) {
        tg_sha256_update(&a.hash, tables.data, tables.len);
        tg_sha256_hex(&a.hash, out->digest);
        snprintf(out->shape, sizeof(out->shape), "%s", shape->text);
        emit_banner(shape, out->digest, &banner);
        emit_config(shape, out->digest, &tables);
    }
    if (rc == 0 && spt) {
        const struct tg_slot slots[] = {{"banner", &banner},
                                        {"core", &core},
                                        {"modules", &modules},
                                        {"tables", &tables}};
        rc = tg_template_fill(template, &tmpl, slots, 4, &out->text);
    } else if (rc == 0) {
        struct tg_slot slots[] = {{"banner", &banner},     {"index", &index},
                                  {"interfaces", &ifaces}, {"core", &core},
                                  {"modules", &modules},   {"tables", &tables}};
        rc = fill(&tmpl, slots, 6, &index, &out->text);
    }
    if (rc == 0)
        count_lines(out);
    for (unsigned i = 0; i < a.ninlined; i++)
        free(a.inlined[i]);
    tg_buf_free(&tmpl);
    tg_buf_free(&ifaces);
    tg_buf_free(&core);
    tg_buf_free(&modules);
    tg_buf_free(&tables);
    tg_buf_free(&banner);
    tg_buf_free(&index);
    return rc ? -1 : 0;
}
