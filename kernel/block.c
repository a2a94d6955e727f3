/* block.c: block devices: acquiring one, and the checks every request
 * passes before the platform carries it out (hvt/block.c, spt/block.c).
 *
 * A request is exactly one block at a block-aligned offset; the range is
 * checked against the capacity by the monitor on hvt, by the platform on
 * spt. */
#include "kernel.h"
#include "solo5_ext.h"

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

/* solo5_ext.h's multi-block calls: the platform's own transfer when its
 * monitor offers one, else one Solo5 call a block; the first failure stops
 * it, and the blocks before it are done. */
solo5_result_t solo5_ext_block_write(solo5_handle_t handle, solo5_off_t offset,
                                     const uint8_t *buf, size_t size)
{
    const struct mft_entry *e = tg_block_request(handle, offset, size, true);
    solo5_result_t r = SOLO5_R_OK;

    if (e == NULL)
        return SOLO5_R_EINVAL;
    if (tg_block_multi(true, handle, offset, buf, size, &r))
        return r;
    for (size_t done = 0, bs = e->u.block_basic.block_size;
         done < size && r == SOLO5_R_OK; done += bs)
        r = solo5_block_write(handle, offset + done, buf + done, bs);
    return r;
}

solo5_result_t solo5_ext_block_read(solo5_handle_t handle, solo5_off_t offset,
                                    uint8_t *buf, size_t size)
{
    const struct mft_entry *e = tg_block_request(handle, offset, size, true);
    solo5_result_t r = SOLO5_R_OK;

    if (e == NULL)
        return SOLO5_R_EINVAL;
    if (tg_block_multi(false, handle, offset, buf, size, &r))
        return r;
    for (size_t done = 0, bs = e->u.block_basic.block_size;
         done < size && r == SOLO5_R_OK; done += bs)
        r = solo5_block_read(handle, offset + done, buf + done, bs);
    return r;
}
