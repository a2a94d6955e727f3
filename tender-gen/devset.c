/* devset.c: small queries on the device set shared by the back ends. */
#include "devset.h"
#include "registry.h"

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
