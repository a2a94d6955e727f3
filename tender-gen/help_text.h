/* help_text.h: what a monitor answers to --help (docs/monitor.md). It is
 * all known when tender-gen generates the monitor, from the descriptors of
 * the shape's modules, so tender-gen writes it into the tables and the
 * monitor writes "usage: PROG" and then this text. */
#ifndef TG_HELP_TEXT_H
#define TG_HELP_TEXT_H

#include "buf.h"
#include "shape.h"

/* Emits (decl, as "static const char mon_help[]"), the text after
 * "usage: PROG": the command line, every option the shape's modules'
 * descriptors list for its target (the core's first) as "[ NAME ]
 * (HELP)", the questions every monitor answers, its modules and shape. */
void tg_emit_help(const char *decl, const struct tg_shape *shape,
                  struct tg_buf *out);

#endif /* TG_HELP_TEXT_H */
