/* solo5_ext.c: tender-gen's API extensions (solo5_ext.h): which ones the
 * monitor offers, and multi-block I/O. */
#include "hvt.h"
#include "solo5_ext.h"

uint32_t solo5_ext_features(void)
{
    const struct hvt_boot_info *bi = tg_boot_info;
    uint32_t f = 0;

    /* net_ring != 0 as well: see net.c on monitors older than Solo5 0.11. */
    if ((bi->host_features & HVT_FEATURE_RING_IO) && bi->net_ring != 0) {
        f |= SOLO5_EXT_NET_RING_IO;
        if (bi->host_features & HVT_FEATURE_TG_RING_BATCH)
            f |= SOLO5_EXT_NET_BATCH;
    }
    if (bi->host_features & HVT_FEATURE_TG_BLOCK_MULTI)
        f |= SOLO5_EXT_BLOCK_MULTI;
    return f;
}

bool tg_block_multi(bool write, solo5_handle_t handle, solo5_off_t offset,
                    const void *buf, size_t size, solo5_result_t *r)
{
    if (!(tg_boot_info->host_features & HVT_FEATURE_TG_BLOCK_MULTI))
        return false;
    *r = tg_block_hypercall(write ? HVT_HYPERCALL_TG_BLOCK_WRITE
                                  : HVT_HYPERCALL_TG_BLOCK_READ,
                            handle, offset, buf, size);
    return true;
}
