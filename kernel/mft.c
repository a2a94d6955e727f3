/* mft.c: device lookups in the monitor's copy of the manifest.
 *
 * The monitor validated the manifest before the guest started (docs/hvt-abi.md
 * §2.3, docs/spt-abi.md) and filled in each device's properties; a handle is
 * the index of the device's entry (entry 0 is reserved and never matches a
 * type). */
#include <string.h>

#include "kernel.h"

const struct mft *tg_mft;

const struct mft_entry *tg_mft_by_name(const char *name, uint32_t type,
                                       solo5_handle_t *handle)
{
    const struct mft *m = tg_mft;

    for (uint32_t i = 1; i < m->entries && i < MFT_MAX_ENTRIES; i++) {
        const struct mft_entry *e = &m->e[i];

        if (e->type == type && strncmp(e->name, name, MFT_NAME_SIZE) == 0) {
            if (!e->attached)
                TG_PANIC("device declared but not attached", NULL);
            *handle = i;
            return e;
        }
    }
    return NULL;
}

const struct mft_entry *tg_mft_by_handle(solo5_handle_t handle, uint32_t type)
{
    const struct mft *m = tg_mft;

    if (handle == 0 || handle >= m->entries || handle >= MFT_MAX_ENTRIES)
        return NULL;
    if (m->e[handle].type != type)
        return NULL;
    return &m->e[handle];
}
