/* solo5_ext.c: tender-gen's API extensions (solo5_ext.h) on spt. An spt
 * monitor offers none of them: there is no ring, and its filter allows
 * block calls of exactly one block. Each call still works, as on an hvt
 * monitor without the extensions (block.c). */
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

/* The filter allows one block a call: block.c splits the request. */
bool tg_block_multi(bool write, solo5_handle_t handle, solo5_off_t offset,
                    const void *buf, size_t size, solo5_result_t *r)
{
    (void)write, (void)handle, (void)offset, (void)buf, (void)size, (void)r;
    return false;
}
