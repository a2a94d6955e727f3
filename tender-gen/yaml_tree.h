/* yaml_tree.h: a YAML file read into a tree of nodes that remember their
 * line and column, and the diagnostics the schemas built on it share:
 * errors queued and printed in file order as FILE:LINE:COL: error: WHAT,
 * values shown escaped and shortened, mappings walked against a key list.
 * The manifest front end (yaml_input.c) and the module descriptors
 * (module_yml.c) are both read this way. */
#ifndef TG_YAML_TREE_H
#define TG_YAML_TREE_H

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

/* A manifest needs 3 levels (root, devices, device), a descriptor 5.
 * libyaml 0.2.5 has no yaml_set_max_nest_level, so the cap is ours: it
 * bounds the tree, and the recursion that frees it, whatever the input. */
#define YT_MAX_DEPTH 32
/* Longest part of a user's value shown in a message, in characters: enough
 * for a whole overlong device name (68), short enough to stay one line. */
#define YT_QUOTE_MAX 80
/* Each shown byte takes at most 4 characters (\xHH), plus quotes and "...". */
#define YT_QUOTE_BUF (4 * YT_QUOTE_MAX + 8)
#define YT_MSG_MAX 1024

enum yt_kind {
    YT_SCALAR,
    YT_SEQ,
    YT_MAP,
    YT_BAD, /* an alias: already reported, skipped by every check */
};

struct yt_node {
    enum yt_kind kind;
    unsigned line, col;   /* 1-based */
    int string;           /* scalar: a string by YAML's rules (quoted, !!str) */
    char *text;           /* scalar: NUL-terminated copy of the value */
    size_t len;           /* scalar: length (the value may hold NUL bytes) */
    struct yt_node **kid; /* items; for a mapping, keys and values alternate */
    size_t nkid, cap;
};

struct yt_diag {
    unsigned line, col;
    size_t seq; /* discovery order, so sorting by position is stable */
    char *msg;
};

struct yt_ctx {
    const char *path;
    const char *what; /* "manifest": what one document of this file is */
    const unsigned char *buf;
    size_t len;
    yaml_parser_t parser;
    struct yt_node *stack[YT_MAX_DEPTH]; /* open sequences and mappings */
    unsigned depth;
    unsigned ndocs;
    struct yt_node *root;
    struct yt_diag *diag; /* errors, printed sorted by position at the end */
    size_t ndiag, capdiag;
    unsigned printed; /* errors printed at once: no memory to queue them */
};

/* Queues an error at (line, col). */
void yt_report(struct yt_ctx *c, unsigned line, unsigned col, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));

/* An error about node (n), its message prefixed with the key path (path). */
void yt_report_node(struct yt_ctx *c, const struct yt_node *n, const char *path,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Prints the queued errors in file order (a missing key is found after the
 * mapping's contents but sits before them) and returns how many were
 * reported in all. */
unsigned yt_flush(struct yt_ctx *c);

/* Writes (s, len) into (buf) (YT_QUOTE_BUF bytes) on one line, escaped,
 * shortened to YT_QUOTE_MAX characters, in double quotes if (quoted). */
const char *yt_show_bytes(const char *s, size_t len, int quoted, char *buf);

/* A scalar's value, quoted, as yt_show_bytes writes it. */
const char *yt_show(const struct yt_node *n, char *buf);

/* True for a plain empty, ~ or null scalar. */
int yt_is_null(const struct yt_node *n);

/* What was found where something else was expected, for "found %s". */
const char *yt_describe(const struct yt_node *n, char *buf);

/* True when (n) is the scalar (s). */
int yt_text_is(const struct yt_node *n, const char *s);

/* Reads the first document into c->root. Returns 0 when the tree is
 * complete (it may still hold aliases, reported already), -1 when it is
 * not and nothing more should be said about it. */
int yt_build(struct yt_ctx *c);

void yt_free(struct yt_node *n);

typedef void (*yt_key_fn)(struct yt_ctx *c, unsigned key,
                          const struct yt_node *value, void *arg);

/* Reports keys of mapping (m) that are not scalars, unknown or repeated;
 * calls (fn) for the others, in file order. Returns a bitmask of the keys
 * (indexes into keys[], at most 32) present. An unknown key's message
 * lists the keys and suggests the nearest one. */
uint32_t yt_walk_mapping(struct yt_ctx *c, const struct yt_node *m,
                         const char *path, const char *const *keys,
                         unsigned nkeys, yt_key_fn fn, void *arg);

/* The same, where only the first (nshown) keys are offered in messages:
 * those after them are accepted for compatibility, not taught. */
uint32_t yt_walk_mapping_shown(struct yt_ctx *c, const struct yt_node *m,
                               const char *path, const char *const *keys,
                               unsigned nkeys, unsigned nshown, yt_key_fn fn,
                               void *arg);

#endif /* TG_YAML_TREE_H */
