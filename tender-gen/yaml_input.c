/* yaml_input.c: the YAML manifest front end (Solo5's manifest.json too). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "frontend.h"
#include "memsize.h"
#include "registry.h"
#include "yaml_tree.h"

#define SERVICE_NAME_MAX TG_NAME_MAX

static void check_version(struct yt_ctx *c, const struct yt_node *v)
{
    char shown[YT_QUOTE_BUF];
    size_t i;

    if (v->kind != YT_SCALAR || v->string || v->len == 0) {
        yt_report_node(c, v, "version", "expected the integer 1, found %s%s",
                       v->kind == YT_SCALAR && v->string ? "the string " : "",
                       yt_describe(v, shown));
        return;
    }
    for (i = 0; i < v->len && v->text[i] >= '0' && v->text[i] <= '9'; i++)
        ;
    if (i < v->len)
        yt_report_node(c, v, "version", "expected the integer 1, found %s",
                       yt_show(v, shown));
    else if (strspn(v->text, "0") != v->len - 1 || v->text[v->len - 1] != '1')
        yt_report_node(c, v, "version",
                       "unsupported manifest version %s (expected 1)",
                       yt_show_bytes(v->text, v->len, 0, shown));
}

static int service_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
}

/* name: names the output files (<name>-tender), so it must be a plain,
 * harmless file name. */
static void check_service_name(struct yt_ctx *c, const struct yt_node *v,
                               struct tg_devset *out)
{
    char shown[YT_QUOTE_BUF];
    size_t i;

    if (v->kind != YT_SCALAR) {
        yt_report_node(c, v, "name", "expected a string, found %s",
                       yt_describe(v, shown));
        return;
    }
    for (i = 0; i < v->len && service_char(v->text[i]); i++)
        ;
    if (v->len == 0 || v->len > SERVICE_NAME_MAX)
        yt_report_node(c, v, "name", "%s must be 1 to %d characters long",
                       yt_show(v, shown), SERVICE_NAME_MAX);
    else if (i < v->len)
        yt_report_node(c, v, "name",
                       "%s may contain only letters, digits, '.', '_' and '-'",
                       yt_show(v, shown));
    else if (v->text[0] == '.' || v->text[0] == '-')
        yt_report_node(c, v, "name", "%s must not start with '.' or '-'",
                       yt_show(v, shown));
    else
        memcpy(out->name, v->text, v->len + 1);
}

static void report_bad_size(struct yt_ctx *c, const struct yt_node *v)
{
    char shown[YT_QUOTE_BUF];

    if (v->kind != YT_SCALAR || yt_is_null(v))
        yt_report_node(c, v, "memory", "expected a size such as 64M, found %s",
                       yt_describe(v, shown));
    else if (v->len > 0 && strspn(v->text, "0123456789") == v->len)
        yt_report_node(c, v, "memory",
                       "%s has no unit (expected a positive integer followed "
                       "by K, M or G, e.g. 64M)",
                       yt_show_bytes(v->text, v->len, 0, shown));
    else
        yt_report_node(c, v, "memory",
                       "%s is not a size (expected a positive integer followed "
                       "by K, M or G, e.g. 64M)",
                       yt_describe(v, shown));
}

static void check_memory(struct yt_ctx *c, const struct yt_node *v,
                         struct tg_devset *out)
{
    char shown[YT_QUOTE_BUF], why[96];
    const char *problem;
    uint64_t bytes;

    if (v->kind != YT_SCALAR || tg_parse_size(v->text, v->len, &bytes) < 0) {
        report_bad_size(c, v);
        return;
    }
    problem = tg_mem_problem(bytes, why, sizeof(why));
    if (problem)
        yt_report_node(c, v, "memory", "%s %s",
                       yt_show_bytes(v->text, v->len, 0, shown), problem);
    else
        out->mem_size = bytes;
}

/* ---- devices ---------------------------------------------------------- */

enum { DEV_NAME, DEV_TYPE, DEV_NKEYS };
static const char *const dev_keys[DEV_NKEYS] = {"name", "type"};

struct dev_check {
    struct tg_devset *out;
    const struct yt_node *names[TG_MAX_DEVICES]; /* valid names so far */
    unsigned nnames;
};

struct dev_values {
    const struct yt_node *v[DEV_NKEYS];
};

static void on_dev_key(struct yt_ctx *c, unsigned key,
                       const struct yt_node *value, void *arg)
{
    (void)c;
    ((struct dev_values *)arg)->v[key] = value;
}

static int dev_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9');
}

