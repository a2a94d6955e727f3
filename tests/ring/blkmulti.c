/* blkmulti.c: multi-block requests (solo5_ext.h, HVT_FEATURE_TG_BLOCK_MULTI)
 * on the block device "storage". The first word of the command line picks
 * what it does:
 *   fill    write the whole device in one request, block i all bytes
 *           (i * 7 + 1) & 0xff, read it back in one request and compare;
 *           then the capacity edge and every malformed request (through
 *           the API, and as raw hypercalls, which the API would refuse)
 *   api     the same through the API only (it also works, one block per
 *           request, on a monitor without multi-block requests)
 *   badbuf  a raw multi-block read into memory the guest does not have
 *   bench N time N passes over the device: one block per request, then
 *           64 KiB per request; prints MB/s for each
 * Prints "blkmulti: ok: ..." or "blkmulti: FAILED: ..." per check, then
 * "blkmulti: SUCCESS" when all passed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvt_abi.h"
#include "solo5.h"
#include "solo5_ext.h"

#define BM_MAX (1024 * 1024) /* largest device this guest handles whole */
#define BM_CHUNK (64 * 1024)

static const struct hvt_boot_info *const bi =
    (const struct hvt_boot_info *)HVT_BOOT_INFO_BASE;
static uint8_t wbuf[BM_MAX], rbuf[BM_MAX];
static solo5_handle_t h;
static struct solo5_block_info info;
static int failures;

static void expect(const char *what, long long got, long long want)
{
    if (got == want) {
        printf("blkmulti: ok: %s\n", what);
        return;
    }
    printf("blkmulti: FAILED: %s: got %lld, want %lld\n", what, got, want);
    failures++;
}

/* A raw multi-block hypercall, as a guest that skips the API's checks. */
static int raw(enum hvt_hypercall nr, uint64_t handle, uint64_t off,
               uint64_t data, uint64_t len)
{
    volatile struct hvt_hc_block_write rq = {
        .handle = handle, .offset = off, .data = data, .len = len, .ret = -1};

    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"((uint32_t)(uintptr_t)&rq),
                           "d"((uint16_t)(HVT_HYPERCALL_PIO_BASE + nr))
                         : "memory");
    return rq.ret;
}

static void fill_checks(void)
{
    size_t cap = info.capacity, bs = info.block_size;

    for (size_t i = 0; i < cap; i++)
        wbuf[i] = (uint8_t)((i / bs) * 7 + 1);
    expect("the whole device in one write",
           solo5_ext_block_write(h, 0, wbuf, cap), SOLO5_R_OK);
    expect("the whole device in one read",
           solo5_ext_block_read(h, 0, rbuf, cap), SOLO5_R_OK);
    expect("read back what was written", memcmp(wbuf, rbuf, cap), 0);
    expect("the last block alone", solo5_ext_block_read(h, cap - bs, rbuf, bs),
           SOLO5_R_OK);
    expect("the last two blocks",
           solo5_ext_block_read(h, cap - 2 * bs, rbuf, 2 * bs), SOLO5_R_OK);
    expect("two blocks from the last one: EINVAL",
           solo5_ext_block_read(h, cap - bs, rbuf, 2 * bs), SOLO5_R_EINVAL);
    expect("at the capacity: EINVAL", solo5_ext_block_write(h, cap, wbuf, bs),
           SOLO5_R_EINVAL);
    expect("half a block more: EINVAL (API)",
           solo5_ext_block_read(h, 0, rbuf, bs + bs / 2), SOLO5_R_EINVAL);
    expect("misaligned offset: EINVAL (API)",
           solo5_ext_block_read(h, 1, rbuf, bs), SOLO5_R_EINVAL);
    expect("0 bytes: EINVAL (API)", solo5_ext_block_read(h, 0, rbuf, 0),
           SOLO5_R_EINVAL);
}

/* The same through raw hypercalls, which the API would refuse itself
 * (only on a monitor that offers them). */
