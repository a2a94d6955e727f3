/* describe.h: what a monitor or a drop-in answers to --describe
 * (docs/monitor.md, docs/dropin.md). All of it is known when tender-gen
 * generates the program, so tender-gen writes the whole JSON text into the
 * generated tables as a string constant, and the program only writes it
 * out. */
#ifndef TG_DESCRIBE_H
#define TG_DESCRIBE_H

#include <stdio.h>

#include "buf.h"
#include "shape.h"

/* A text written with stdio (so that tg_json_string escapes its strings),
 * kept in memory until it is emitted. */
struct tg_text {
    FILE *f;
    char *data;
    size_t len;
};

/* Opens (t) for writing; out of memory ends tender-gen. Returns t->f. */
FILE *tg_text_open(struct tg_text *t);

/* (len) bytes of (line) as the inside of a C string literal: quote and
 * backslash escaped, '?' too (no trigraph can form), any other byte
 * outside printable ASCII in octal. */
void tg_emit_c_chars(const char *line, size_t len, struct tg_buf *out);

/* Closes (t) and emits the declaration (decl, as "static const char
 * mon_describe[]") of a C string constant holding its text, one line of
 * the text to a line of the source. */
void tg_text_emit(struct tg_text *t, const char *decl, struct tg_buf *out);

/* The fields that describe the monitor of (shape), whose monitor.c has
 * the digest (digest) (hex), each on a line of its own indented by
 * (indent) spaces, the last without a comma: target, abi_version, shape,
 * digest, modules and device_limits. A drop-in describes each of its
 * monitors with them. */
void tg_describe_fields(FILE *f, unsigned indent, const struct tg_shape *shape,
                        const char *digest);

/* Emits (decl) holding a monitor's whole answer: kind "monitor", the
 * generator and its version, then the fields above. */
void tg_emit_describe(const char *decl, const struct tg_shape *shape,
                      const char *digest, struct tg_buf *out);

#endif /* TG_DESCRIBE_H */
