/* blkguest.c: the block test guest. The first word of its command line
 * picks what it does (block.sh drives each one and checks the image file
 * from the host):
 *
 *   rw STRIDE SEED     for every block device it has (storage, then backup
 *                      if declared): writes blocks 0, STRIDE, 2*STRIDE, ...
 *                      and the last with the SEED pattern (backup: SEED+1),
 *                      reads them all back and verifies them; then checks
 *                      that bad requests, through solo5.h and (on hvt) as
 *                      raw hypercalls past the kernel's own checks, get
 *                      EINVAL
 *   verify STRIDE SEED only reads and verifies what rw wrote (a later boot)
 *   badbuf WHAT        a raw request the monitor must stop the guest for
 *                      (hvt's hypercalls: on spt an out instruction faults):
 *                      WHAT is write, read (a buffer beyond guest memory),
 *                      wrap (a buffer whose end wraps around) or struct (the
 *                      argument struct itself outside guest memory)
 *   hold SEED          writes block 0, prints "holding", waits until the host
 *                      puts "GO" at the start of block 1, verifies block 0
 *   shrink             reads the last block until a read fails (the host
 *                      truncates the file meanwhile); prints the result
 *   fill               writes blocks from 0 up until a write fails
 *
 * Exit status 0 when everything it checked held, 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvt_abi.h"
#include "pattern.h"
#include "solo5.h"

/* The spt build (BLKGUEST_SPT) makes no raw hvt hypercalls: there the guest
 * is a process whose block calls are its own system calls, which the
 * monitor's filter checks (tests/spt/block.sh). */
#ifdef BLKGUEST_SPT
enum { raw_hypercalls = 0 };
#else
enum { raw_hypercalls = 1 };
#endif

#define MAX_BLOCK 32768
#define NO_SUCH_HANDLE 63 /* no manifest here has 63 devices */

static uint8_t wbuf[MAX_BLOCK], rbuf[MAX_BLOCK];
static unsigned failures;

static void expect(const char *what, long long got, long long want)
{
    if (got == want)
        return;
    printf("blkguest: FAIL: %s: result %lld, want %lld\n", what, got, want);
    failures++;
}

/* A block hypercall issued directly, so that the monitor's own checks are
 * tested and not the kernel's. BLOCK_READ's struct has the same layout. */
static int raw(enum hvt_hypercall nr, uint64_t handle, uint64_t offset,
               hvt_gpa_t data, uint64_t len)
{
    volatile struct hvt_hc_block_write hc = {
        .handle = handle, .offset = offset, .data = data, .len = len};

    hc.ret = -1;
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"((uint32_t)(uintptr_t)&hc),
                           "d"((uint16_t)(HVT_HYPERCALL_PIO_BASE + nr))
                         : "memory");
    return hc.ret;
}

static void fill(uint8_t *buf, uint64_t block, size_t bs, uint32_t seed)
{
    for (size_t i = 0; i < bs; i++)
        buf[i] = blk_guest_byte(block, i, seed);
}

static int acquire(const char *name, solo5_handle_t *h,
                   struct solo5_block_info *bi)
{
    if (solo5_block_acquire(name, h, bi) != SOLO5_R_OK) {
        printf("blkguest: cannot acquire '%s'\n", name);
        return -1;
    }
    printf("blkguest: %s: handle %llu, capacity %llu, block size %llu\n", name,
           (unsigned long long)*h, (unsigned long long)bi->capacity,
           (unsigned long long)bi->block_size);
    if (bi->block_size > MAX_BLOCK || bi->capacity % bi->block_size != 0) {
        printf("blkguest: FAIL: unexpected geometry\n");
        return -1;
    }
    return 0;
}

static int chosen(uint64_t block, uint64_t nblocks, uint64_t stride)
{
    return block % stride == 0 || block == nblocks - 1;
}

/* Writes the chosen blocks unless (verify_only), then reads every one back
 * and compares. */
static void write_and_verify(solo5_handle_t h,
                             const struct solo5_block_info *bi, uint64_t stride,
                             uint32_t seed, int verify_only)
{
    uint64_t bs = bi->block_size, n = bi->capacity / bs, count = 0;

    for (uint64_t b = 0; b < n && !verify_only; b++)
        if (chosen(b, n, stride)) {
            fill(wbuf, b, bs, seed);
            expect("write", solo5_block_write(h, b * bs, wbuf, bs), SOLO5_R_OK);
            count++;
        }
    for (uint64_t b = 0; b < n; b++)
        if (chosen(b, n, stride)) {
            memset(rbuf, 0, bs);
            expect("read", solo5_block_read(h, b * bs, rbuf, bs), SOLO5_R_OK);
            count += verify_only ? 1 : 0;
            fill(wbuf, b, bs, seed);
            if (memcmp(rbuf, wbuf, bs) != 0) {
                printf("blkguest: FAIL: block %llu reads back wrong\n",
                       (unsigned long long)b);
                failures++;
            }
        }
    printf("blkguest: %s %llu blocks\n",
           verify_only ? "verified" : "wrote and verified",
           (unsigned long long)count);
}

