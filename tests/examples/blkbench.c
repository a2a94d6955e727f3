/* blkbench.c: sequential block I/O over the whole device "storage", for
 * bench/block. Words on the command line run in order:
 *   write   writes every block, first to last
 *   read    reads every block, first to last, and checks each one's stamp
 * Block i holds i (64-bit little-endian) in its first 8 bytes and the byte
 * 0x5a everywhere else, so a block read from the wrong place shows, and the
 * host can check the image (tests/examples/blkbench.sh). Per pass it prints
 *   blkbench: write: N blocks of B bytes in T ns
 * and nothing per block: on a host that emulates every guest instruction,
 * the loop is kept to the few instructions a request needs. Integer only.
 * Exit status 0, or 1 on a failed request, a wrong stamp or bad usage. */
#include <stdio.h>
#include <string.h>

#include "solo5.h"

#define MAX_BLOCK 32768 /* the largest block size a monitor offers */
#define FILL 0x5a

static uint8_t buf[MAX_BLOCK];
static solo5_handle_t handle;
static struct solo5_block_info info;

static void report(const char *what, uint64_t blocks, solo5_time_t t0)
{
    solo5_time_t ns = solo5_clock_monotonic() - t0;

    printf("blkbench: %s: %llu blocks of %llu bytes in %llu ns\n", what,
           (unsigned long long)blocks, (unsigned long long)info.block_size,
           (unsigned long long)ns);
}

static int pass_write(void)
{
    uint64_t blocks = info.capacity / info.block_size;
    solo5_time_t t0 = solo5_clock_monotonic();

    memset(buf, FILL, info.block_size);
    for (uint64_t i = 0; i < blocks; i++) {
        __builtin_memcpy(buf, &i, sizeof(i)); /* one store, not a call */
        if (solo5_block_write(handle, i * info.block_size, buf,
                              info.block_size) != SOLO5_R_OK) {
            printf("blkbench: write of block %llu failed\n",
                   (unsigned long long)i);
            return -1;
        }
    }
    report("write", blocks, t0);
    return 0;
}

static int pass_read(void)
{
    uint64_t blocks = info.capacity / info.block_size, stamp;
    solo5_time_t t0 = solo5_clock_monotonic();

    for (uint64_t i = 0; i < blocks; i++) {
        if (solo5_block_read(handle, i * info.block_size, buf,
                             info.block_size) != SOLO5_R_OK) {
            printf("blkbench: read of block %llu failed\n",
                   (unsigned long long)i);
            return -1;
        }
        __builtin_memcpy(&stamp, buf, sizeof(stamp));
        if (stamp != i) {
            printf("blkbench: block %llu holds the stamp %llu\n",
                   (unsigned long long)i, (unsigned long long)stamp);
            return -1;
        }
    }
    report("read", blocks, t0);
    return 0;
}

/* Runs the word at (w) of length (n). */
static int run_word(const char *w, size_t n)
{
    if (n == 5 && strncmp(w, "write", 5) == 0)
        return pass_write();
    if (n == 4 && strncmp(w, "read", 4) == 0)
        return pass_read();
    printf("blkbench: unknown word '%.*s'\nusage: blkbench.hvt "
           "[write|read]...\n",
           (int)n, w);
    return -1;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    const char *p = si->cmdline;

    if (solo5_block_acquire("storage", &handle, &info) != SOLO5_R_OK ||
        info.block_size > MAX_BLOCK || info.block_size < sizeof(uint64_t)) {
        printf("blkbench: no usable block device 'storage'\n");
        return SOLO5_EXIT_FAILURE;
    }
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
