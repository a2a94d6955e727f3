/* block.c: block devices as the monitor's file descriptors: one pread64
 * or pwrite64 of exactly one block, at a block-aligned offset inside the
 * capacity, on the entry's hostfd.
 *
 * The monitor's filter allows only such calls, so the range is checked
 * here: a request beyond the capacity is SOLO5_R_EINVAL, where the call
 * itself would end the guest. */
#include "spt.h"

/* The entry of a well-formed one-block request inside the capacity. */
static const struct mft_entry *request(solo5_handle_t handle,
                                       solo5_off_t offset, size_t size)
{
    const struct mft_entry *e = tg_block_request(handle, offset, size, false);

    if (e == NULL || e->u.block_basic.capacity < size ||
        offset > e->u.block_basic.capacity - size)
        return NULL;
    return e;
}

solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset,
                                 const uint8_t *buf, size_t size)
{
    const struct mft_entry *e = request(handle, offset, size);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    if (tg_syscall4(TG_SYS_pwrite64, e->b.hostfd, (long)buf, (long)size,
                    (long)offset) != (long)size)
        return SOLO5_R_EUNSPEC;
    return SOLO5_R_OK;
}

solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset,
                                uint8_t *buf, size_t size)
{
    const struct mft_entry *e = request(handle, offset, size);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    if (tg_syscall4(TG_SYS_pread64, e->b.hostfd, (long)buf, (long)size,
                    (long)offset) != (long)size)
        return SOLO5_R_EUNSPEC;
    return SOLO5_R_OK;
}