/* Requests the kernel library refuses itself (as Solo5's test_blk). */
static void api_checks(solo5_handle_t h, const struct solo5_block_info *bi)
{
    uint64_t bs = bi->block_size, cap = bi->capacity;
    const int E = SOLO5_R_EINVAL;

    expect("api write at capacity", solo5_block_write(h, cap, wbuf, bs), E);
    expect("api read at capacity", solo5_block_read(h, cap, rbuf, bs), E);
    expect("api write past capacity", solo5_block_write(h, cap + bs, wbuf, bs),
           E);
    expect("api write short", solo5_block_write(h, 0, wbuf, bs - 1), E);
    expect("api read short", solo5_block_read(h, 0, rbuf, bs - 1), E);
    expect("api write long", solo5_block_write(h, 0, wbuf, bs + 1), E);
    expect("api read long", solo5_block_read(h, 0, rbuf, bs + 1), E);
    expect("api write misaligned", solo5_block_write(h, bs - 1, wbuf, bs), E);
    expect("api read misaligned", solo5_block_read(h, bs - 1, rbuf, bs), E);
    expect("api bad handle", solo5_block_read(NO_SUCH_HANDLE, 0, rbuf, bs), E);
}

/* The same kinds of bad requests straight to the monitor. None may reach
 * the file: wbuf holds 0xee bytes, which block.sh would find. */
static void raw_checks_one(enum hvt_hypercall nr, solo5_handle_t h,
                           const struct solo5_block_info *bi)
{
    uint64_t bs = bi->block_size, cap = bi->capacity;
    hvt_gpa_t buf =
        nr == HVT_HYPERCALL_BLOCK_WRITE ? (uintptr_t)wbuf : (uintptr_t)rbuf;
    const int E = HVT_EINVAL;

    expect("raw handle 0", raw(nr, 0, 0, buf, bs), E);
    expect("raw no such handle", raw(nr, NO_SUCH_HANDLE, 0, buf, bs), E);
    expect("raw handle + 2^32", raw(nr, h + (1ULL << 32), 0, buf, bs), E);
    expect("raw handle ~0", raw(nr, ~0ULL, 0, buf, bs), E);
    expect("raw offset 1", raw(nr, h, 1, buf, bs), E);
    expect("raw offset bs/2", raw(nr, h, bs / 2, buf, bs), E);
    expect("raw len bs-1", raw(nr, h, 0, buf, bs - 1), E);
    expect("raw len bs+1", raw(nr, h, 0, buf, bs + 1), E);
    expect("raw len 0", raw(nr, h, 0, buf, 0), E);
    expect("raw len 2 blocks", raw(nr, h, 0, buf, 2 * bs), E);
    expect("raw offset capacity", raw(nr, h, cap, buf, bs), E);
    expect("raw offset past capacity", raw(nr, h, cap + bs, buf, bs), E);
    /* 2^64 - bs is block-aligned; offset + len wraps to 0. */
    expect("raw offset+len overflows", raw(nr, h, 0 - bs, buf, bs), E);
    /* A huge length is refused before its buffer is looked at. */
    expect("raw len 2^63", raw(nr, h, 0, buf, 1ULL << 63), E);
}

static void raw_checks(solo5_handle_t h, const struct solo5_block_info *bi,
                       uint32_t seed)
{
    uint64_t bs = bi->block_size, last = bi->capacity / bs - 1;

    memset(wbuf, 0xee, bs);
    raw_checks_one(HVT_HYPERCALL_BLOCK_WRITE, h, bi);
    raw_checks_one(HVT_HYPERCALL_BLOCK_READ, h, bi);
    /* A good raw request works: rewrite the last block as it was. */
    fill(wbuf, last, bs, seed);
    expect("raw write last block",
           raw(HVT_HYPERCALL_BLOCK_WRITE, h, last * bs, (uintptr_t)wbuf, bs),
           HVT_OK);
    memset(rbuf, 0, bs);
    expect("raw read last block",
           raw(HVT_HYPERCALL_BLOCK_READ, h, last * bs, (uintptr_t)rbuf, bs),
           HVT_OK);
    expect("raw read matches", memcmp(rbuf, wbuf, bs) == 0, 1);
}

static int do_rw(const char *args, int verify_only)
{
    char *end;
    uint64_t stride = strtoull(args, &end, 10);
    uint32_t seed = (uint32_t)strtoul(end, &end, 10);
    const char *names[] = {"storage", "backup"};
    solo5_handle_t h;
    struct solo5_block_info bi;

    if (stride == 0)
        stride = 1;
    for (unsigned i = 0; i < 2; i++) {
        /* backup exists only in the two-device manifest. */
        if (i == 1 && solo5_block_acquire("backup", &h, &bi) != SOLO5_R_OK)
            break;
        if (acquire(names[i], &h, &bi) < 0)
            return 1;
        write_and_verify(h, &bi, stride, seed + i, verify_only);
        if (verify_only)
            continue;
        api_checks(h, &bi);
        if (raw_hypercalls)
            raw_checks(h, &bi, seed + i);
    }
    if (failures)
        return 1;
    printf("blkguest: SUCCESS\n");
    return 0;
}

