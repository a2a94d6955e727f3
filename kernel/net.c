/* net.c: network devices over the NET_WRITE and NET_READ hypercalls.
 *
 * The monitor's ring (HVT_FEATURE_RING_IO) is not used: hypercalls always
 * work, and a guest that ignores the offer is what the ABI expects of old
 * guests (hvt-abi.md §4). Frame sizes are checked here against the MTU, so
 * an oversized write fails the same way on every monitor. */
#include <string.h>

#include "kernel.h"

static const struct mft_entry *net_device(solo5_handle_t handle)
{
    return tg_mft_by_handle(handle, MFT_DEV_NET_BASIC);
}

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
    const struct mft_entry *e = net_device(handle);
    volatile struct hvt_hc_net_write wr;

    if (e == NULL || size > max_frame(e))
        return SOLO5_R_EINVAL;
    wr.handle = handle;
    wr.data = tg_gpa(buf);
    wr.len = size;
    wr.ret = HVT_EUNSPEC;
    tg_hypercall(HVT_HYPERCALL_NET_WRITE, &wr);
    return (solo5_result_t)wr.ret;
}

solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
                              size_t *read_size)
{
    const struct mft_entry *e = net_device(handle);
    volatile struct hvt_hc_net_read rd;

    if (e == NULL || size < max_frame(e))
        return SOLO5_R_EINVAL;
    rd.handle = handle;
    rd.data = tg_gpa(buf);
    rd.len = size;
    rd.ret = HVT_EUNSPEC;
    tg_hypercall(HVT_HYPERCALL_NET_READ, &rd);
    /* As in Solo5, written even for AGAIN (it then holds size). */
    *read_size = rd.len;
    return (solo5_result_t)rd.ret;
}
