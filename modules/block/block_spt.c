/* block_spt.c: the block module of a process monitor. The guest reads and
 * writes its block files itself, with pread64/pwrite64 on the descriptor
 * its manifest entry names; the filter allows exactly one block at a time
 * and no offset past the last block, values it learns from this module
 * once the files are attached (spt_block_size, spt_block_last). The monitor
 * checks, opens and locks the files as the hvt block module does.
 * Options: --block:NAME=PATH and --block-sector-size:NAME=N. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/spt_services.h"

#define SPT_BLOCK_DEFAULT_SIZE 512U
#define SPT_BLOCK_MAX_SIZE 32768U /* block_size is 16 bits in the manifest */

struct spt_block_dev {
    const char *path; /* NULL while unbound */
    const char *arg;
    unsigned block_size; /* 0: the default */
    dev_t st_dev;
    ino_t st_ino;
    uint64_t capacity;
};

static struct spt_block_dev spt_block_devs[MFT_MAX_ENTRIES];
/* By rank among the block devices (the nth, from 1), for the filter. */
static struct spt_block_dev *spt_block_nth[MFT_MAX_ENTRIES];

static int spt_block_bind(struct spt *s, unsigned h, const char *arg,
                          const char *path)
{
    if (spt_block_devs[h].path) {
        mon_warn("%s: device '%s' is already bound by %s", arg,
                 s->mft->e[h].name, spt_block_devs[h].arg);
        return -1;
    }
    spt_block_devs[h].path = path;
    spt_block_devs[h].arg = arg;
    return 1;
}

/* A power of two from 512 to 32768, in decimal digits only; 0 if not. */
static unsigned spt_block_parse_size(const char *s)
{
    unsigned long v = 0;

    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > SPT_BLOCK_MAX_SIZE)
            return 0;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v < SPT_BLOCK_DEFAULT_SIZE || v > SPT_BLOCK_MAX_SIZE ||
        (v & (v - 1)) != 0)
        return 0;
    return (unsigned)v;
}

static int spt_block_option(struct spt *s, const char *arg)
{
    unsigned h, size;
    const char *value;
    int rc =
        spt_device_option(s, arg, "--block", MFT_DEV_BLOCK_BASIC, &h, &value);

    if (rc != 0)
        return rc < 0 ? -1 : spt_block_bind(s, h, arg, value);
    rc = spt_device_option(s, arg, "--block-sector-size", MFT_DEV_BLOCK_BASIC,
                           &h, &value);
    if (rc <= 0)
        return rc;
    size = spt_block_parse_size(value);
    /* The first sentence is Solo5's, which its tests match. */
    if (size == 0) {
        mon_warn("%s: Block size must be a multiple of 2 greater than or "
                 "equal 512 (a power of two from 512 to %u)",
                 arg, SPT_BLOCK_MAX_SIZE);
        return -1;
    }
    if (spt_block_devs[h].block_size) {
        mon_warn("%s: the sector size of device '%s' is already set", arg,
                 s->mft->e[h].name);
        return -1;
    }
    spt_block_devs[h].block_size = size;
    return 1;
}

/* Opens the file for reading and writing, refusing what is not a
 * writable regular file or block device; the kind is checked on an O_PATH
 * descriptor first, so that a FIFO or a device node is never opened. */
static int spt_block_open(struct spt_block_dev *d, struct stat *st)
{
    char proc[32];
    struct stat fst;
    int pfd = open(d->path, O_PATH), fd = -1;

    if (pfd < 0 || fstat(pfd, st) < 0) {
        mon_warn("%s: cannot open %s: %s", d->arg, d->path, strerror(errno));
        if (pfd >= 0)
            close(pfd);
        return -1;
    }
    if (!S_ISREG(st->st_mode) && !S_ISBLK(st->st_mode))
        mon_warn("%s: %s is not a regular file or a block device", d->arg,
                 d->path);
    else if (S_ISREG(st->st_mode) && (st->st_mode & 0222) == 0)
        mon_warn("%s: %s is read-only (mode %03o); a block device must be "
                 "writable",
                 d->arg, d->path, (unsigned)(st->st_mode & 0777));
    else {
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
        fd = open(proc, O_RDWR | O_NOCTTY);
        if (fd < 0)
            mon_warn("%s: cannot open %s for reading and writing: %s", d->arg,
                     d->path, strerror(errno));
    }
    close(pfd);
    if (fd >= 0 && (fstat(fd, &fst) < 0 || fst.st_dev != st->st_dev ||
                    fst.st_ino != st->st_ino)) {
        mon_warn("%s: %s changed while it was being opened", d->arg, d->path);
        close(fd);
        fd = -1;
    }
    return fd;
}

