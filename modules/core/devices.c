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

int mon_device_option(struct mon *m, const char *arg, const char *prefix,
                      uint32_t type, unsigned *handle, const char **value)
{
    size_t plen = strlen(prefix);

    if (strncmp(arg, prefix, plen) != 0 || arg[plen] != ':')
        return 0;
    const char *name = arg + plen + 1;
    const char *eq = strchr(name, '=');
    if (!eq || eq == name || eq[1] == 0) {
        mon_warn("%s: expected %s:NAME=VALUE", arg, prefix);
        return -1;
    }
    size_t nlen = (size_t)(eq - name);
    for (uint32_t i = 1; i < m->mft->entries; i++) {
        const struct mft_entry *e = &m->mft->e[i];
        if (strlen(e->name) != nlen || memcmp(e->name, name, nlen) != 0)
            continue;
        if (e->type != type) {
            mon_warn("%s: device '%.*s' is a %s device, not %s", arg, (int)nlen,
                     name, mon_type_name(m, e->type), mon_type_name(m, type));
            return -1;
        }
        *handle = i;
        *value = eq + 1;
        return 1;
    }
    mon_warn("%s: resource not declared in manifest: '%.*s'", arg, (int)nlen,
             name);
    return -1;
}
