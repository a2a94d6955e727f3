/* hostio.c: the host's own block I/O on an image file, the ceiling that
 * bench/block sets the monitors' figures against. It does what the guest
 * tests/examples/blkbench.c does, word for word, with one pread or pwrite
 * of one block per request:
 *
 *     usage: hostio FILE BLOCK_SIZE WORD...
 *     WORD: write | read | seqwrite:SECS | seqread:SECS | randwrite:SECS
 *           | randread:SECS
 *
 * write and read cover every block once, first to last (write is how
 * bench/block fills an image before it is read); the timed words run the
 * guest's passes (tests/examples/blkpattern.h, shared with it): batches,
 * order, seed and stamps. Per pass it prints the guest's line:
 *
 *     hostio: MODE: N blocks of B bytes in T ns
 *
 * Plain pread and pwrite through the page cache, no O_DIRECT: that is what
 * both monitors do for a guest's request, so the ceiling is the same system
 * call with no guest and no VM exit around it. Exit status 0, 1 on a failed
 * request or a wrong stamp, 2 on bad usage. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blkpattern.h"

static unsigned char buf[BLK_MAX_BLOCK];
static int fd;
static uint64_t block_size, blocks;

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void report(const char *what, uint64_t n, uint64_t ns)
{
    printf("hostio: %s: %llu blocks of %llu bytes in %llu ns\n", what,
           (unsigned long long)n, (unsigned long long)block_size,
           (unsigned long long)ns);
}

/* One request on block i; a short transfer counts as a failure, as a
 * regular file gives whole blocks inside its size. */
static int request(int write, uint64_t i)
{
    off_t off = (off_t)(i * block_size);
    ssize_t n;
    uint64_t stamp;

    if (write) {
        memcpy(buf, &i, sizeof(i));
        n = pwrite(fd, buf, block_size, off);
    } else {
        n = pread(fd, buf, block_size, off);
    }
    if (n != (ssize_t)block_size) {
        fprintf(stderr, "hostio: %s of block %llu: %s\n",
                write ? "write" : "read", (unsigned long long)i,
                n < 0 ? strerror(errno) : "short transfer");
        return -1;
    }
    memcpy(&stamp, buf, sizeof(stamp));
    if (write || stamp == i)
        return 0;
    fprintf(stderr, "hostio: block %llu holds the stamp %llu\n",
            (unsigned long long)i, (unsigned long long)stamp);
    return -1;
}

static const struct blk_io io = {
    .request = request, .now = now_ns, .report = report};

/* Decimal digits only, at most (max); -1 if not. */
static long parse_num(const char *s, long max)
{
    long v = 0;

    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > max)
            return -1;
    }
    return v;
}

/* Runs one word: 0, 1 on a failed request, 2 if it is not a word. */
static int run_word(const char *w)
{
    const struct blk_pass *p;
    uint64_t secs;

    memset(buf, BLK_FILL, block_size);
    if (strcmp(w, "write") == 0 || strcmp(w, "read") == 0)
        return blk_pass_whole(&io, blocks, w, w[0] == 'w') < 0;
    p = blk_parse_timed(w, strlen(w), &secs);
    if (p)
        return blk_pass_timed(&io, blocks, p, secs) < 0;
    fprintf(stderr, "hostio: bad word '%s'\n", w);
    return 2;
}

/* Opens (path) and sizes it in blocks of (bs) bytes; 0, or an exit status. */
static int open_image(const char *path, const char *bs)
{
    long v = parse_num(bs, BLK_MAX_BLOCK);
    off_t size;

    if (v < 8 || (v & (v - 1)) != 0) {
        fprintf(stderr,
                "hostio: block size '%s' is not a power of two from "
                "8 to 32768\n",
                bs);
        return 2;
    }
    block_size = (uint64_t)v;
    fd = open(path, O_RDWR);
    if (fd < 0 || (size = lseek(fd, 0, SEEK_END)) < 0) {
        fprintf(stderr, "hostio: %s: %s\n", path, strerror(errno));
        return 1;
    }
    blocks = (uint64_t)size / block_size;
    if (blocks == 0 || (uint64_t)size % block_size != 0) {
        fprintf(stderr,
                "hostio: %s: %lld bytes is not a whole number of "
                "blocks\n",
                path, (long long)size);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int rc;

    if (argc < 4) {
        fputs("usage: hostio FILE BLOCK_SIZE WORD...\n", stderr);
        return 2;
    }
    rc = open_image(argv[1], argv[2]);
    for (int k = 3; rc == 0 && k < argc; k++) {
        rc = run_word(argv[k]);
        fflush(stdout);
    }
    return rc;
}
