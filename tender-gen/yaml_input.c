/* yaml_input.c: the YAML manifest front end (Solo5's manifest.json too). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "diag.h"
#include "frontend.h"
#include "memsize.h"

/* A manifest needs 3 levels (root, devices, device). libyaml 0.2.5 has no
 * yaml_set_max_nest_level, so the cap is ours: it bounds the tree, and the
 * recursion that frees it, whatever the input. */
#define MAX_DEPTH 32
/* Longest part of a user's value shown in a message, in characters: enough
 * for a whole overlong device name (68), short enough to stay one line. */
#define QUOTE_MAX 80
/* Each shown byte takes at most 4 characters (\xHH), plus quotes and "...". */
#define QUOTE_BUF (4 * QUOTE_MAX + 8)
#define MSG_MAX 1024

/* Guest RAM is mapped with 2 MiB pages through 4 page directories
 * (docs/hvt-abi.md §3), hence the unit, the minimum and the 4 GiB maximum. */
#define SERVICE_NAME_MAX TG_NAME_MAX

#define TAG_PREFIX "tag:yaml.org,2002:"

enum node_kind {
    NK_SCALAR,
    NK_SEQ,
    NK_MAP,
    NK_BAD, /* an alias: already reported, skipped by every check */
};

struct node {
    enum node_kind kind;
    unsigned line, col; /* 1-based */
    int string;         /* scalar: a string by YAML's rules (quoted, !!str) */
    char *text;         /* scalar: NUL-terminated copy of the value */
    size_t len;         /* scalar: length (the value may hold NUL bytes) */
    struct node **kid;  /* items; for a mapping, keys and values alternate */
    size_t nkid, cap;
};

struct diag {
    unsigned line, col;
    size_t seq; /* discovery order, so sorting by position is stable */
    char *msg;
};

struct yctx {
    const char *path;
    const unsigned char *buf;
    size_t len;
    yaml_parser_t parser;
    struct node *stack[MAX_DEPTH]; /* open sequences and mappings */
    unsigned depth;
    unsigned ndocs;
    struct node *root;
    struct diag *diag; /* errors, printed sorted by position at the end */
    size_t ndiag, capdiag;
    unsigned printed; /* errors printed at once: no memory to queue them */
};

/* ---- diagnostics ------------------------------------------------------ */

static int queue_diag(struct yctx *c, unsigned line, unsigned col,
                      const char *msg)
{
    if (c->ndiag == c->capdiag) {
        size_t cap = c->capdiag ? 2 * c->capdiag : 16;
        struct diag *d = realloc(c->diag, cap * sizeof(*d));

        if (!d)
            return -1;
        c->diag = d;
        c->capdiag = cap;
    }
    size_t size = strlen(msg) + 1;
    char *copy = malloc(size);

    if (!copy)
        return -1;
    memcpy(copy, msg, size);
    c->diag[c->ndiag] = (struct diag){line, col, c->ndiag, copy};
    c->ndiag++;
    return 0;
}

