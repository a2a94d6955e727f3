/* net.c: network devices as the monitor's tap descriptors: one read or
 * write of one frame on the entry's hostfd. The descriptor is non-blocking:
 * no frame waiting is EAGAIN, SOLO5_R_AGAIN to the application. */
#include "spt.h"

solo5_result_t tg_net_write(solo5_handle_t handle, const struct mft_entry *e,
                            const uint8_t *buf, size_t size)
{
    long n = tg_syscall3(TG_SYS_write, e->b.hostfd, (long)buf, (long)size);

    (void)handle;
    return n == (long)size ? SOLO5_R_OK : SOLO5_R_EUNSPEC;
}

solo5_result_t tg_net_read(solo5_handle_t handle, const struct mft_entry *e,
                           uint8_t *buf, size_t size, size_t *read_size)
{
    long n = tg_syscall3(TG_SYS_read, e->b.hostfd, (long)buf, (long)size);

    (void)handle;
    if (n == -TG_EAGAIN)
        return SOLO5_R_AGAIN;
    if (n < 0)
        return SOLO5_R_EUNSPEC;
    *read_size = (size_t)n;
    return SOLO5_R_OK;
}
