/* yaml_tree.c: a YAML file into a tree of positioned nodes (libyaml
 * events), and the diagnostics every schema read from such a tree shares. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "suggest.h"
#include "yaml_tree.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

/* ---- diagnostics ------------------------------------------------------ */

static int queue_diag(struct yt_ctx *c, unsigned line, unsigned col,
                      const char *msg)
{
    if (c->ndiag == c->capdiag) {
        size_t cap = c->capdiag ? 2 * c->capdiag : 16;
        struct yt_diag *d = realloc(c->diag, cap * sizeof(*d));

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
    c->diag[c->ndiag] = (struct yt_diag){line, col, c->ndiag, copy};
    c->ndiag++;
    return 0;
}

static void vreport(struct yt_ctx *c, unsigned line, unsigned col,
                    const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void vreport(struct yt_ctx *c, unsigned line, unsigned col,
                    const char *fmt, va_list ap)
{
    char msg[YT_MSG_MAX];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (queue_diag(c, line, col, msg) < 0) {
        struct tg_loc loc = {c->path, line, col};

        tg_error(&loc, "%s", msg);
        c->printed++;
    }
}

void yt_report(struct yt_ctx *c, unsigned line, unsigned col, const char *fmt,
               ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(c, line, col, fmt, ap);
    va_end(ap);
}

void yt_report_node(struct yt_ctx *c, const struct yt_node *n, const char *path,
                    const char *fmt, ...)
{
    char msg[YT_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    yt_report(c, n->line, n->col, "%s%s%s", path, *path ? ": " : "", msg);
}

static int diag_cmp(const void *a, const void *b)
{
    const struct yt_diag *x = a, *y = b;

    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Prints the queued errors in file order (a missing key is found after the
 * mapping's contents but sits before them) and returns how many this call
 * reported in all. */
unsigned yt_flush(struct yt_ctx *c)
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

/* Writes (s, len) into (buf) (YT_QUOTE_BUF bytes) on one line, escaped,
 * shortened to YT_QUOTE_MAX characters, in double quotes if (quoted). Values
 * are UTF-8 (libyaml checks), so a character ends where a byte is not a
 * continuation byte. */
const char *yt_show_bytes(const char *s, size_t len, int quoted, char *buf)
{
    size_t o = 0, chars = 0, i;

    if (quoted)
        buf[o++] = '"';
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        int starts_char = (ch & 0xc0) != 0x80;

        if (starts_char && chars++ == YT_QUOTE_MAX)
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

const char *yt_show(const struct yt_node *n, char *buf)
{
    return yt_show_bytes(n->text, n->len, 1, buf);
}

int yt_is_null(const struct yt_node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

    if (n->kind != YT_SCALAR || n->string)
        return 0;
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
        if (strlen(nulls[i]) == n->len && !memcmp(nulls[i], n->text, n->len))
            return 1;
    return 0;
}

/* What was found where something else was expected, for "found %s". */
const char *yt_describe(const struct yt_node *n, char *buf)
{
    if (n->kind == YT_SEQ)
        return "a sequence";
    if (n->kind == YT_MAP)
        return "a mapping";
    if (yt_is_null(n))
        return "an empty value";
    return yt_show(n, buf);
}

int yt_text_is(const struct yt_node *n, const char *s)
{
    return n->kind == YT_SCALAR && n->len == strlen(s) &&
           !memcmp(n->text, s, n->len);
}

/* ---- building the node tree from libyaml events ------------------------- */

void yt_free(struct yt_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkid; i++)
        yt_free(n->kid[i]);
    free(n->kid);
    free(n->text);
    free(n);
}

static struct yt_node *new_node(enum yt_kind kind, yaml_mark_t m)
{
    struct yt_node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->kind = kind;
    n->line = (unsigned)m.line + 1;
    n->col = (unsigned)m.column + 1;
    return n;
}

static int add_kid(struct yt_node *parent, struct yt_node *kid)
{
    if (parent->nkid == parent->cap) {
        size_t cap = parent->cap ? 2 * parent->cap : 4;
        struct yt_node **k = realloc(parent->kid, cap * sizeof(*k));

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
static int attach(struct yt_ctx *c, struct yt_node *n)
{
    if (c->depth == 0) {
        yt_free(c->root);
        c->root = n;
        return 0;
    }
    if (add_kid(c->stack[c->depth - 1], n) == 0)
        return 0;
    yt_free(n);
    return -1;
}

/* Explicit tags are accepted only when they are YAML's default ones for the
 * node; !!str and !!int also decide whether a scalar is a string. */
static void check_tag(struct yt_ctx *c, struct yt_node *n,
                      const yaml_char_t *tag)
{
    static const char *const kind_tag[] = {
        [YT_SCALAR] = TAG_PREFIX "str",
        [YT_SEQ] = TAG_PREFIX "seq",
        [YT_MAP] = TAG_PREFIX "map",
    };
    const char *t = (const char *)tag;
    char shown[YT_QUOTE_BUF];

    if (!t)
        return;
    if (!strcmp(t, kind_tag[n->kind])) {
        n->string = n->kind == YT_SCALAR;
        return;
    }
    if (n->kind == YT_SCALAR && !strcmp(t, TAG_PREFIX "int")) {
        n->string = 0;
        return;
    }
    yt_report(c, n->line, n->col,
              "unsupported tag %s (only the default tags !!str, !!int, !!seq "
              "and !!map are accepted)",
              yt_show_bytes(t, strlen(t), 1, shown));
}

static int on_scalar(struct yt_ctx *c, const yaml_event_t *ev)
{
    struct yt_node *n = new_node(YT_SCALAR, ev->start_mark);

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

static int on_alias(struct yt_ctx *c, const yaml_event_t *ev)
{
    struct yt_node *n = new_node(YT_BAD, ev->start_mark);
    const char *anchor = (const char *)ev->data.alias.anchor;
    char shown[YT_QUOTE_BUF];

    if (!n)
        return -1;
    yt_report(c, n->line, n->col,
              "alias *%s: aliases are not supported (write the value out)",
              yt_show_bytes(anchor, strlen(anchor), 0, shown));
    return attach(c, n);
}

static int on_collection_start(struct yt_ctx *c, const yaml_event_t *ev,
                               enum yt_kind kind, const yaml_char_t *tag)
{
    struct yt_node *n;

    if (c->depth == YT_MAX_DEPTH) {
        yt_report(c, (unsigned)ev->start_mark.line + 1,
                  (unsigned)ev->start_mark.column + 1,
                  "nested more than %d levels deep", YT_MAX_DEPTH);
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

static void on_collection_end(struct yt_ctx *c)
{
    if (c->depth > 0)
        c->depth--;
}

/* Returns 1 to read on, 0 when the tree is complete, -1 when out of memory
 * and -2 when the tree cannot be trusted (reported already). */
static int on_event(struct yt_ctx *c, const yaml_event_t *ev)
{
    int r;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (c->ndocs++ == 0)
            return 1;
        yt_report(c, (unsigned)ev->start_mark.line + 1,
                  (unsigned)ev->start_mark.column + 1,
                  "a second YAML document (a %s is one document)", c->what);
        return 0;
    case YAML_STREAM_END_EVENT:
        return 0;
    case YAML_ALIAS_EVENT:
        return on_alias(c, ev) < 0 ? -1 : 1;
    case YAML_SCALAR_EVENT:
        return on_scalar(c, ev) < 0 ? -1 : 1;
    case YAML_SEQUENCE_START_EVENT:
        r = on_collection_start(c, ev, YT_SEQ, ev->data.sequence_start.tag);
        return r < 0 ? r : 1;
    case YAML_MAPPING_START_EVENT:
        r = on_collection_start(c, ev, YT_MAP, ev->data.mapping_start.tag);
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
static void offset_pos(const struct yt_ctx *c, size_t offset, unsigned *line,
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

/* True when the character at libyaml's (mark) is a tab: libyaml then says
 * "found character that cannot start any token", which does not name it.
 * The mark counts lines and characters, not bytes: the byte is found by
 * walking to the line, past a byte-order mark, then over UTF-8 characters. */
static int tab_at(const struct yt_ctx *c, yaml_mark_t mark)
{
    size_t i = 0, line = 0, col = 0;

    if (c->len >= 3 && !memcmp(c->buf, "\xEF\xBB\xBF", 3))
        i = 3;
    for (; i < c->len && line < mark.line; i++)
        line += c->buf[i] == '\n';
    for (; i < c->len && col < mark.column; col++)
        for (i++; i < c->len && (c->buf[i] & 0xc0) == 0x80; i++)
            ;
    return line == mark.line && i < c->len && c->buf[i] == '\t';
}

static void report_syntax_error(struct yt_ctx *c)
{
    const yaml_parser_t *p = &c->parser;
    const char *problem = p->problem ? p->problem : "invalid YAML";
    unsigned line, col;

    if (p->error == YAML_MEMORY_ERROR) {
        yt_report(c, 0, 0, "out of memory while reading YAML");
    } else if (p->error == YAML_READER_ERROR) {
        offset_pos(c, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            yt_report(c, line, col, "%s (value 0x%X)", problem,
                      (unsigned)p->problem_value);
        else
            yt_report(c, line, col, "%s", problem);
    } else if (tab_at(c, p->problem_mark)) {
        yt_report(c, (unsigned)p->problem_mark.line + 1,
                  (unsigned)p->problem_mark.column + 1,
                  "a tab character: YAML does not allow tabs for "
                  "indentation (indent with spaces)");
    } else if (p->context) {
        yt_report(c, (unsigned)p->problem_mark.line + 1,
                  (unsigned)p->problem_mark.column + 1, "%s (%s at %u:%u)",
                  problem, p->context, (unsigned)p->context_mark.line + 1,
                  (unsigned)p->context_mark.column + 1);
    } else {
        yt_report(c, (unsigned)p->problem_mark.line + 1,
                  (unsigned)p->problem_mark.column + 1, "%s", problem);
    }
}

/* Reads the first document into c->root. Returns 0 when the tree is
 * complete (it may still hold aliases, reported already), -1 when it is
 * not and nothing more should be said about it. */
int yt_build(struct yt_ctx *c)
{
    static const unsigned char empty[1];
    yaml_event_t ev;
    int r;

    if (!yaml_parser_initialize(&c->parser)) {
        yt_report(c, 0, 0, "out of memory while reading YAML");
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
        yt_report(c, 0, 0, "out of memory while reading YAML");
    yaml_parser_delete(&c->parser);
    return r == 0 ? 0 : -1;
}

/* ---- the schema ------------------------------------------------------ */

static unsigned find_key(const struct yt_node *key, const char *const *keys,
                         unsigned nkeys)
{
    unsigned i;

    for (i = 0; i < nkeys; i++)
        if (yt_text_is(key, keys[i]))
            break;
    return i;
}

static void report_unknown_key(struct yt_ctx *c, const struct yt_node *key,
                               const char *path, const char *const *keys,
                               unsigned nshown)
{
    char list[256] = "", hint[96] = "", shown[YT_QUOTE_BUF];
    size_t o = 0;
    const char *near = tg_suggest(key->text, key->len, keys, nshown);

    for (unsigned i = 0; i < nshown; i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
                              keys[i]);
    if (near)
        snprintf(hint, sizeof(hint), "; did you mean \"%s\"?", near);
    yt_report_node(c, key, path, "unknown key %s%s (expected one of: %s)",
                   yt_show(key, shown), hint, list);
}

uint32_t yt_walk_mapping(struct yt_ctx *c, const struct yt_node *m,
                         const char *path, const char *const *keys,
                         unsigned nkeys, yt_key_fn fn, void *arg)
{
    return yt_walk_mapping_shown(c, m, path, keys, nkeys, nkeys, fn, arg);
}

uint32_t yt_walk_mapping_shown(struct yt_ctx *c, const struct yt_node *m,
                               const char *path, const char *const *keys,
                               unsigned nkeys, unsigned nshown, yt_key_fn fn,
                               void *arg)
{
    const struct yt_node *first[32] = {0};
    uint32_t seen = 0;
    char shown[YT_QUOTE_BUF];

    for (size_t i = 0; i + 1 < m->nkid; i += 2) {
        const struct yt_node *key = m->kid[i], *value = m->kid[i + 1];
        unsigned k;

        if (key->kind == YT_BAD)
            continue;
        if (key->kind != YT_SCALAR) {
            yt_report_node(c, key, path, "expected a key name, found %s",
                           yt_describe(key, shown));
            continue;
        }
        k = find_key(key, keys, nkeys);
        if (k == nkeys) {
            report_unknown_key(c, key, path, keys, nshown);
        } else if (first[k]) {
            yt_report_node(c, key, path,
                           "\"%s\" specified more than once (first at %u:%u)",
                           keys[k], first[k]->line, first[k]->col);
        } else {
            first[k] = key;
            seen |= UINT32_C(1) << k;
            if (value->kind != YT_BAD)
                fn(c, k, value, arg);
        }
    }
    return seen;
}
