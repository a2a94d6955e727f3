/* shape.h: what a monitor is specialised to (design.md decision 1): the
 * modules in it and, per device type, how many devices. Device names and
 * order are not part of it, so every guest that fits shares one monitor. */
#ifndef TG_SHAPE_H
#define TG_SHAPE_H

#include "devset.h"
#include "registry.h"

#define TG_SHAPE_TEXT_MAX 256

struct tg_shape {
    unsigned nblock;
    unsigned nnet;
    const struct tg_module *modules[16]; /* canonical order */
    unsigned nmodules;
    char text[TG_SHAPE_TEXT_MAX]; /* "block=0 net=0 modules=core,console" */
};

void tg_shape_from_devset(const struct tg_devset *set, struct tg_shape *shape);

#endif /* TG_SHAPE_H */