static void raw_checks(void)
{
    size_t cap = info.capacity, bs = info.block_size;
    const uint64_t R = HVT_HYPERCALL_TG_BLOCK_READ;

    expect("0 bytes: EINVAL (raw)", raw(R, h, 0, (uintptr_t)rbuf, 0),
           HVT_EINVAL);
    expect("half a block more: EINVAL (raw)",
           raw(R, h, 0, (uintptr_t)rbuf, bs + bs / 2), HVT_EINVAL);
    expect("misaligned offset: EINVAL (raw)",
           raw(R, h, bs / 2, (uintptr_t)rbuf, bs), HVT_EINVAL);
    expect("offset + length wrapping: EINVAL (raw)",
           raw(R, h, UINT64_MAX - bs + 1, (uintptr_t)rbuf, 2 * bs), HVT_EINVAL);
    expect("handle 0: EINVAL (raw)", raw(R, 0, 0, (uintptr_t)rbuf, bs),
           HVT_EINVAL);
    expect("handle 2^32 + h: EINVAL (raw)",
           raw(R, (1ULL << 32) + h, 0, (uintptr_t)rbuf, bs), HVT_EINVAL);
    expect("the device is unchanged",
           solo5_ext_block_read(h, 0, rbuf, cap) == SOLO5_R_OK &&
               memcmp(wbuf, rbuf, cap) == 0,
           1);
}

static uint64_t mbps(uint64_t bytes, uint64_t ns)
{
    return ns ? bytes * 1000 / ns : 0; /* bytes/ns * 1000 = MB/s */
}

/* (passes) passes over the device, reading then writing, (step) bytes per
 * request; returns MB/s. Integer only (no floating point in guests). */
static uint64_t pass(unsigned passes, size_t step, int multi)
{
    size_t cap = info.capacity - info.capacity % step;
    solo5_time_t t0 = solo5_clock_monotonic();

    for (unsigned p = 0; p < passes; p++)
        for (size_t off = 0; off < cap; off += step) {
            solo5_result_t r = multi ? solo5_ext_block_read(h, off, rbuf, step)
                                     : solo5_block_read(h, off, rbuf, step);
            if (r == SOLO5_R_OK)
                r = multi ? solo5_ext_block_write(h, off, rbuf, step)
                          : solo5_block_write(h, off, rbuf, step);
            if (r != SOLO5_R_OK) {
                printf("blkmulti: FAILED: I/O at %zu\n", off);
                failures++;
                return 0;
            }
        }
    return mbps(2ULL * passes * cap, solo5_clock_monotonic() - t0);
}

int solo5_app_main(const struct solo5_start_info *si)
{
    if (solo5_block_acquire("storage", &h, &info) != SOLO5_R_OK ||
        info.capacity > BM_MAX) {
        printf("blkmulti: FAILED: acquire storage (at most %d bytes)\n",
               BM_MAX);
        return SOLO5_EXIT_FAILURE;
    }
    printf("blkmulti: capacity %llu, block size %llu, multi-block %s\n",
           (unsigned long long)info.capacity,
           (unsigned long long)info.block_size,
           solo5_ext_features() & SOLO5_EXT_BLOCK_MULTI ? "offered"
                                                        : "not "
                                                          "offered");
    if (strncmp(si->cmdline, "fill", 4) == 0) {
        fill_checks();
        raw_checks();
    } else if (strncmp(si->cmdline, "api", 3) == 0) {
        fill_checks();
    } else if (strncmp(si->cmdline, "badbuf", 6) == 0) {
        raw(HVT_HYPERCALL_TG_BLOCK_READ, h, 0, bi->mem_size - info.block_size,
            2 * info.block_size);
        printf("blkmulti: FAILED: the monitor read past guest memory\n");
        return 2;
    } else if (strncmp(si->cmdline, "bench ", 6) == 0) {
        unsigned n = (unsigned)strtoul(si->cmdline + 6, NULL, 10);
        uint64_t one = pass(n, info.block_size, 0);
        uint64_t many = pass(n, BM_CHUNK, 1);
        printf("blkmulti: one block per request: %llu MB/s; %d KiB per "
               "request: %llu MB/s\n",
               (unsigned long long)one, BM_CHUNK / 1024,
               (unsigned long long)many);
    }
    if (failures)
        return SOLO5_EXIT_FAILURE;
    printf("blkmulti: SUCCESS\n");
    return SOLO5_EXIT_SUCCESS;
}
