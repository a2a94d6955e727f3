/* race.c: a guest that rewrites a hypercall's argument struct while the
 * monitor serves it. It keeps the net ring's I/O thread busy receiving the
 * host's frames from device "feed" into a buffer laid over the NET_WRITE
 * struct it hands the monitor, and sends by hypercall on device "down",
 * whose tap is down (the write fails with EIO, the path that reports the
 * device by its handle). A monitor that read the handle a second time
 * would index its device table with frame bytes. The monitor must serve
 * every call from the copy it took. The guest prints "race: ready", waits
 * (at most 20 s) until the host took the tap down, races for the time
 * given on its command line (in ms, default 2000), then prints its counts:
 *   race: rounds R, eunspec U, einval I, frames F
 * and exits 0 (1 when a result was impossible). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvt_abi.h"
#include "solo5.h"

#define RACE_OUTSTANDING 256 /* ring reads kept queued */

static const struct hvt_boot_info *const bi =
    (const struct hvt_boot_info *)HVT_BOOT_INFO_BASE;
static struct hvt_ring *ring;
static uint32_t tail, head;

/* The NET_WRITE struct, and the ring's receive buffer over it. */
static union {
    struct hvt_hc_net_write hc;
    uint8_t buf[2048];
} target __attribute__((aligned(64)));
static uint8_t frame[60];

static void kick(void)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"(0U), "d"((uint16_t)HVT_RING_KICK_PIO_BASE)
                         : "memory");
}

static void net_write_hypercall(void)
{
    __asm__ __volatile__(
        "outl %0, %1"
        :
        : "a"((uint32_t)(uintptr_t)&target.hc),
          "d"((uint16_t)(HVT_HYPERCALL_PIO_BASE + HVT_HYPERCALL_NET_WRITE))
        : "memory");
}

/* Consumes the completions there are; returns how many carried a frame. */
static unsigned reap(void)
{
    unsigned frames = 0;

    while (__atomic_load_n(&ring->com_tail, __ATOMIC_ACQUIRE) != head) {
        frames += ring->commits[head & HVT_RING_MASK].ret == HVT_OK;
        __atomic_store_n(&ring->com_head, ++head, __ATOMIC_RELEASE);
    }
    return frames;
}

/* Tops the ring up with reads from (feed) into the struct. */
static void refill(solo5_handle_t feed)
{
    while (tail - head < RACE_OUTSTANDING) {
        struct hvt_ring_entry *e = &ring->entries[tail & HVT_RING_MASK];
        e->operation = HVT_RING_NET_READ;
        e->handle = (uint32_t)feed;
        e->data = (uintptr_t)target.buf;
        e->len = sizeof(target.buf);
        e->id = tail++;
    }
    __atomic_store_n(&ring->ent_tail, tail, __ATOMIC_SEQ_CST);
    kick();
}

int solo5_app_main(const struct solo5_start_info *si)
{
    solo5_handle_t down, feed;
    struct solo5_net_info info;
    unsigned long rounds = 0, eunspec = 0, einval = 0, frames = 0, odd = 0;
    long ms = si->cmdline[0] ? strtol(si->cmdline, NULL, 10) : 2000;

    if (solo5_net_acquire("down", &down, &info) != SOLO5_R_OK ||
        solo5_net_acquire("feed", &feed, &info) != SOLO5_R_OK ||
        !(bi->host_features & HVT_FEATURE_RING_IO)) {
        printf("race: FAILED: no devices or no ring\n");
        return SOLO5_EXIT_FAILURE;
    }
    ring = (struct hvt_ring *)(uintptr_t)bi->net_ring;
    memset(frame, 0xff, 6);
    memcpy(frame + 6, info.mac_address, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    printf("race: ready\n");
    solo5_time_t end = solo5_clock_monotonic() + 20000000000ULL;
    do {
        target.hc = (struct hvt_hc_net_write){
            .handle = down, .data = (uintptr_t)frame, .len = sizeof(frame)};
        net_write_hypercall();
        solo5_yield(solo5_clock_monotonic() + 10000000, NULL);
    } while (target.hc.ret != HVT_EUNSPEC && solo5_clock_monotonic() < end);
    end = solo5_clock_monotonic() + (solo5_time_t)ms * 1000000;
    while (solo5_clock_monotonic() < end) {
        refill(feed);
        target.hc = (struct hvt_hc_net_write){
            .handle = down, .data = (uintptr_t)frame, .len = sizeof(frame)};
        net_write_hypercall();
        /* EUNSPEC: served from the copy (the tap is down); EINVAL: a frame
         * landed before the monitor copied the struct in. */
        int ret = target.hc.ret;
        eunspec += ret == HVT_EUNSPEC;
        einval += ret == HVT_EINVAL;
        odd += ret != HVT_EUNSPEC && ret != HVT_EINVAL &&
               (uint64_t)target.hc.handle == down;
        frames += reap();
        rounds++;
    }
    printf("race: rounds %lu, eunspec %lu, einval %lu, frames %lu\n", rounds,
           eunspec, einval, frames);
    return odd ? SOLO5_EXIT_FAILURE : SOLO5_EXIT_SUCCESS;
}
