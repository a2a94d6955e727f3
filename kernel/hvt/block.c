/* block.c: block devices over the BLOCK_WRITE and BLOCK_READ hypercalls.
 * The monitor checks the range against the capacity. */
#include "hvt.h"

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