static int do_badbuf(const char *what)
{
    solo5_handle_t h;
    struct solo5_block_info bi;
    int r = -1;

    if (acquire("storage", &h, &bi) < 0)
        return 1;
    memset(wbuf, 0xee, bi.block_size);
    printf("blkguest: bad %s request\n", what);
    if (strcmp(what, "write") == 0)
        r = raw(HVT_HYPERCALL_BLOCK_WRITE, h, 0, 1ULL << 40, bi.block_size);
    else if (strcmp(what, "read") == 0)
        r = raw(HVT_HYPERCALL_BLOCK_READ, h, 0, 1ULL << 40, bi.block_size);
    else if (strcmp(what, "wrap") == 0)
        r = raw(HVT_HYPERCALL_BLOCK_WRITE, h, 0, 0 - (hvt_gpa_t)16,
                bi.block_size);
    else if (strcmp(what, "struct") == 0)
        __asm__ __volatile__("outl %0, %1"
                             :
                             : "a"(0xfffff000U),
                               "d"((uint16_t)(HVT_HYPERCALL_PIO_BASE +
                                              HVT_HYPERCALL_BLOCK_WRITE))
                             : "memory");
    printf("blkguest: FAIL: the guest still runs (result %d)\n", r);
    return 1;
}

static int do_hold(const char *args)
{
    uint32_t seed = (uint32_t)strtoul(args, NULL, 10);
    solo5_handle_t h;
    struct solo5_block_info bi;

    if (acquire("storage", &h, &bi) < 0)
        return 1;
    fill(wbuf, 0, bi.block_size, seed);
    expect("hold: write", solo5_block_write(h, 0, wbuf, bi.block_size),
           SOLO5_R_OK);
    printf("blkguest: holding\n");
    for (int i = 0; i < 600; i++) { /* 30 s at most */
        expect("hold: poll",
               solo5_block_read(h, bi.block_size, rbuf, bi.block_size),
               SOLO5_R_OK);
        if (rbuf[0] == 'G' && rbuf[1] == 'O')
            break;
        solo5_yield(solo5_clock_monotonic() + 50000000ULL, NULL);
    }
    expect("hold: read", solo5_block_read(h, 0, rbuf, bi.block_size),
           SOLO5_R_OK);
    expect("hold: block 0 intact", memcmp(rbuf, wbuf, bi.block_size) == 0, 1);
    if (failures)
        return 1;
    printf("blkguest: released, block 0 intact\n");
    return 0;
}

static int do_shrink(void)
{
    solo5_handle_t h;
    struct solo5_block_info bi;
    solo5_result_t r = SOLO5_R_OK;

    if (acquire("storage", &h, &bi) < 0)
        return 1;
    printf("blkguest: waiting for the file to shrink\n");
    for (int i = 0; i < 600 && r == SOLO5_R_OK; i++) {
        r = solo5_block_read(h, bi.capacity - bi.block_size, rbuf,
                             bi.block_size);
        if (r == SOLO5_R_OK)
            solo5_yield(solo5_clock_monotonic() + 50000000ULL, NULL);
    }
    printf("blkguest: read of the last block: result %d\n", (int)r);
    return r == SOLO5_R_EUNSPEC ? 0 : 1;
}

static int do_fill(void)
{
    solo5_handle_t h;
    struct solo5_block_info bi;
    solo5_result_t r = SOLO5_R_OK;
    uint64_t b = 0;

    if (acquire("storage", &h, &bi) < 0)
        return 1;
    memset(wbuf, 0xa5, bi.block_size);
    for (; b * bi.block_size < bi.capacity && r == SOLO5_R_OK; b++)
        r = solo5_block_write(h, b * bi.block_size, wbuf, bi.block_size);
    printf("blkguest: %llu writes, last result %d\n", (unsigned long long)b,
           (int)r);
    return r == SOLO5_R_EUNSPEC ? 0 : 1;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    const char *cmd = si->cmdline;
    const char *args = strchr(cmd, ' ') ? strchr(cmd, ' ') + 1 : "";
    size_t len =
        (size_t)(strchr(cmd, ' ') ? strchr(cmd, ' ') - cmd : (long)strlen(cmd));

    if (len == 2 && strncmp(cmd, "rw", 2) == 0)
        return do_rw(args, 0);
    if (len == 6 && strncmp(cmd, "verify", 6) == 0)
        return do_rw(args, 1);
    if (len == 6 && strncmp(cmd, "badbuf", 6) == 0)
        return do_badbuf(args);
    if (len == 4 && strncmp(cmd, "hold", 4) == 0)
        return do_hold(args);
    if (len == 6 && strncmp(cmd, "shrink", 6) == 0)
        return do_shrink();
    if (len == 4 && strncmp(cmd, "fill", 4) == 0)
        return do_fill();
    printf("blkguest: unknown command line '%s'\n", cmd);
    return 1;
}
