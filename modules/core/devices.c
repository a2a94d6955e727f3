/* devices.c: what every device module shares: finding a device in the
 * guest's manifest by name and type, and the binding rules (a name the
 * manifest lacks, or one device bound twice, is an error). */
#include <string.h>

#include "monitor.h"

const struct mon_devtype *mon_devtype(const struct mon *m, unsigned handle)
{
    for (size_t t = 0; t < m->cfg->ndevtypes; t++)
        if (m->cfg->devtypes[t].mft_type == m->mft->e[handle].type)
            return &m->cfg->devtypes[t];
    return NULL;
}

const char *mon_type_name(const struct mon *m, uint32_t type)
{
    for (size_t t = 0; t < m->cfg->ndevtypes; t++)
        if (m->cfg->devtypes[t].mft_type == type)
            return m->cfg->devtypes[t].name;
    return "unknown";
}
