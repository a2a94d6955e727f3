/* netprobe.c: checks the net module's hypercalls from the guest side, with
 * raw NET_WRITE and NET_READ hypercalls (the kernel library checks sizes
 * itself, so it would never show what the monitor does). Prints one
 * "netprobe: ok: ..." or "netprobe: FAILED: ..." line per check, then
 * "netprobe: SUCCESS" when every check passed. Words on the command line
 * add checks that need the host's help:
 *   small  after the idle checks, wait for two frames (the host sends
 *          broadcast pings): the first read with a 20-byte buffer must be
 *          EINVAL, the second with a full buffer OK
 *   down   write a frame every 50 ms until the writes have gone OK ->
 *          EUNSPEC -> OK (the host takes the tap down and up again) */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hvt_abi.h"
#include "solo5.h"

#define NETPROBE_MAX_FRAME (65535 + SOLO5_NET_HLEN)
#define NETPROBE_SMALL 20
#define NETPROBE_WAIT_NS 10000000000ULL /* host traffic must come by then */

static uint8_t frame[NETPROBE_MAX_FRAME];
static solo5_handle_t handle;
static struct solo5_net_info info;
static int failures;

static void hypercall(enum hvt_hypercall nr, volatile void *arg)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"((uint32_t)(uintptr_t)arg),
                           "d"((uint16_t)(HVT_HYPERCALL_PIO_BASE + nr))
                         : "memory");
}

static int net_write(uint64_t h, size_t len)
{
    volatile struct hvt_hc_net_write wr = {
        .handle = h, .data = (uintptr_t)frame, .len = len, .ret = -1};

    hypercall(HVT_HYPERCALL_NET_WRITE, &wr);
    return wr.ret;
}

static int net_read(uint64_t h, size_t size, size_t *len)
{
    volatile struct hvt_hc_net_read rd = {
        .handle = h, .data = (uintptr_t)frame, .len = size, .ret = -1};

    hypercall(HVT_HYPERCALL_NET_READ, &rd);
    *len = rd.len;
    return rd.ret;
}

/* True when (word) is one of the space-separated words of (s). */
static int has_word(const char *s, const char *word)
{
    size_t n = strlen(word);

    while (*s) {
        while (*s == ' ')
            s++;
        const char *end = s;
        while (*end && *end != ' ')
            end++;
        if ((size_t)(end - s) == n && memcmp(s, word, n) == 0)
            return 1;
        s = end;
    }
    return 0;
}

static void expect(const char *what, long long got, long long want)
{
    if (got == want) {
        printf("netprobe: ok: %s\n", what);
        return;
    }
    printf("netprobe: FAILED: %s: got %lld, want %lld\n", what, got, want);
    failures++;
}

/* A broadcast frame of (len) bytes with the local experimental EtherType,
 * which nothing on the host answers. */
