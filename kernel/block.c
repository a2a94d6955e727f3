/* block.c: block devices over the BLOCK_WRITE and BLOCK_READ hypercalls.
 *
 * A request is exactly one block at a block-aligned offset; the monitor
 * checks the range against the capacity. */
#include "kernel.h"

/* The device behind (handle) if a request of (size) bytes at (offset) is
 * well-formed for it, else NULL. */
static const struct mft_entry *checked_request(solo5_handle_t handle,
                                               solo5_off_t offset, size_t size)
{
    const struct mft_entry *e = tg_mft_by_handle(handle, MFT_DEV_BLOCK_BASIC);
    uint64_t block_size;

    if (e == NULL)
        return NULL;
    block_size = e->u.block_basic.block_size;
    if (block_size == 0 || offset % block_size != 0 || size != block_size)
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
    volatile struct hvt_hc_block_write wr;

    if (checked_request(handle, offset, size) == NULL)
        return SOLO5_R_EINVAL;
    wr.handle = handle;
    wr.offset = offset;
    wr.data = tg_gpa(buf);
    wr.len = size;
    wr.ret = HVT_EUNSPEC;
    tg_hypercall(HVT_HYPERCALL_BLOCK_WRITE, &wr);
    return (solo5_result_t)wr.ret;
}

solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset,
                                uint8_t *buf, size_t size)
{
    volatile struct hvt_hc_block_read rd;

    if (checked_request(handle, offset, size) == NULL)
        return SOLO5_R_EINVAL;
    rd.handle = handle;
    rd.offset = offset;
    rd.data = tg_gpa(buf);
    rd.len = size;
    rd.ret = HVT_EUNSPEC;
    tg_hypercall(HVT_HYPERCALL_BLOCK_READ, &rd);
    return (solo5_result_t)rd.ret;
}
