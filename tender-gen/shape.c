/* shape.c: device set -> shape, and the shape's canonical text. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
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
    shape->opt_in = set->modules;
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

static int shape_has(const struct tg_shape *shape, enum tg_need need,
                     unsigned dev_type, uint32_t opt_in)
{
    for (unsigned i = 0; i < shape->nmodules; i++) {
        const struct tg_module *mod = shape->modules[i];
        if (mod->need == need &&
            (need == TG_NEED_DEVICE ? mod->dev_type == dev_type
                                    : (mod->opt_in & opt_in) != 0))
            return 1;
    }
    return 0;
}

int tg_shape_check(const struct tg_shape *shape)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } opt_ins[] = {{TGN1_MODULE_GDB, "gdb"},
                   {TGN1_MODULE_DUMPCORE, "dumpcore"},
                   {TGN1_MODULE_TRACE, "trace"}};
    int rc = 0;

    if (shape->nblock && !shape_has(shape, TG_NEED_DEVICE, TG_DEV_BLOCK, 0))
        rc = -1, tg_fatal("no module here serves block devices");
    if (shape->nnet && !shape_has(shape, TG_NEED_DEVICE, TG_DEV_NET, 0))
        rc = -1, tg_fatal("no module here serves net devices");
    for (size_t i = 0; i < sizeof(opt_ins) / sizeof(opt_ins[0]); i++)
        if ((shape->opt_in & opt_ins[i].bit) &&
            !shape_has(shape, TG_NEED_OPT_IN, 0, opt_ins[i].bit))
            rc = -1, tg_fatal("module \"%s\" is not available in this "
                              "tender-gen",
                              opt_ins[i].name);
    return rc;
}