static void make_frame(size_t len)
{
    memset(frame, 0xa5, len);
    memset(frame, 0xff, 6);
    memcpy(frame + 6, info.mac_address, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
}

static void idle_checks(void)
{
    size_t max = info.mtu + SOLO5_NET_HLEN;
    size_t len;

    make_frame(max);
    expect("write of mtu + 14 bytes is OK", net_write(handle, max), HVT_OK);
    expect("write of mtu + 15 bytes is EINVAL", net_write(handle, max + 1),
           HVT_EINVAL);
    expect("write shorter than a header is EINVAL", net_write(handle, 13),
           HVT_EINVAL);
    expect("write to handle 0 is EINVAL", net_write(0, 64), HVT_EINVAL);
    expect("write to handle 63 is EINVAL", net_write(63, 64), HVT_EINVAL);
    expect("write to handle 2^32 + h is EINVAL",
           net_write((1ULL << 32) + handle, 64), HVT_EINVAL);
    expect("read from handle 0 is EINVAL", net_read(0, max, &len), HVT_EINVAL);
    expect("read from handle 2^32 + h is EINVAL",
           net_read((1ULL << 32) + handle, max, &len), HVT_EINVAL);
    expect("read with nothing queued is AGAIN", net_read(handle, max, &len),
           HVT_AGAIN);
    expect("AGAIN leaves len alone", (long long)len, (long long)max);
}

/* The same through kernel/'s Solo5 API, which checks sizes itself. */
static void api_checks(void)
{
    size_t max = info.mtu + SOLO5_NET_HLEN;
    solo5_handle_t other;
    struct solo5_net_info other_info;
    size_t len = 0;

    expect("solo5_net_acquire of an undeclared name is EINVAL",
           solo5_net_acquire("nosuch", &other, &other_info), SOLO5_R_EINVAL);
    make_frame(max);
    expect("solo5_net_write of mtu + 14 bytes is OK",
           solo5_net_write(handle, frame, max), SOLO5_R_OK);
    expect("solo5_net_write of mtu + 15 bytes is EINVAL",
           solo5_net_write(handle, frame, max + 1), SOLO5_R_EINVAL);
    expect("solo5_net_write to handle 0 is EINVAL",
           solo5_net_write(0, frame, 64), SOLO5_R_EINVAL);
    expect("solo5_net_read into less than mtu + 14 bytes is EINVAL",
           solo5_net_read(handle, frame, max - 1, &len), SOLO5_R_EINVAL);
    expect("solo5_net_read with nothing queued is AGAIN",
           solo5_net_read(handle, frame, max, &len), SOLO5_R_AGAIN);
    expect("AGAIN sets read_size to the buffer's size", (long long)len,
           (long long)max);
}

/* Waits until the device has a frame; 0 when it does. */
static int wait_frame(void)
{
    solo5_time_t deadline = solo5_clock_monotonic() + NETPROBE_WAIT_NS;
    solo5_handle_set_t ready = 0;

    while (!(ready & (1ULL << handle))) {
        if (solo5_clock_monotonic() >= deadline)
            return -1;
        solo5_yield(deadline, &ready);
    }
    return 0;
}

static void small_checks(void)
{
    size_t len = 0;

    printf("netprobe: waiting for frames\n");
    expect("a frame arrives", wait_frame(), 0);
    expect("read into a 20-byte buffer is EINVAL",
           net_read(handle, NETPROBE_SMALL, &len), HVT_EINVAL);
    expect("EINVAL leaves len alone", (long long)len, NETPROBE_SMALL);
    expect("another frame arrives", wait_frame(), 0);
    expect("read into a full buffer is OK",
           net_read(handle, info.mtu + SOLO5_NET_HLEN, &len), HVT_OK);
    printf("netprobe: read a %zu-byte frame\n", len);
}

/* Reads and discards whatever is queued, so that POLL waits again. */
static void drain(void)
{
    size_t len;

    while (net_read(handle, info.mtu + SOLO5_NET_HLEN, &len) == HVT_OK)
        ;
}

/* Writes every 50 ms until the results went OK, EUNSPEC, OK (or 20 s
 * passed); prints each change. */
static void down_checks(void)
{
    static const int want[] = {HVT_OK, HVT_EUNSPEC, HVT_OK};
    solo5_time_t end = solo5_clock_monotonic() + 2 * NETPROBE_WAIT_NS;
    unsigned seen = 0;
    int last = -1;

    printf("netprobe: writing\n");
    while (seen < 3 && solo5_clock_monotonic() < end) {
        make_frame(64);
        int ret = net_write(handle, 64);
        if (ret != last) {
            printf("netprobe: write returns %d\n", ret);
            expect("write result", ret, want[seen]);
            seen++;
            last = ret;
        }
        drain();
        solo5_yield(solo5_clock_monotonic() + 50000000ULL, NULL);
    }
    expect("saw OK, EUNSPEC, OK", seen, 3);
}

int solo5_app_main(const struct solo5_start_info *si)
{
    const uint8_t *a = info.mac_address;

    if (solo5_net_acquire("service", &handle, &info) != SOLO5_R_OK) {
        printf("netprobe: FAILED: acquire service\n");
        return SOLO5_EXIT_FAILURE;
    }
    printf("netprobe: handle %u, mtu %zu, mac %02x:%02x:%02x:%02x:%02x:%02x\n",
           (unsigned)handle, info.mtu, a[0], a[1], a[2], a[3], a[4], a[5]);
    idle_checks();
    api_checks();
    if (has_word(si->cmdline, "small"))
        small_checks();
    if (has_word(si->cmdline, "down"))
        down_checks();
    if (failures)
        return SOLO5_EXIT_FAILURE;
    printf("netprobe: SUCCESS\n");
    return SOLO5_EXIT_SUCCESS;
}
