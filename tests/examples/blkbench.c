/* blkbench.c: block I/O over the device "storage", for bench/block. Words
 * on the command line run in order:
 *   write         writes every block, first to last
 *   read          reads every block, first to last, and checks each stamp
 *   seqwrite:SECS writes blocks first to last, wrapping around the device,
 *                 for SECS seconds
 *   seqread:SECS  the same, reading and checking
 *   randwrite:SECS writes blocks in xorshift64 order for SECS s
 *   randread:SECS the same, reading and checking
 * Block i holds i (64-bit little-endian) in its first 8 bytes and the byte
 * 0x5a everywhere else, so a block read from the wrong place shows, and the
 * host can check the image (tests/examples/blkbench.sh). Every read checks
 * the stamp, so a block never written fails a read: bench/block fills the
 * image (bench/tools/hostio IMAGE BS write) before any read.
 *
 * The passes, the random order and the batching are blkpattern.h's,
 * shared with bench/tools/hostio; blkbench.sh computes the same sequence.
 *
 * Per pass it prints
 *   blkbench: MODE: N blocks of B bytes in T ns
 * and nothing per block: on a host that emulates every guest instruction,
 * the loop is kept to the few instructions a request needs. Integer only.
 * Exit status 0, or 1 on a failed request, a wrong stamp or bad usage. */
#include <stdio.h>
#include <string.h>

#include "blkpattern.h"
#include "solo5.h"

static uint8_t buf[BLK_MAX_BLOCK];
static solo5_handle_t handle;
static struct solo5_block_info info;

static void report(const char *what, uint64_t n, uint64_t ns)
{
    printf("blkbench: %s: %llu blocks of %llu bytes in %llu ns\n", what,
           (unsigned long long)n, (unsigned long long)info.block_size,
           (unsigned long long)ns);
}

/* Writes block i, stamped; buf already holds BLK_FILL past the stamp. */
static int write_block(uint64_t i)
{
    __builtin_memcpy(buf, &i, sizeof(i)); /* one store, not a call */
    if (solo5_block_write(handle, i * info.block_size, buf, info.block_size) ==
        SOLO5_R_OK)
        return 0;
    printf("blkbench: write of block %llu failed\n", (unsigned long long)i);
    return -1;
}

/* Reads block i and checks its stamp. */
static int read_block(uint64_t i)
{
    uint64_t stamp;

    if (solo5_block_read(handle, i * info.block_size, buf, info.block_size) !=
        SOLO5_R_OK) {
        printf("blkbench: read of block %llu failed\n", (unsigned long long)i);
        return -1;
    }
    __builtin_memcpy(&stamp, buf, sizeof(stamp));
    if (stamp == i)
        return 0;
    printf("blkbench: block %llu holds the stamp %llu\n", (unsigned long long)i,
           (unsigned long long)stamp);
    return -1;
}

static int request(int write, uint64_t i)
{
    return write ? write_block(i) : read_block(i);
}

static uint64_t now(void)
{
    return solo5_clock_monotonic();
}

static const struct blk_io io = {
    .request = request, .now = now, .report = report};
static uint64_t blocks; /* capacity / block_size */

static int usage(const char *w, size_t n)
{
    printf("blkbench: bad word '%.*s'\nusage: blkbench [write|read|"
           "seqwrite:SECS|seqread:SECS|randwrite:SECS|randread:SECS]...\n",
           (int)n, w);
    return -1;
}

/* Runs the word at (w) of length (n). */
static int run_word(const char *w, size_t n)
{
    const struct blk_pass *p;
    uint64_t secs;

    memset(buf, BLK_FILL, info.block_size);
    if (n == 5 && strncmp(w, "write", 5) == 0)
        return blk_pass_whole(&io, blocks, "write", 1);
    if (n == 4 && strncmp(w, "read", 4) == 0)
        return blk_pass_whole(&io, blocks, "read", 0);
    p = blk_parse_timed(w, n, &secs);
    return p ? blk_pass_timed(&io, blocks, p, secs) : usage(w, n);
}

int solo5_app_main(const struct solo5_start_info *si)
{
    const char *p = si->cmdline;

    if (solo5_block_acquire("storage", &handle, &info) != SOLO5_R_OK ||
        info.block_size > BLK_MAX_BLOCK || info.block_size < sizeof(uint64_t)) {
        printf("blkbench: no usable block device 'storage'\n");
        return SOLO5_EXIT_FAILURE;
    }
    blocks = info.capacity / info.block_size;
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != ' ')
            n++;
        if (n && run_word(p, n) < 0)
            return SOLO5_EXIT_FAILURE;
        p += n;
        p += *p == ' ';
    }
    printf("blkbench: SUCCESS\n");
    return SOLO5_EXIT_SUCCESS;
}
