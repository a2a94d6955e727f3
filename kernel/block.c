/* block.c: block devices over the BLOCK_WRITE and BLOCK_READ hypercalls.
 *
 * A request is exactly one block at a block-aligned offset; the monitor
 * checks the range against the capacity. */
#include "kernel.h"

const struct mft_entry *tg_block_request(solo5_handle_t handle,
                                         solo5_off_t offset, size_t size,
                                         bool multi)
{
    const struct mft_entry *e = tg_mft_by_handle(handle, MFT_DEV_BLOCK_BASIC);
    uint64_t bs;

    if (e == NULL)
        return NULL;
    bs = e->u.block_basic.block_size;
    if (bs == 0 || offset % bs != 0 ||
        (multi ? size == 0 || size % bs != 0 : size != bs))
        return NULL;
    return e;
}

solo5_result_t solo5_block_acquire(const char *name, solo5_handle_t *handle,
                                   struct solo5_block_info *info)
{
    const struct mft_entry *e =
        tg_mft_by_name(name, MFT_DEV_BLOCK_BASIC, handle);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    info->capacity = e->u.block_basic.capacity;
    info->block_size = e->u.block_basic.block_size;
    return SOLO5_R_OK;
}

solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset,
                                 const uint8_t *buf, size_t size)
{
    if (tg_block_request(handle, offset, size, false) == NULL)
        return SOLO5_R_EINVAL;
    return tg_block_hypercall(HVT_HYPERCALL_BLOCK_WRITE, handle, offset, buf,
                              size);
}

solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset,
                                uint8_t *buf, size_t size)
{
    if (tg_block_request(handle, offset, size, false) == NULL)
        return SOLO5_R_EINVAL;
    return tg_block_hypercall(HVT_HYPERCALL_BLOCK_READ, handle, offset, buf,
                              size);
}
