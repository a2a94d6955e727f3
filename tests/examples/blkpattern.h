/* blkpattern.h: the block request pattern that blkbench (the guest) and
 * bench/tools/hostio (the host's ceiling) both run, kept in one place so
 * that the ceiling is measured on exactly the guest's pattern.
 *
 * Block i holds i (64-bit little-endian) in its first 8 bytes and FILL
 * everywhere else. A timed pass issues requests in batches of BATCH and
 * reads the clock after each batch (a clock read is a hypercall in the
 * guest, and every guest instruction is emulated on some hosts); a pass of
 * 0 s is one batch. Sequential passes wrap around; random ones go in
 * xorshift64 order (shifts 13, 7, 17) from SEED, block x % blocks, and
 * every random pass starts again from SEED. Integer only. */
#ifndef BLKPATTERN_H
#define BLKPATTERN_H

#include <stdint.h>

#define BLK_MAX_BLOCK 32768 /* the largest block size a monitor offers */
#define BLK_FILL 0x5a
#define BLK_BATCH 64 /* requests between two clock reads */
#define BLK_SEED 88172645463325252ULL
#define BLK_MAX_SECS 86400 /* keeps SECS * 10^9 far from overflow */

/* A timed pass: what it is called, and how it issues requests. */
struct blk_pass {
    const char *name;
    int write;  /* else read and check */
    int random; /* xorshift64 order, else first to last */
};

static const struct blk_pass blk_passes[] = {
    {"seqwrite", 1, 0},
    {"seqread", 0, 0},
    {"randwrite", 1, 1},
    {"randread", 0, 1},
};

/* What a pass runs on: the program's own request, clock and report. A
 * program keeps its one blk_io const, so that the compiler, inlining the
 * passes, calls these directly: on a host that emulates every guest
 * instruction, an indirect call per request shows in the figures. */
struct blk_io {
    int (*request)(int write, uint64_t i); /* 0, or -1 after saying why */
    uint64_t (*now)(void);                 /* monotonic, ns */
    void (*report)(const char *what, uint64_t n, uint64_t ns);
};

static inline uint64_t blk_xorshift64(uint64_t x)
{
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

/* write or read: every block once, first to last. */
static inline int blk_pass_whole(const struct blk_io *io, uint64_t blocks,
                                 const char *name, int write)
{
    uint64_t t0 = io->now();

    for (uint64_t i = 0; i < blocks; i++)
        if (io->request(write, i) < 0)
            return -1;
    io->report(name, blocks, io->now() - t0);
    return 0;
}

/* Pass (p) for (secs) seconds. The clock read that ends the last batch
 * also ends the measured time. */
static inline int blk_pass_timed(const struct blk_io *io, uint64_t blocks,
                                 const struct blk_pass *p, uint64_t secs)
{
    uint64_t n = 0, i = 0, x = BLK_SEED, t0, now, end;

    t0 = io->now();
    end = t0 + secs * 1000000000ULL;
    do {
        for (int k = 0; k < BLK_BATCH; k++) {
            if (p->random) {
                x = blk_xorshift64(x);
                i = x % blocks;
            }
            if (io->request(p->write, i) < 0)
                return -1;
            if (!p->random && ++i == blocks)
                i = 0;
        }
        n += BLK_BATCH;
        now = io->now();
    } while (now < end);
    io->report(p->name, n, now - t0);
    return 0;
}

/* The timed pass named by the word (w), (n) bytes long, "NAME:SECS":
 * returns it and sets (*secs), or NULL when (w) is not one. */
static inline const struct blk_pass *blk_parse_timed(const char *w, uint64_t n,
                                                     uint64_t *secs)
{
    for (uint64_t k = 0; k < sizeof(blk_passes) / sizeof(blk_passes[0]); k++) {
        const char *name = blk_passes[k].name;
        uint64_t len = 0, v = 0;

        while (name[len] && len < n && w[len] == name[len])
            len++;
        if (name[len] || len + 1 >= n || w[len] != ':')
            continue;
        for (uint64_t j = len + 1; j < n; j++) {
            if (w[j] < '0' || w[j] > '9')
                return 0;
            v = v * 10 + (uint64_t)(w[j] - '0');
            if (v > BLK_MAX_SECS)
                return 0;
        }
        *secs = v;
        return &blk_passes[k];
    }
    return 0;
}

#endif /* BLKPATTERN_H */
