/* shape.c: device set -> shape, and the shape's canonical text. */
#include <stdio.h>
#include <string.h>

#include "shape.h"

static int shape_needs(const struct tg_shape *shape, uint32_t opt_in,
                       const struct tg_module *mod)
{
    switch (mod->need) {
    case TG_NEED_ALWAYS:
        return 1;
    case TG_NEED_DEVICE:
        return mod->dev_type == TG_DEV_NET ? shape->nnet > 0
                                           : shape->nblock > 0;
    case TG_NEED_OPT_IN:
        return (opt_in & mod->opt_in) != 0;
    }
    return 0;
}

void tg_shape_from_devset(const struct tg_devset *set, struct tg_shape *shape)
{
    size_t len;

    memset(shape, 0, sizeof(*shape));
    shape->nblock = tg_devset_count(set, TG_DEV_BLOCK);
    shape->nnet = tg_devset_count(set, TG_DEV_NET);
    len = (size_t)snprintf(shape->text, sizeof(shape->text),
                           "block=%u net=%u modules=", shape->nblock,
                           shape->nnet);
    for (unsigned i = 0; i < tg_nmodules; i++) {
        const struct tg_module *mod = &tg_modules[i];
        if (!shape_needs(shape, set->modules, mod))
            continue;
        shape->modules[shape->nmodules++] = mod;
        len +=
            (size_t)snprintf(shape->text + len, sizeof(shape->text) - len,
                             "%s%s", shape->nmodules > 1 ? "," : "", mod->name);
    }
}
