/* shape_parse.h: canonical shape text -> shape, the inverse of
 * tg_shape_from_devset, so the provenance a monitor carries is enough to
 * build it again (docs/design.md decision 1). */
#ifndef TG_SHAPE_PARSE_H
#define TG_SHAPE_PARSE_H

#include <stddef.h>

#include "shape.h"

/* Parses (text), "block=N net=N modules=a,b,c", into (shape). The text must
 * be exactly what this tender-gen would print for that shape (canonical
 * module order, every module known). Returns 0, or -1 with the reason in
 * (why). */
int tg_shape_parse(const char *text, struct tg_shape *shape, char *why,
                   size_t whysize);

#endif /* TG_SHAPE_PARSE_H */
