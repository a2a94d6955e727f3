/* devices.c: what every device module shares: finding a device in the
 * guest's manifest by name and type, and the binding rules (a name the
 * manifest lacks, or one device bound twice, is an error). */
#include <string.h>

#include "monitor.h"

const char *mon_type_name(uint32_t type)
{
    return type == MFT_DEV_NET_BASIC     ? "net"
           : type == MFT_DEV_BLOCK_BASIC ? "block"
                                         : "unknown";
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
                     name, mon_type_name(e->type), mon_type_name(type));
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
