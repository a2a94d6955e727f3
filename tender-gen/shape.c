/* shape.c: device set -> shape, and the shape's canonical text. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "shape.h"

static int shape_needs(const struct tg_shape *shape, uint32_t opt_in,
                       const struct tg_module *mod)
{
    switch (mod->need) {
    case TG_NEED_CORE:
    case TG_NEED_ALWAYS:
        return 1;
    case TG_NEED_DEVICE:
        return shape->count[mod->dev_type] > 0;
    case TG_NEED_OPT_IN:
        return (opt_in & mod->opt_in) != 0;
    }
    return 0;
}

void tg_shape_from_devset(const struct tg_devset *set, struct tg_shape *shape)
{
    const struct tg_registry *reg = tg_registry_for(set->target);
    size_t len = 0;

    memset(shape, 0, sizeof(*shape));
    shape->opt_in = set->modules;
    shape->target = set->target;
    if (set->target != TG_TARGET_HVT)
        len = (size_t)snprintf(shape->text, sizeof(shape->text), "target=%s ",
                               tg_target_name(set->target));
    for (unsigned t = 0; t < reg->ndevtypes; t++) {
        shape->count[t] = tg_devset_count(set, t);
        len +=
            (size_t)snprintf(shape->text + len, sizeof(shape->text) - len,
                             "%s=%u ", reg->devtypes[t].name, shape->count[t]);
    }
    len += (size_t)snprintf(shape->text + len, sizeof(shape->text) - len,
                            "modules=");
    for (unsigned i = 0; i < reg->nmodules; i++) {
        const struct tg_module *mod = &reg->modules[i];
        if (!shape_needs(shape, set->modules, mod))
            continue;
        shape->modules[shape->nmodules++] = mod;
        len +=
            (size_t)snprintf(shape->text + len, sizeof(shape->text) - len,
                             "%s%s", shape->nmodules > 1 ? "," : "", mod->name);
    }
}

int tg_shape_check(const struct tg_shape *shape)
{
    const struct tg_registry *reg = tg_registry_for(shape->target);
    uint32_t missing = shape->opt_in & ~tg_opt_in_known();
    int rc = 0;

    /* Only modules with a part for the target make its monitors. */
    for (unsigned i = 0; i < shape->nmodules; i++)
        if (!shape->modules[i]->present)
            rc = -1,
            tg_fatal("module %s has no %s part: a %s monitor cannot "
                     "include it",
                     shape->modules[i]->name, tg_target_name(shape->target),
                     tg_target_name(shape->target));
    for (unsigned t = 0; t < reg->ndevtypes; t++)
        if (shape->count[t] > reg->devtypes[t].max)
            rc = -1, tg_fatal("%u %s devices: a monitor serves at most %u",
                              shape->count[t], reg->devtypes[t].name,
                              reg->devtypes[t].max);
    if (missing)
        rc = -1, tg_fatal("opt-in module bits 0x%x are not available in this "
                          "tender-gen",
                          missing);
    return rc;
}
