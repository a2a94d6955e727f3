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

solo5_result_t solo5_ext_block_write(solo5_handle_t handle, solo5_off_t offset,
                                     const uint8_t *buf, size_t size)
{
    const struct mft_entry *e = tg_block_request(handle, offset, size, true);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    if (tg_boot_info->host_features & HVT_FEATURE_TG_BLOCK_MULTI)
        return tg_block_hypercall(HVT_HYPERCALL_TG_BLOCK_WRITE, handle, offset,
                                  buf, size);
    return tg_block_write_each(handle, offset, buf, size,
                               e->u.block_basic.block_size);
}

solo5_result_t solo5_ext_block_read(solo5_handle_t handle, solo5_off_t offset,
                                    uint8_t *buf, size_t size)
{
    const struct mft_entry *e = tg_block_request(handle, offset, size, true);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    if (tg_boot_info->host_features & HVT_FEATURE_TG_BLOCK_MULTI)
        return tg_block_hypercall(HVT_HYPERCALL_TG_BLOCK_READ, handle, offset,
                                  buf, size);
    return tg_block_read_each(handle, offset, buf, size,
                              e->u.block_basic.block_size);
}