static void vreport(struct yctx *c, unsigned line, unsigned col,
                    const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void vreport(struct yctx *c, unsigned line, unsigned col,
                    const char *fmt, va_list ap)
{
    char msg[MSG_MAX];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (queue_diag(c, line, col, msg) < 0) {
        struct tg_loc loc = {c->path, line, col};

        tg_error(&loc, "%s", msg);
        c->printed++;
    }
}

static void report(struct yctx *c, unsigned line, unsigned col, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

static void report(struct yctx *c, unsigned line, unsigned col, const char *fmt,
                   ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(c, line, col, fmt, ap);
    va_end(ap);
}

/* An error about node (n), its message prefixed with the key path (path). */
static void report_node(struct yctx *c, const struct node *n, const char *path,
                        const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report_node(struct yctx *c, const struct node *n, const char *path,
                        const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    report(c, n->line, n->col, "%s%s%s", path, *path ? ": " : "", msg);
}

static int diag_cmp(const void *a, const void *b)
{
    const struct diag *x = a, *y = b;

    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Prints the queued errors in file order (a missing key is found after the
 * mapping's contents but sits before them) and returns how many this call
 * reported in all. */
static unsigned flush_diags(struct yctx *c)
{
    if (c->ndiag)
        qsort(c->diag, c->ndiag, sizeof(*c->diag), diag_cmp);
    for (size_t i = 0; i < c->ndiag; i++) {
        struct tg_loc loc = {c->path, c->diag[i].line, c->diag[i].col};

        tg_error(&loc, "%s", c->diag[i].msg);
        free(c->diag[i].msg);
    }
    free(c->diag);
    return c->printed + (unsigned)c->ndiag;
}

/* ---- showing values in messages ---------------------------------------- */

static size_t escape_byte(unsigned char ch, char *out)
{
    switch (ch) {
    case '"':
    case '\\':
        out[0] = '\\';
        out[1] = (char)ch;
        return 2;
    case '\n':
        memcpy(out, "\\n", 2);
        return 2;
    case '\t':
        memcpy(out, "\\t", 2);
        return 2;
    default:
        break;
    }
    if (ch < 0x20 || ch == 0x7f) {
        snprintf(out, 5, "\\x%02X", ch);
        return 4;
    }
    out[0] = (char)ch;
    return 1;
}

/* Writes (s, len) into (buf) (QUOTE_BUF bytes) on one line, escaped,
 * shortened to QUOTE_MAX characters, in double quotes if (quoted). Values
 * are UTF-8 (libyaml checks), so a character ends where a byte is not a
 * continuation byte. */
static const char *show_bytes(const char *s, size_t len, int quoted, char *buf)
{
    size_t o = 0, chars = 0, i;

    if (quoted)
        buf[o++] = '"';
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        int starts_char = (ch & 0xc0) != 0x80;

        if (starts_char && chars++ == QUOTE_MAX)
            break;
        o += escape_byte(ch, buf + o);
    }
    if (i < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    if (quoted)
        buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

static const char *show(const struct node *n, char *buf)
{
    return show_bytes(n->text, n->len, 1, buf);
}

static int is_null(const struct node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

    if (n->kind != NK_SCALAR || n->string)
        return 0;
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
        if (strlen(nulls[i]) == n->len && !memcmp(nulls[i], n->text, n->len))
            return 1;
    return 0;
}

/* What was found where something else was expected, for "found %s". */
static const char *describe(const struct node *n, char *buf)
{
    if (n->kind == NK_SEQ)
        return "a sequence";
    if (n->kind == NK_MAP)
        return "a mapping";
    if (is_null(n))
        return "an empty value";
    return show(n, buf);
}

static int text_is(const struct node *n, const char *s)
{
    return n->kind == NK_SCALAR && n->len == strlen(s) &&
           !memcmp(n->text, s, n->len);
}

/* ---- building the node tree from libyaml events ------------------------- */

static void free_node(struct node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkid; i++)
        free_node(n->kid[i]);
    free(n->kid);
    free(n->text);
    free(n);
}

static struct node *new_node(enum node_kind kind, yaml_mark_t m)
{
    struct node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->kind = kind;
    n->line = (unsigned)m.line + 1;
    n->col = (unsigned)m.column + 1;
    return n;
}

static int add_kid(struct node *parent, struct node *kid)
{
    if (parent->nkid == parent->cap) {
        size_t cap = parent->cap ? 2 * parent->cap : 4;
        struct node **k = realloc(parent->kid, cap * sizeof(*k));

        if (!k)
            return -1;
        parent->kid = k;
        parent->cap = cap;
    }
    parent->kid[parent->nkid++] = kid;
    return 0;
}

/* Hangs (n) under the open collection, or makes it the document root.
 * On failure (n) is freed. */
static int attach(struct yctx *c, struct node *n)
{
    if (c->depth == 0) {
        free_node(c->root);
        c->root = n;
        return 0;
    }
    if (add_kid(c->stack[c->depth - 1], n) == 0)
        return 0;
    free_node(n);
    return -1;
}

/* Explicit tags are accepted only when they are YAML's default ones for the
 * node; !!str and !!int also decide whether a scalar is a string. */
static void check_tag(struct yctx *c, struct node *n, const yaml_char_t *tag)
{
    static const char *const kind_tag[] = {
        [NK_SCALAR] = TAG_PREFIX "str",
        [NK_SEQ] = TAG_PREFIX "seq",
        [NK_MAP] = TAG_PREFIX "map",
    };
    const char *t = (const char *)tag;
    char shown[QUOTE_BUF];

    if (!t)
        return;
    if (!strcmp(t, kind_tag[n->kind])) {
        n->string = n->kind == NK_SCALAR;
        return;
    }
    if (n->kind == NK_SCALAR && !strcmp(t, TAG_PREFIX "int")) {
        n->string = 0;
        return;
    }
    report(c, n->line, n->col,
           "unsupported tag %s (only the default tags !!str, !!int, !!seq "
           "and !!map are accepted)",
           show_bytes(t, strlen(t), 1, shown));
}

static int on_scalar(struct yctx *c, const yaml_event_t *ev)
{
    struct node *n = new_node(NK_SCALAR, ev->start_mark);

    if (!n)
        return -1;
    n->len = ev->data.scalar.length;
    n->text = malloc(n->len + 1);
    if (!n->text) {
        free(n);
        return -1;
    }
    memcpy(n->text, ev->data.scalar.value, n->len);
    n->text[n->len] = '\0';
    n->string = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    check_tag(c, n, ev->data.scalar.tag);
    return attach(c, n);
}

static int on_alias(struct yctx *c, const yaml_event_t *ev)
{
    struct node *n = new_node(NK_BAD, ev->start_mark);
    const char *anchor = (const char *)ev->data.alias.anchor;
    char shown[QUOTE_BUF];

    if (!n)
        return -1;
    report(c, n->line, n->col,
           "alias *%s: aliases are not supported (write the value out)",
           show_bytes(anchor, strlen(anchor), 0, shown));
    return attach(c, n);
}

static int on_collection_start(struct yctx *c, const yaml_event_t *ev,
                               enum node_kind kind, const yaml_char_t *tag)
{
    struct node *n;

    if (c->depth == MAX_DEPTH) {
        report(c, (unsigned)ev->start_mark.line + 1,
               (unsigned)ev->start_mark.column + 1,
               "nested more than %d levels deep", MAX_DEPTH);
        return -2;
    }
    n = new_node(kind, ev->start_mark);
    if (!n)
        return -1;
    check_tag(c, n, tag);
    if (attach(c, n) < 0)
        return -1;
    c->stack[c->depth++] = n;
    return 0;
}

static void on_collection_end(struct yctx *c)
{
    if (c->depth > 0)
        c->depth--;
}

/* Returns 1 to read on, 0 when the tree is complete, -1 when out of memory
 * and -2 when the tree cannot be trusted (reported already). */
static int on_event(struct yctx *c, const yaml_event_t *ev)
{
    int r;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (c->ndocs++ == 0)
            return 1;
        report(c, (unsigned)ev->start_mark.line + 1,
               (unsigned)ev->start_mark.column + 1,
               "a second YAML document (a manifest is one document)");
        return 0;
    case YAML_STREAM_END_EVENT:
        return 0;
    case YAML_ALIAS_EVENT:
        return on_alias(c, ev) < 0 ? -1 : 1;
    case YAML_SCALAR_EVENT:
        return on_scalar(c, ev) < 0 ? -1 : 1;
    case YAML_SEQUENCE_START_EVENT:
        r = on_collection_start(c, ev, NK_SEQ, ev->data.sequence_start.tag);
        return r < 0 ? r : 1;
    case YAML_MAPPING_START_EVENT:
        r = on_collection_start(c, ev, NK_MAP, ev->data.mapping_start.tag);
        return r < 0 ? r : 1;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        on_collection_end(c);
        return 1;
    default:
        return 1;
    }
}

/* Line and column of byte (offset): libyaml gives reader errors (bad
 * encoding) as an offset only. The column counts bytes. */
static void offset_pos(const struct yctx *c, size_t offset, unsigned *line,
                       unsigned *col)
{
    size_t start = 0;

    *line = 1;
    if (offset > c->len)
        offset = c->len;
    for (size_t i = 0; i < offset; i++) {
        if (c->buf[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    }
    *col = (unsigned)(offset - start) + 1;
}

static void report_syntax_error(struct yctx *c)
{
    const yaml_parser_t *p = &c->parser;
    const char *problem = p->problem ? p->problem : "invalid YAML";
    unsigned line, col;

    if (p->error == YAML_MEMORY_ERROR) {
        report(c, 0, 0, "out of memory while reading YAML");
    } else if (p->error == YAML_READER_ERROR) {
        offset_pos(c, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            report(c, line, col, "%s (value 0x%X)", problem,
                   (unsigned)p->problem_value);
        else
            report(c, line, col, "%s", problem);
    } else if (p->context) {
        report(c, (unsigned)p->problem_mark.line + 1,
               (unsigned)p->problem_mark.column + 1, "%s (%s at %u:%u)",
               problem, p->context, (unsigned)p->context_mark.line + 1,
               (unsigned)p->context_mark.column + 1);
    } else {
        report(c, (unsigned)p->problem_mark.line + 1,
               (unsigned)p->problem_mark.column + 1, "%s", problem);
    }
}

/* Reads the first document into c->root. Returns 0 when the tree is
 * complete (it may still hold aliases, reported already), -1 when it is
 * not and nothing more should be said about it. */
static int build_tree(struct yctx *c)
{
    static const unsigned char empty[1];
    yaml_event_t ev;
    int r;

    if (!yaml_parser_initialize(&c->parser)) {
        report(c, 0, 0, "out of memory while reading YAML");
        return -1;
    }
    yaml_parser_set_input_string(&c->parser, c->buf ? c->buf : empty, c->len);
    do {
        if (!yaml_parser_parse(&c->parser, &ev)) {
            report_syntax_error(c);
            r = -2;
            break;
        }
        r = on_event(c, &ev);
        yaml_event_delete(&ev);
    } while (r == 1);
    if (r == -1)
        report(c, 0, 0, "out of memory while reading YAML");
    yaml_parser_delete(&c->parser);
    return r == 0 ? 0 : -1;
}

/* ---- the schema ------------------------------------------------------ */

typedef void (*key_fn)(struct yctx *c, unsigned key, const struct node *value,
                       void *arg);

static unsigned find_key(const struct node *key, const char *const *keys,
                         unsigned nkeys)
{
    unsigned i;

    for (i = 0; i < nkeys; i++)
        if (text_is(key, keys[i]))
            break;
    return i;
}

static void report_unknown_key(struct yctx *c, const struct node *key,
                               const char *path, const char *const *keys,
                               unsigned nkeys)
{
    char list[256] = "", shown[QUOTE_BUF];
    size_t o = 0;

    for (unsigned i = 0; i < nkeys; i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
                              keys[i]);
    report_node(c, key, path, "unknown key %s (expected one of: %s)",
                show(key, shown), list);
}

/* Reports keys of mapping (m) that are not scalars, unknown or repeated;
 * calls (fn) for the others, in file order. Returns a bitmask of the keys
 * (indexes into keys[], at most 32) present. */
static uint32_t walk_mapping(struct yctx *c, const struct node *m,
                             const char *path, const char *const *keys,
                             unsigned nkeys, key_fn fn, void *arg)
{
    const struct node *first[32] = {0};
    uint32_t seen = 0;
    char shown[QUOTE_BUF];

    for (size_t i = 0; i + 1 < m->nkid; i += 2) {
        const struct node *key = m->kid[i], *value = m->kid[i + 1];
        unsigned k;

        if (key->kind == NK_BAD)
            continue;
        if (key->kind != NK_SCALAR) {
            report_node(c, key, path, "expected a key name, found %s",
                        describe(key, shown));
            continue;
        }
        k = find_key(key, keys, nkeys);
        if (k == nkeys) {
            report_unknown_key(c, key, path, keys, nkeys);
        } else if (first[k]) {
            report_node(c, key, path,
                        "\"%s\" specified more than once (first at %u:%u)",
                        keys[k], first[k]->line, first[k]->col);
        } else {
            first[k] = key;
            seen |= UINT32_C(1) << k;
            if (value->kind != NK_BAD)
                fn(c, k, value, arg);
        }
    }
    return seen;
}

static void check_version(struct yctx *c, const struct node *v)
{
    char shown[QUOTE_BUF];
    size_t i;

    if (v->kind != NK_SCALAR || v->string || v->len == 0) {
        report_node(c, v, "version", "expected the integer 1, found %s%s",
                    v->kind == NK_SCALAR && v->string ? "the string " : "",
                    describe(v, shown));
        return;
    }
    for (i = 0; i < v->len && v->text[i] >= '0' && v->text[i] <= '9'; i++)
        ;
    if (i < v->len)
        report_node(c, v, "version", "expected the integer 1, found %s",
                    show(v, shown));
    else if (strspn(v->text, "0") != v->len - 1 || v->text[v->len - 1] != '1')
        report_node(c, v, "version",
                    "unsupported manifest version %s (expected 1)",
                    show_bytes(v->text, v->len, 0, shown));
}

static int service_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
}

/* name: names the output files (<name>-tender), so it must be a plain,
 * harmless file name. */
static void check_service_name(struct yctx *c, const struct node *v,
                               struct tg_devset *out)
{
    char shown[QUOTE_BUF];
    size_t i;

    if (v->kind != NK_SCALAR) {
        report_node(c, v, "name", "expected a string, found %s",
                    describe(v, shown));
        return;
    }
    for (i = 0; i < v->len && service_char(v->text[i]); i++)
        ;
    if (v->len == 0 || v->len > SERVICE_NAME_MAX)
        report_node(c, v, "name", "%s must be 1 to %d characters long",
                    show(v, shown), SERVICE_NAME_MAX);
    else if (i < v->len)
        report_node(c, v, "name",
                    "%s may contain only letters, digits, '.', '_' and '-'",
                    show(v, shown));
    else if (v->text[0] == '.' || v->text[0] == '-')
        report_node(c, v, "name", "%s must not start with '.' or '-'",
                    show(v, shown));
    else
        memcpy(out->name, v->text, v->len + 1);
}

static void report_bad_size(struct yctx *c, const struct node *v)
{
    char shown[QUOTE_BUF];

    if (v->kind != NK_SCALAR || is_null(v))
        report_node(c, v, "memory", "expected a size such as 64M, found %s",
                    describe(v, shown));
    else if (v->len > 0 && strspn(v->text, "0123456789") == v->len)
        report_node(c, v, "memory",
                    "%s has no unit (expected a positive integer followed "
                    "by K, M or G, e.g. 64M)",
                    show_bytes(v->text, v->len, 0, shown));
    else
        report_node(c, v, "memory",
                    "%s is not a size (expected a positive integer followed "
                    "by K, M or G, e.g. 64M)",
                    describe(v, shown));
}

static void check_memory(struct yctx *c, const struct node *v,
                         struct tg_devset *out)
{
    char shown[QUOTE_BUF], why[96];
    const char *problem;
    uint64_t bytes;

    if (v->kind != NK_SCALAR || tg_parse_size(v->text, v->len, &bytes) < 0) {
        report_bad_size(c, v);
        return;
    }
    problem = tg_mem_problem(bytes, why, sizeof(why));
    if (problem)
        report_node(c, v, "memory", "%s %s",
                    show_bytes(v->text, v->len, 0, shown), problem);
    else
        out->mem_size = bytes;
}

/* ---- devices ---------------------------------------------------------- */

enum { DEV_NAME, DEV_TYPE, DEV_NKEYS };
static const char *const dev_keys[DEV_NKEYS] = {"name", "type"};

struct dev_check {
    struct tg_devset *out;
    const struct node *names[TG_MAX_DEVICES]; /* valid names so far */
    unsigned nnames;
};

struct dev_values {
    const struct node *v[DEV_NKEYS];
};

static void on_dev_key(struct yctx *c, unsigned key, const struct node *value,
                       void *arg)
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
static int check_dev_name(struct yctx *c, const struct node *v,
                          const char *path, struct dev_check *dc)
{
    char shown[QUOTE_BUF];
    size_t i;

    if (v->kind != NK_SCALAR) {
        report_node(c, v, path, "expected a string, found %s",
                    describe(v, shown));
        return -1;
    }
    for (i = 0; i < v->len && dev_char(v->text[i]); i++)
        ;
    if (v->len == 0 || v->len > MFT_NAME_MAX || i < v->len) {
        report_node(c, v, path, "%s must be 1 to %d alphanumeric characters",
                    show(v, shown), MFT_NAME_MAX);
        return -1;
    }
    for (i = 0; i < dc->nnames; i++) {
        const struct node *first = dc->names[i];

        if (first->len == v->len && !memcmp(first->text, v->text, v->len)) {
            report_node(c, v, path,
                        "duplicate device name %s (first defined at %u:%u)",
                        show(v, shown), first->line, first->col);
            return -1;
        }
    }
    if (dc->nnames < TG_MAX_DEVICES)
        dc->names[dc->nnames++] = v;
    return 0;
}

/* Returns 0 and sets *type when (v) names a device type. */
static int check_dev_type(struct yctx *c, const struct node *v,
                          const char *path, enum tg_dev_type *type)
{
    char shown[QUOTE_BUF];

    if (v->kind != NK_SCALAR) {
        report_node(c, v, path, "expected net or block, found %s",
                    describe(v, shown));
        return -1;
    }
    if (text_is(v, "net") || text_is(v, "NET_BASIC")) {
        *type = TG_DEV_NET;
        return 0;
    }
    if (text_is(v, "block") || text_is(v, "BLOCK_BASIC")) {
        *type = TG_DEV_BLOCK;
        return 0;
    }
    report_node(c, v, path, "unknown device type %s (expected net or block)",
                show(v, shown));
    return -1;
}

/* Checks the name and the type of device (d), in file order. Returns 0
 * when both are valid. */
static int check_dev_values(struct yctx *c, const char *path,
                            const struct dev_values *dv, struct dev_check *dc,
                            enum tg_dev_type *type)
{
    const struct node *name = dv->v[DEV_NAME], *ty = dv->v[DEV_TYPE];
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
static int check_dev_keys(struct yctx *c, const struct node *d,
                          const char *path, uint32_t seen,
                          const struct dev_values *dv)
{
    int bad = 0;

    for (unsigned k = 0; k < DEV_NKEYS; k++) {
        if (!(seen & (UINT32_C(1) << k))) {
            report_node(c, d, path, "missing required key \"%s\"", dev_keys[k]);
            bad = 1;
        } else if (!dv->v[k]) {
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

static void store_device(struct yctx *c, const struct node *name,
                         enum tg_dev_type type, struct tg_devset *out)
{
    struct tg_device *dev = &out->devices[out->ndevices++];

    memcpy(dev->name, name->text, name->len + 1);
    dev->type = type;
    dev->loc = (struct tg_loc){c->path, name->line, name->col};
}

static void check_device(struct yctx *c, const struct node *d, unsigned i,
                         struct dev_check *dc)
{
    struct dev_values dv = {{0}};
    enum tg_dev_type type = TG_DEV_NET;
    char path[32], shown[QUOTE_BUF];
    uint32_t seen;

    snprintf(path, sizeof(path), "devices[%u]", i);
    if (d->kind == NK_BAD)
        return;
    if (d->kind != NK_MAP) {
        report_node(c, d, path,
                    "expected a mapping with keys name and type, found %s",
                    describe(d, shown));
        return;
    }
    if (i == TG_MAX_DEVICES)
        report_node(c, d, path, "too many devices (at most %d)",
                    TG_MAX_DEVICES);
    seen = walk_mapping(c, d, path, dev_keys, DEV_NKEYS, on_dev_key, &dv);
    if (check_dev_keys(c, d, path, seen, &dv) < 0)
        return;
    if (check_dev_values(c, path, &dv, dc, &type) == 0 && i < TG_MAX_DEVICES)
        store_device(c, dv.v[DEV_NAME], type, dc->out);
}

static void check_devices(struct yctx *c, const struct node *v,
                          struct tg_devset *out)
{
    struct dev_check dc = {.out = out};
    char shown[QUOTE_BUF];

    if (is_null(v))
        return;
    if (v->kind != NK_SEQ) {
        report_node(c, v, "devices", "expected a sequence of devices, found %s",
                    describe(v, shown));
        return;
    }
    for (size_t i = 0; i < v->nkid; i++)
        check_device(c, v->kid[i], (unsigned)i, &dc);
}

/* ---- modules ---------------------------------------------------------- */

static const struct {
    const char *name;
    uint32_t bit;
} known_modules[] = {
    {"gdb", TGN1_MODULE_GDB},
    {"dumpcore", TGN1_MODULE_DUMPCORE},
    {"trace", TGN1_MODULE_TRACE},
};
#define NMODULES (sizeof(known_modules) / sizeof(known_modules[0]))

static void check_module(struct yctx *c, const struct node *m, const char *path,
                         const struct node **first, struct tg_devset *out)
{
    char shown[QUOTE_BUF];
    size_t k;

    if (m->kind == NK_BAD)
        return;
    if (m->kind != NK_SCALAR) {
        report_node(c, m, path, "expected a module name, found %s",
                    describe(m, shown));
        return;
    }
    for (k = 0; k < NMODULES && !text_is(m, known_modules[k].name); k++)
        ;
    if (k == NMODULES)
        report_node(c, m, path,
                    "unknown module %s (expected one of: gdb, dumpcore, trace)",
                    show(m, shown));
    else if (first[k])
        report_node(c, m, path,
                    "module \"%s\" listed more than once (first at %u:%u)",
                    known_modules[k].name, first[k]->line, first[k]->col);
    else {
        first[k] = m;
        out->modules |= known_modules[k].bit;
    }
}

static void check_modules(struct yctx *c, const struct node *v,
                          struct tg_devset *out)
{
    const struct node *first[NMODULES] = {0};
    char path[32], shown[QUOTE_BUF];

    if (is_null(v))
        return;
    if (v->kind != NK_SEQ) {
        report_node(c, v, "modules",
                    "expected a sequence of module names, found %s",
                    describe(v, shown));
        return;
    }
    for (size_t i = 0; i < v->nkid; i++) {
        snprintf(path, sizeof(path), "modules[%zu]", i);
        check_module(c, v->kid[i], path, first, out);
    }
}

/* ---- the root --------------------------------------------------------- */

enum { KEY_VERSION, KEY_NAME, KEY_MEMORY, KEY_DEVICES, KEY_MODULES, KEY_TYPE };
static const char *const root_keys[] = {"version", "name",    "memory",
                                        "devices", "modules", "type"};
#define ROOT_NKEYS (sizeof(root_keys) / sizeof(root_keys[0]))

/* type: is Solo5's manifest.json marker; accepted so that file reads as is. */
static void check_type(struct yctx *c, const struct node *v)
{
    char shown[QUOTE_BUF];

    if (v->kind != NK_SCALAR)
        report_node(c, v, "type", "expected solo5.manifest, found %s",
                    describe(v, shown));
    else if (!text_is(v, "solo5.manifest"))
        report_node(c, v, "type",
                    "unknown manifest type %s (expected solo5.manifest)",
                    show(v, shown));
}

static void on_root_key(struct yctx *c, unsigned key, const struct node *value,
                        void *arg)
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

static void check_root(struct yctx *c, const struct node *root,
                       struct tg_devset *out)
{
    char shown[QUOTE_BUF];
    uint32_t seen;

    if (!root || is_null(root)) {
        report(c, 1, 1,
               "the manifest is empty (expected a mapping with at "
               "least \"version: 1\")");
        return;
    }
    if (root->kind == NK_BAD)
        return;
    if (root->kind != NK_MAP) {
        report_node(c, root, "",
                    "expected a mapping at the top level, found %s",
                    describe(root, shown));
        return;
    }
    seen = walk_mapping(c, root, "", root_keys, ROOT_NKEYS, on_root_key, out);
    if (!(seen & (UINT32_C(1) << KEY_VERSION)))
        report_node(c, root, "", "missing required key \"version\"");
}

unsigned tg_read_yaml(const char *path, const unsigned char *buf, size_t len,
                      struct tg_devset *out)
{
    struct yctx c;

    memset(&c, 0, sizeof(c));
    c.path = path;
    c.buf = buf;
    c.len = len;
    memset(out, 0, sizeof(*out));
    if (build_tree(&c) == 0)
        check_root(&c, c.root, out);
    free_node(c.root);
    return flush_diags(&c);
}