/* Returns 0 when (v) is a valid and new device name. */
static int check_dev_name(struct yt_ctx *c, const struct yt_node *v,
                          const char *path, struct dev_check *dc)
{
    char shown[YT_QUOTE_BUF];
    size_t i;

    if (v->kind != YT_SCALAR) {
        yt_report_node(c, v, path, "expected a string, found %s",
                       yt_describe(v, shown));
        return -1;
    }
    for (i = 0; i < v->len && dev_char(v->text[i]); i++)
        ;
    if (v->len == 0 || v->len > MFT_NAME_MAX || i < v->len) {
        yt_report_node(c, v, path, "%s must be 1 to %d alphanumeric characters",
                       yt_show(v, shown), MFT_NAME_MAX);
        return -1;
    }
    for (i = 0; i < dc->nnames; i++) {
        const struct yt_node *first = dc->names[i];

        if (first->len == v->len && !memcmp(first->text, v->text, v->len)) {
            yt_report_node(c, v, path,
                           "duplicate device name %s (first defined at %u:%u)",
                           yt_show(v, shown), first->line, first->col);
            return -1;
        }
    }
    if (dc->nnames < TG_MAX_DEVICES)
        dc->names[dc->nnames++] = v;
    return 0;
}

/* Returns 0 and sets *type when (v) names a device type. */
static int check_dev_type(struct yt_ctx *c, const struct yt_node *v,
                          const char *path, unsigned *type)
{
    char shown[YT_QUOTE_BUF];

    if (v->kind != YT_SCALAR) {
        yt_report_node(c, v, path, "expected %s, found %s", tg_devtype_list(),
                       yt_describe(v, shown));
        return -1;
    }
    int t = strlen(v->text) == v->len ? tg_devtype_named(v->text, v->len) : -1;
    if (t >= 0) {
        *type = (unsigned)t;
        return 0;
    }
    yt_report_node(c, v, path, "unknown device type %s (expected %s)",
                   yt_show(v, shown), tg_devtype_list());
    return -1;
}

/* Checks the name and the type of device (d), in file order. Returns 0
 * when both are valid. */
static int check_dev_values(struct yt_ctx *c, const char *path,
                            const struct dev_values *dv, struct dev_check *dc,
                            unsigned *type)
{
    const struct yt_node *name = dv->v[DEV_NAME], *ty = dv->v[DEV_TYPE];
    char sub[64];
    int bad = 0, name_first;

    name_first = name->line < ty->line ||
                 (name->line == ty->line && name->col < ty->col);
    for (int pass = 0; pass < 2; pass++) {
        if ((pass == 0) == name_first) {
            snprintf(sub, sizeof(sub), "%s.name", path);
            bad |= check_dev_name(c, name, sub, dc) < 0;
        } else {
            snprintf(sub, sizeof(sub), "%s.type", path);
            bad |= check_dev_type(c, ty, sub, type) < 0;
        }
    }
    return bad ? -1 : 0;
}

/* Returns 0 when device (d) has both keys, with values that are not
 * aliases (those are reported already). */
