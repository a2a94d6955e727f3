/* solo5_ext.c: tender-gen's API extensions (solo5_ext.h) on spt. An spt
 * monitor offers none of them: there is no ring, and its filter allows
 * block calls of exactly one block. Each call still works, as on an hvt
 * monitor without the extensions. */
#include "solo5_ext.h"
#include "spt.h"

uint32_t solo5_ext_features(void)
{
    return 0;
}

/* Frames always travel by read and write. */
void solo5_ext_net_policy(enum solo5_ext_net_policy policy)
{
    (void)policy;
}

solo5_result_t solo5_ext_block_write(solo5_handle_t handle, solo5_off_t offset,
                                     const uint8_t *buf, size_t size)
{
    const struct mft_entry *e = tg_block_request(handle, offset, size, true);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    return tg_block_write_each(handle, offset, buf, size,
                               e->u.block_basic.block_size);
}

solo5_result_t solo5_ext_block_read(solo5_handle_t handle, solo5_off_t offset,
                                    uint8_t *buf, size_t size)
{
    const struct mft_entry *e = tg_block_request(handle, offset, size, true);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    return tg_block_read_each(handle, offset, buf, size,
                              e->u.block_basic.block_size);
}
