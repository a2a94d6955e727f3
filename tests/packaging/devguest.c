/* devguest.c: acquires its net and block devices, prints what the monitor
 * bound to them (MAC, MTU, capacity), writes its command line into block 1
 * and reads it back, then exits 0 ("devguest: SUCCESS") or 1. */
#include <stdio.h>
#include <string.h>

#include "solo5.h"

static uint8_t block[4096];

static int use_block(const char *text)
{
    solo5_handle_t h;
    struct solo5_block_info bi;

    if (solo5_block_acquire("storage", &h, &bi) != SOLO5_R_OK ||
        bi.block_size > sizeof(block) || bi.capacity < 2 * bi.block_size)
        return -1;
    printf("devguest: storage capacity=%llu block=%llu\n",
           (unsigned long long)bi.capacity, (unsigned long long)bi.block_size);
    size_t n = strlen(text) < bi.block_size ? strlen(text) : bi.block_size - 1;
    memset(block, 0, sizeof(block));
    memcpy(block, text, n);
    if (solo5_block_write(h, bi.block_size, block, bi.block_size) != SOLO5_R_OK)
        return -1;
    memset(block, 0xff, sizeof(block));
    if (solo5_block_read(h, bi.block_size, block, bi.block_size) != SOLO5_R_OK)
        return -1;
    return memcmp(block, text, n) == 0 && block[n] == 0 ? 0 : -1;
}

static int use_net(void)
{
    solo5_handle_t h;
    struct solo5_net_info ni;
    const uint8_t *m = ni.mac_address;

    if (solo5_net_acquire("service", &h, &ni) != SOLO5_R_OK)
        return -1;
    printf("devguest: service mac=%02x:%02x:%02x:%02x:%02x:%02x mtu=%llu\n",
           m[0], m[1], m[2], m[3], m[4], m[5], (unsigned long long)ni.mtu);
    return 0;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    printf("devguest: cmdline=%s\n", si->cmdline);
    if (use_net() < 0 || use_block(si->cmdline) < 0) {
        printf("devguest: FAILURE\n");
        return SOLO5_EXIT_FAILURE;
    }
    printf("devguest: SUCCESS\n");
    return SOLO5_EXIT_SUCCESS;
}
