/* netdev.c: network devices: acquiring one, and the checks every frame passes
 * before the platform sends or receives it (hvt/net.c, spt/net.c). Frame
 * sizes are checked here against the MTU, so an oversized write fails the
 * same way on every target and every monitor. */
#include <string.h>

#include "kernel.h"

/* The largest frame the device carries: MTU plus the Ethernet header. */
static size_t max_frame(const struct mft_entry *e)
{
    return (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN;
}

solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
                                 struct solo5_net_info *info)
{
    const struct mft_entry *e = tg_mft_by_name(name, MFT_DEV_NET_BASIC, handle);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    memcpy(info->mac_address, e->u.net_basic.mac, SOLO5_NET_ALEN);
    info->mtu = e->u.net_basic.mtu;
    return SOLO5_R_OK;
}

solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf,
                               size_t size)
{
    const struct mft_entry *e = tg_mft_by_handle(handle, MFT_DEV_NET_BASIC);

    if (e == NULL || size > max_frame(e))
        return SOLO5_R_EINVAL;
    return tg_net_write(handle, e, buf, size);
}

solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
                              size_t *read_size)
{
    const struct mft_entry *e = tg_mft_by_handle(handle, MFT_DEV_NET_BASIC);

    if (e == NULL || size < max_frame(e))
        return SOLO5_R_EINVAL;
    return tg_net_read(handle, e, buf, size, read_size);
}
