/* devset.c: small queries on the device set shared by the back ends. */
#include "devset.h"

const char *tg_dev_type_name(enum tg_dev_type type)
{
    return type == TG_DEV_NET ? "net" : "block";
}

const char *tg_dev_type_solo5_name(enum tg_dev_type type)
{
    return type == TG_DEV_NET ? "NET_BASIC" : "BLOCK_BASIC";
}

unsigned tg_devset_count(const struct tg_devset *set, enum tg_dev_type type)
{
    unsigned n = 0;

    for (unsigned i = 0; i < set->ndevices; i++)
        n += set->devices[i].type == type;
    return n;
}