static int spt_block_check(struct spt *s, unsigned h, int fd,
                           const struct stat *st, unsigned size)
{
    struct spt_block_dev *d = &spt_block_devs[h];

    for (unsigned i = 1; i < h; i++)
        if (spt_block_devs[i].path && spt_block_devs[i].st_dev == st->st_dev &&
            spt_block_devs[i].st_ino == st->st_ino) {
            mon_warn("%s: %s is the same file as %s (device '%s'); one file "
                     "cannot back two devices",
                     d->arg, d->path, spt_block_devs[i].arg, s->mft->e[i].name);
            return -1;
        }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        mon_warn("%s: %s is in use (locked by another process)", d->arg,
                 d->path);
        return -1;
    }
    d->capacity = (uint64_t)st->st_size;
    int ro = 0;
    if (S_ISBLK(st->st_mode) && ioctl(fd, BLKROGET, &ro) == 0 && ro) {
        mon_warn("%s: %s is a read-only block device", d->arg, d->path);
        return -1;
    }
    if (S_ISBLK(st->st_mode) && ioctl(fd, BLKGETSIZE64, &d->capacity) < 0) {
        mon_warn("%s: cannot read the size of %s: %s", d->arg, d->path,
                 strerror(errno));
        return -1;
    }
    /* Solo5's sentences, which its tests match. */
    if (d->capacity == 0) {
        mon_warn("%s: %s is empty: Backing storage must be at least 1 block "
                 "(%u bytes) in size",
                 d->arg, d->path, size);
        return -1;
    }
    if (d->capacity % size != 0) {
        mon_warn("%s: Backing storage size must be block aligned (%s is "
                 "%llu bytes, not a multiple of the block size %u)",
                 d->arg, d->path, (unsigned long long)d->capacity, size);
        return -1;
    }
    return 0;
}

static int spt_block_attach_one(struct spt *s, unsigned h, unsigned nth)
{
    struct spt_block_dev *d = &spt_block_devs[h];
    struct mft_entry *e = &s->mft->e[h];
    unsigned size = d->block_size ? d->block_size : SPT_BLOCK_DEFAULT_SIZE;
    struct stat st;
    int fd = spt_block_open(d, &st);

    if (fd < 0)
        return -1;
    d->st_dev = st.st_dev;
    d->st_ino = st.st_ino;
    if (spt_block_check(s, h, fd, &st, size) < 0)
        return -1;
    d->block_size = size;
    spt_block_nth[nth] = d;
    e->u.block_basic.capacity = d->capacity;
    e->u.block_basic.block_size = (uint16_t)size;
    e->b.hostfd = spt_fd_pin(fd, spt_fd_device(s, h));
    e->attached = 1;
    return 0;
}

static int spt_block_attach(struct spt *s)
{
    unsigned nth = 0;

    for (unsigned h = 1; h < s->mft->entries; h++) {
        if (s->mft->e[h].type != MFT_DEV_BLOCK_BASIC)
            continue;
        nth++;
        if (spt_block_devs[h].path && spt_block_attach_one(s, h, nth) < 0)
            return -1;
    }
    return 0;
}

/* The filter's values for the nth block device: the one size a transfer
 * may have, and the highest offset it may start at. An unattached device
 * (which the core refuses before the filter) would allow nothing useful:
 * size 0, offset 0. */
static uint64_t spt_block_size(unsigned nth)
{
    return spt_block_nth[nth] ? spt_block_nth[nth]->block_size : 0;
}

static uint64_t spt_block_last(unsigned nth)
{
    const struct spt_block_dev *d = spt_block_nth[nth];
    return d ? d->capacity - d->block_size : 0;
}

static const struct spt_module spt_block = {
    .name = "block",
    .option = spt_block_option,
    .attach = spt_block_attach,
};
