/* explain.h: the report of what a monitor holds (docs/design.md "What
 * "minimal" means, measured"): modules, lines of C, sizes, hypercalls. */
#ifndef TG_EXPLAIN_H
#define TG_EXPLAIN_H

#include <stdio.h>

#include "emit_monitor.h"
#include "shape.h"

/* (binary) is the compiled monitor, or NULL when none was built. */
void tg_explain(FILE *f, const struct tg_shape *shape,
                const struct tg_monitor_src *src, const char *binary, int json);

#endif /* TG_EXPLAIN_H */
