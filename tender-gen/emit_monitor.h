/* emit_monitor.h: shape -> monitor.c, one self-contained C file made of the
 * template with its placeholders filled: the module sources, inlined
 * unchanged, and the small tables generated for the shape. */
#ifndef TG_EMIT_MONITOR_H
#define TG_EMIT_MONITOR_H

#include "buf.h"
#include "shape.h"

#define TG_MAX_DEPS 64

/* The files a generation read, for --depfile. */
struct tg_deps {
    char *paths[TG_MAX_DEPS];
    unsigned n;
};

struct tg_monitor_src {
    struct tg_buf text;
    char digest[65]; /* sha256 of version, shape, template, sources, tables */
    unsigned lines;  /* all lines of monitor.c */
    unsigned code_lines; /* lines that are neither blank nor only comment */
    char shape[TG_SHAPE_TEXT_MAX]; /* the shape's canonical text */
};

/* Reads templates/ and modules/ under (datadir). Returns 0, or -1 after
 * reporting the error. */
int tg_emit_monitor(const char *datadir, const struct tg_shape *shape,
                    struct tg_monitor_src *out, struct tg_deps *deps);

/* Inlines the data-dir-relative files (rels), NULL-terminated, into (out)
 * as monitor.c's core is inlined: each project #include replaced by that
 * file the first time. For the drop-in's dispatcher. Returns 0, or -1
 * after reporting the error. */
int tg_inline_sources(const char *datadir, const char *const *rels,
                      struct tg_buf *out, struct tg_deps *deps);

void tg_deps_free(struct tg_deps *deps);

/* Appends the tables both targets' monitors of (shape) have, named with
 * PREFIX ("mon" for hvt monitors, "spt" for spt ones): PREFIX_devtypes[],
 * every device type tender-gen knows with how many devices of it the
 * monitor serves; PREFIX_option_facts, what it says of an option no module
 * took; PREFIX_help and PREFIX_describe, its --help and --describe texts
 * (monitor.c's digest is (digest)). */
void tg_emit_shape_tables(const struct tg_shape *shape, const char *digest,
                          const char *prefix, struct tg_buf *out);

/* The Solo5 target a monitor of (shape) serves ("hvt"), as the monitor and
 * the drop-in report it (--describe). */
const char *tg_monitor_target(const struct tg_shape *shape);

#endif /* TG_EMIT_MONITOR_H */
