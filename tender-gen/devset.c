/* devset.c: small queries on the device set shared by the back ends. */
#include <string.h>

#include "devset.h"
#include "registry.h"

static const char *const target_names[TG_NTARGETS] = {"hvt", "spt"};

const char *tg_target_name(unsigned target)
{
    return target < TG_NTARGETS ? target_names[target] : "?";
}

int tg_target_named(const char *name)
{
    for (int t = 0; t < TG_NTARGETS; t++)
        if (strcmp(name, target_names[t]) == 0)
            return t;
    return -1;
}

const char *tg_dev_type_name(unsigned type)
{
    return tg_registry()->devtypes[type].name;
}

const char *tg_dev_type_solo5_name(unsigned type)
{
    return tg_registry()->devtypes[type].solo5;
}

unsigned tg_devset_count(const struct tg_devset *set, unsigned type)
{
    unsigned n = 0;

    for (unsigned i = 0; i < set->ndevices; i++)
        n += set->devices[i].type == type;
    return n;
}