static int check_dev_keys(struct yt_ctx *c, const struct yt_node *d,
                          const char *path, uint32_t seen,
                          const struct dev_values *dv)
{
    int bad = 0;

    for (unsigned k = 0; k < DEV_NKEYS; k++) {
        if (!(seen & (UINT32_C(1) << k))) {
            yt_report_node(c, d, path, "missing required key \"%s\"",
                           dev_keys[k]);
            bad = 1;
        } else if (!dv->v[k]) {
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

static void store_device(struct yt_ctx *c, const struct yt_node *name,
                         unsigned type, struct tg_devset *out)
{
    struct tg_device *dev = &out->devices[out->ndevices++];

    memcpy(dev->name, name->text, name->len + 1);
    dev->type = type;
    dev->loc = (struct tg_loc){c->path, name->line, name->col};
}

static void check_device(struct yt_ctx *c, const struct yt_node *d, unsigned i,
                         struct dev_check *dc)
{
    struct dev_values dv = {{0}};
    unsigned type = 0;
    char path[32], shown[YT_QUOTE_BUF];
    uint32_t seen;

    snprintf(path, sizeof(path), "devices[%u]", i);
    if (d->kind == YT_BAD)
        return;
    if (d->kind != YT_MAP) {
        yt_report_node(c, d, path,
                       "expected a mapping with keys name and type, found %s",
                       yt_describe(d, shown));
        return;
    }
    if (i == TG_MAX_DEVICES)
        yt_report_node(c, d, path, "too many devices (at most %d)",
                       TG_MAX_DEVICES);
    seen = yt_walk_mapping(c, d, path, dev_keys, DEV_NKEYS, on_dev_key, &dv);
    if (check_dev_keys(c, d, path, seen, &dv) < 0)
        return;
    if (check_dev_values(c, path, &dv, dc, &type) == 0 && i < TG_MAX_DEVICES)
        store_device(c, dv.v[DEV_NAME], type, dc->out);
}

static void check_devices(struct yt_ctx *c, const struct yt_node *v,
                          struct tg_devset *out)
{
    struct dev_check dc = {.out = out};
    char shown[YT_QUOTE_BUF];

    if (yt_is_null(v))
        return;
    if (v->kind != YT_SEQ) {
        yt_report_node(c, v, "devices",
                       "expected a sequence of devices, found %s",
                       yt_describe(v, shown));
        return;
    }
    for (size_t i = 0; i < v->nkid; i++)
        check_device(c, v->kid[i], (unsigned)i, &dc);
}

/* ---- modules ---------------------------------------------------------- */

/* Each opt-in module listed once: (first) holds where, by note bit. */
static void check_module(struct yt_ctx *c, const struct yt_node *m,
                         const char *path, const struct yt_node **first,
                         struct tg_devset *out)
{
    char shown[YT_QUOTE_BUF];
    const struct tg_module *mod = NULL;

    if (m->kind == YT_BAD)
        return;
    if (m->kind != YT_SCALAR) {
        yt_report_node(c, m, path, "expected a module name, found %s",
                       yt_describe(m, shown));
        return;
    }
    if (strlen(m->text) == m->len)
        mod = tg_module_named(m->text, m->len);
    if (!mod || mod->need != TG_NEED_OPT_IN) {
        const char *near = tg_opt_in_near(m->text, m->len);
        yt_report_node(c, m, path,
                       "unknown module %s%s%s%s (expected one of: %s)",
                       yt_show(m, shown), near ? "; did you mean \"" : "",
                       near ? near : "", near ? "\"?" : "", tg_opt_in_list());
        return;
    }
    unsigned bit = (unsigned)__builtin_ctz(mod->opt_in);
    if (first[bit])
        yt_report_node(c, m, path,
                       "module \"%s\" listed more than once (first at %u:%u)",
                       mod->name, first[bit]->line, first[bit]->col);
    else {
        first[bit] = m;
        out->modules |= mod->opt_in;
    }
}

static void check_modules(struct yt_ctx *c, const struct yt_node *v,
                          struct tg_devset *out)
{
    const struct yt_node *first[TG_MAX_OPT_IN] = {0};
    char path[32], shown[YT_QUOTE_BUF];

    if (yt_is_null(v))
        return;
    if (v->kind != YT_SEQ) {
        yt_report_node(c, v, "modules",
                       "expected a sequence of module names, found %s",
                       yt_describe(v, shown));
        return;
    }
    for (size_t i = 0; i < v->nkid; i++) {
        snprintf(path, sizeof(path), "modules[%zu]", i);
        check_module(c, v->kid[i], path, first, out);
    }
}

/* ---- the root --------------------------------------------------------- */

/* type: comes last: it is accepted, not offered in messages (a YAML
 * manifest has no use for it). */
enum { KEY_VERSION, KEY_NAME, KEY_MEMORY, KEY_DEVICES, KEY_MODULES, KEY_TYPE };
static const char *const root_keys[] = {"version", "name",    "memory",
                                        "devices", "modules", "type"};
#define ROOT_NKEYS (sizeof(root_keys) / sizeof(root_keys[0]))
#define ROOT_NSHOWN KEY_TYPE

/* type: is Solo5's manifest.json marker; accepted so that file reads as is. */
static void check_type(struct yt_ctx *c, const struct yt_node *v)
{
    char shown[YT_QUOTE_BUF];

    if (v->kind != YT_SCALAR)
        yt_report_node(c, v, "type", "expected solo5.manifest, found %s",
                       yt_describe(v, shown));
    else if (!yt_text_is(v, "solo5.manifest"))
        yt_report_node(c, v, "type",
                       "unknown manifest type %s (expected solo5.manifest)",
                       yt_show(v, shown));
}

static void on_root_key(struct yt_ctx *c, unsigned key,
                        const struct yt_node *value, void *arg)
{
    struct tg_devset *out = arg;

    switch (key) {
    case KEY_VERSION:
        check_version(c, value);
        break;
    case KEY_NAME:
        check_service_name(c, value, out);
        break;
    case KEY_MEMORY:
        check_memory(c, value, out);
        break;
    case KEY_DEVICES:
        check_devices(c, value, out);
        break;
    case KEY_MODULES:
        check_modules(c, value, out);
        break;
    default:
        check_type(c, value);
        break;
    }
}

static void check_root(struct yt_ctx *c, const struct yt_node *root,
                       struct tg_devset *out)
{
    char shown[YT_QUOTE_BUF];
    uint32_t seen;

    if (!root || yt_is_null(root)) {
        yt_report(c, 1, 1,
                  "the manifest is empty (expected a mapping with at "
                  "least \"version: 1\")");
        return;
    }
    if (root->kind == YT_BAD)
        return;
    if (root->kind != YT_MAP) {
        yt_report_node(c, root, "",
                       "expected a mapping at the top level, found %s",
                       yt_describe(root, shown));
        return;
    }
    seen = yt_walk_mapping_shown(c, root, "", root_keys, ROOT_NKEYS,
                                 ROOT_NSHOWN, on_root_key, out);
    if (!(seen & (UINT32_C(1) << KEY_VERSION)))
        yt_report_node(c, root, "", "missing required key \"version\"");
}

unsigned tg_read_yaml(const char *path, const unsigned char *buf, size_t len,
                      struct tg_devset *out)
{
    struct yt_ctx c;

    memset(&c, 0, sizeof(c));
    c.path = path;
    c.what = "manifest";
    c.buf = buf;
    c.len = len;
    memset(out, 0, sizeof(*out));
    if (yt_build(&c) == 0)
        check_root(&c, c.root, out);
    yt_free(c.root);
    return yt_flush(&c);
}
