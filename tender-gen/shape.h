/* shape.h: what a monitor is specialised to (docs/design.md decision 1): the
 * modules in it and, per device type, how many devices. Device names and
 * order are not part of it, so every guest that fits shares one monitor. */
#ifndef TG_SHAPE_H
#define TG_SHAPE_H

#include "devset.h"
#include "registry.h"

#define TG_SHAPE_TEXT_MAX 256

struct tg_shape {
    unsigned target;                 /* enum tg_target */
    unsigned count[TG_MAX_DEVTYPES]; /* devices, by registry device type */
    const struct tg_module *modules[TG_MAX_MODULES]; /* canonical order */
    unsigned nmodules;
    uint32_t opt_in; /* TGN1 bits asked for, whether or not provided */
    /* "block=0 net=0 modules=core,console"; other targets than hvt lead
     * with theirs ("target=spt block=0 ..."), so hvt shapes keep the text,
     * and the digest, they have always had. */
    char text[TG_SHAPE_TEXT_MAX];
};

void tg_shape_from_devset(const struct tg_devset *set, struct tg_shape *shape);

/* Checks that a module serves every device type and opt-in module the
 * shape asks for: a monitor without one could never run its guest. Returns
 * 0, or -1 after reporting what is missing. */
int tg_shape_check(const struct tg_shape *shape);

#endif /* TG_SHAPE_H */
