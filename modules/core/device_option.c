/* device_option.c: --TYPE:NAME=VALUE against the guest's manifest, the
 * same for both targets' device modules. */
#include <string.h>

#include "device_option.h"
#include "messages.h"

int mft_device_option(const struct mft *mft, const char *arg,
                      const char *prefix, uint32_t type,
                      const char *(*type_name)(const void *ctx, uint32_t type),
                      const void *ctx, unsigned *handle, const char **value)
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
    for (uint32_t i = 1; i < mft->entries; i++) {
        const struct mft_entry *e = &mft->e[i];
        if (strlen(e->name) != nlen || memcmp(e->name, name, nlen) != 0)
            continue;
        if (e->type != type) {
            mon_warn("%s: device '%.*s' is a %s device, not %s", arg, (int)nlen,
                     name, type_name(ctx, e->type), type_name(ctx, type));
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
