/* block.c: the block module: guest block devices backed by host files or
 * block devices (--block:NAME=PATH, --block-sector-size:NAME=N), and the
 * BLOCK_WRITE and BLOCK_READ hypercalls.
 *
 * The system calls it needs once the guest runs, on the block
 * descriptors attach moves to their fixed numbers (mon_fd_device), are
 * listed with their reasons in module.yml, which the filter is made from.
 * Everything else (open with O_PATH and again through /proc/self/fd, fstat,
 * flock, ioctl BLKROGET/BLKGETSIZE64, dup2, close) happens in attach,
 * before the guest starts. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/monitor.h"
#include "block.h"

#define MOD_BLOCK_DEFAULT_SIZE 512U
/* block_size is a uint16_t in the manifest (docs/hvt-abi.md §2.2): 32 KiB is
 * the largest power of two it holds. */
#define MOD_BLOCK_MAX_SIZE 32768U

/* What the options said about one device, and what attach found. Indexed
 * by handle (the device's index in the guest's manifest). */
struct mod_block_dev {
    const char *path;    /* from --block:NAME=PATH; NULL if not bound */
    const char *arg;     /* that option, for messages */
    unsigned block_size; /* from --block-sector-size; 0 = default */
    int fd;
    dev_t st_dev; /* the host file, to refuse one file bound twice */
    ino_t st_ino;
    uint64_t capacity;
};

static struct mod_block_dev mod_block_devs[MFT_MAX_ENTRIES];

/* --block:NAME=PATH. One device bound twice is an error naming both. */
static int mod_block_bind(struct mon *m, const char *arg)
{
    unsigned h;
    const char *path;
    int rc =
        mon_device_option(m, arg, "--block", MFT_DEV_BLOCK_BASIC, &h, &path);

    if (rc <= 0)
        return rc;
    if (mod_block_devs[h].path) {
        mon_warn("%s: device '%s' is already bound by %s", arg,
                 m->mft->e[h].name, mod_block_devs[h].arg);
        return -1;
    }
    mod_block_devs[h].path = path;
    mod_block_devs[h].arg = arg;
    return 1;
}

/* A power of two from 512 to 32768, in decimal digits only; 0 if not. */
static unsigned mod_block_parse_size(const char *s)
{
    unsigned long v = 0;

    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > MOD_BLOCK_MAX_SIZE)
            return 0;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (*s == 0 || v < MOD_BLOCK_DEFAULT_SIZE || v > MOD_BLOCK_MAX_SIZE ||
        (v & (v - 1)) != 0)
        return 0;
    return (unsigned)v;
}

/* --block-sector-size:NAME=N, in any order relative to --block:NAME. */
static int mod_block_sector_size(struct mon *m, const char *arg)
{
    unsigned h;
    const char *value;
    int rc = mon_device_option(m, arg, "--block-sector-size",
                               MFT_DEV_BLOCK_BASIC, &h, &value);

    if (rc <= 0)
        return rc;
    unsigned size = mod_block_parse_size(value);
    /* The first sentence is solo5-hvt's, which Solo5's tests match. */
    if (size == 0) {
        mon_warn("%s: Block size must be a multiple of 2 greater than or "
                 "equal 512 (a power of two from 512 to %u)",
                 arg, MOD_BLOCK_MAX_SIZE);
        return -1;
    }
    if (mod_block_devs[h].block_size) {
        mon_warn("%s: the sector size of device '%s' is already set", arg,
                 m->mft->e[h].name);
        return -1;
    }
    mod_block_devs[h].block_size = size;
    return 1;
}

static int mod_block_option(struct mon *m, const char *arg)
{
    int rc = mod_block_bind(m, arg);

    return rc != 0 ? rc : mod_block_sector_size(m, arg);
}

static const char *mod_block_kind(mode_t mode)
{
    return S_ISDIR(mode)    ? "a directory"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISFIFO(mode) ? "a FIFO"
           : S_ISSOCK(mode) ? "a socket"
                            : "not a regular file";
}

/* Refuses what is not a writable regular file or block device. The check
 * is made on an O_PATH descriptor, before anything is opened for I/O, so
 * that a FIFO or a device node, which opening alone can affect, is never
 * opened. */
static int mod_block_check_kind(const struct mod_block_dev *d,
                                const struct stat *st)
{
    if (!S_ISREG(st->st_mode) && !S_ISBLK(st->st_mode)) {
        mon_warn("%s: %s is %s; a block device needs a regular file or a "
                 "block device",
                 d->arg, d->path, mod_block_kind(st->st_mode));
        return -1;
    }
    /* Root opens a mode 0444 file read-write all the same: honour the
     * owner's intent that the file is read-only rather than write to it. */
    if (S_ISREG(st->st_mode) && (st->st_mode & 0222) == 0) {
        mon_warn("%s: %s is read-only (mode %03o); a block device must be "
                 "writable",
                 d->arg, d->path, (unsigned)(st->st_mode & 0777));
        return -1;
    }
    return 0;
}

/* Opens for I/O the very file the O_PATH descriptor (pfd) names: the
 * path may have been changed since (a regular file swapped for a link to a
 * device), the descriptor cannot. */
static int mod_block_reopen(const struct mod_block_dev *d, int pfd)
{
    char proc[32];

    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
    /* No O_CLOEXEC: the monitor never execs, and musl backs the flag with
     * an fcntl that orchestrators' filters (urunc's) forbid. */
    int fd = open(proc, O_RDWR | O_NOCTTY);

    if (fd >= 0)
        return fd;
    if (errno == EACCES || errno == EPERM || errno == EROFS)
        mon_warn("%s: cannot open %s for reading and writing: %s", d->arg,
                 d->path, strerror(errno));
    else if (errno == ENOENT)
        mon_warn("%s: cannot open %s: %s is missing (is /proc mounted?)",
                 d->arg, d->path, proc);
    else
        mon_warn("%s: cannot open %s: %s", d->arg, d->path, strerror(errno));
    return -1;
}

/* Check, then open: an O_PATH descriptor names the file without opening
 * it (no device's open routine runs, no FIFO blocks); its kind is checked
 * on it, and only then is that same file opened read-write. Returns the
 * descriptor with (st) its stat data, or -1 after reporting. */
static int mod_block_open(const struct mod_block_dev *d, struct stat *st)
{
    struct stat fst;
    int pfd = open(d->path, O_PATH);

    if (pfd < 0) {
        mon_warn("%s: cannot open %s: %s", d->arg, d->path, strerror(errno));
        return -1;
    }
    if (fstat(pfd, st) < 0) {
        mon_warn("%s: cannot stat %s: %s", d->arg, d->path, strerror(errno));
        close(pfd);
        return -1;
    }
    int fd = mod_block_check_kind(d, st) < 0 ? -1 : mod_block_reopen(d, pfd);
    close(pfd);
    if (fd < 0)
        return -1;
    /* The file checked above must be the one opened. */
    if (fstat(fd, &fst) < 0 || fst.st_dev != st->st_dev ||
        fst.st_ino != st->st_ino || fst.st_mode != st->st_mode) {
        mon_warn("%s: %s changed while it was being opened", d->arg, d->path);
        close(fd);
        return -1;
    }
    return fd;
}

/* The capacity of an open regular file or block device, or -1. */
static int mod_block_capacity(struct mod_block_dev *d, const struct stat *st)
{
    if (S_ISREG(st->st_mode)) {
        d->capacity = (uint64_t)st->st_size;
        return 0;
    }
    int ro = 0;
    if (ioctl(d->fd, BLKROGET, &ro) == 0 && ro) {
        mon_warn("%s: %s is a read-only block device", d->arg, d->path);
        return -1;
    }
    if (ioctl(d->fd, BLKGETSIZE64, &d->capacity) < 0) {
        mon_warn("%s: cannot read the size of %s: %s", d->arg, d->path,
                 strerror(errno));
        return -1;
    }
    return 0;
}

/* Refuses a host file already bound to another device. */
static int mod_block_check_unique(struct mon *m, unsigned h)
{
    const struct mod_block_dev *d = &mod_block_devs[h];

    for (unsigned i = 1; i < h; i++) {
        const struct mod_block_dev *o = &mod_block_devs[i];
        if (o->fd >= 0 && o->st_dev == d->st_dev && o->st_ino == d->st_ino) {
            mon_warn("%s: %s is the same file as %s (device '%s'); one file "
                     "cannot back two devices",
                     d->arg, d->path, o->arg, m->mft->e[i].name);
            return -1;
        }
    }
    return 0;
}

/* An exclusive lock, so that a second monitor on the same file stops here,
 * before it reads or writes anything. */
static int mod_block_lock(struct mon *m, const struct mod_block_dev *d)
{
    /* urunc's filter around the monitor lacks flock: there the file is not
     * locked, and the sandbox's line says so. */
    if (!mon_may_use(m, "block file locking (flock)"))
        return 0;
    if (flock(d->fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno == EWOULDBLOCK)
        mon_warn("%s: %s is in use (locked by another process)", d->arg,
                 d->path);
    else
        mon_warn("%s: cannot lock %s: %s", d->arg, d->path, strerror(errno));
    return -1;
}

/* solo5-hvt's size checks, keeping its wording (Solo5's tests match the
 * "block aligned" sentence). */
static int mod_block_check_size(const struct mod_block_dev *d,
                                unsigned block_size)
{
    if (d->capacity == 0) {
        mon_warn("%s: %s is empty: Backing storage must be at least 1 block "
                 "(%u bytes) in size",
                 d->arg, d->path, block_size);
        return -1;
    }
    if (d->capacity % block_size != 0) {
        mon_warn("%s: Backing storage size must be block aligned (%s is "
                 "%llu bytes, not a multiple of the block size %u)",
                 d->arg, d->path, (unsigned long long)d->capacity, block_size);
        return -1;
    }
    return 0;
}

/* Opens, checks and locks the file bound to device (h), then fills the
 * guest's manifest entry as docs/hvt-abi.md §2.4 says. */
static int mod_block_attach_one(struct mon *m, unsigned h)
{
    struct mod_block_dev *d = &mod_block_devs[h];
    struct mft_entry *e = &m->mft->e[h];
    unsigned block_size =
        d->block_size ? d->block_size : MOD_BLOCK_DEFAULT_SIZE;
    struct stat fst;

    d->fd = mod_block_open(d, &fst);
    if (d->fd < 0)
        return -1;
    d->st_dev = fst.st_dev;
    d->st_ino = fst.st_ino;
    if (mod_block_check_unique(m, h) < 0 || mod_block_lock(m, d) < 0 ||
        mod_block_capacity(d, &fst) < 0 ||
        mod_block_check_size(d, block_size) < 0)
        return -1;
    /* The fixed number the seccomp filter names; the lock belongs to the
     * open file, so it moves with the descriptor. */
    d->fd = mon_fd_pin(d->fd, mon_fd_device(m, h));
    e->u.block_basic.capacity = d->capacity;
    e->u.block_basic.block_size = (uint16_t)block_size;
    e->b.hostfd = d->fd;
    e->attached = 1;
    return 0;
}

/* Attaches every bound device; reports every one that fails. A sector size
 * given for a device that is not bound is caught by the core's "declared
 * but not attached" check. */
static int mod_block_attach(struct mon *m)
{
    int rc = 0;

    for (unsigned h = 0; h < MFT_MAX_ENTRIES; h++)
        mod_block_devs[h].fd = -1;
    for (unsigned h = 1; h < m->mft->entries; h++)
        if (mod_block_devs[h].path && mod_block_attach_one(m, h) < 0)
            rc = -1;
    return rc;
}

/* The device behind a request, if the request is valid: a block device's
 * handle, an offset that is a multiple of its block size, a length of
 * exactly one block (Solo5's rule) or, for a multi-block request (multi.c),
 * any non-zero number of whole blocks, all inside the capacity. NULL
 * otherwise (the guest gets EINVAL). */
static struct mod_block_dev *mod_block_request(struct mon *m, uint64_t handle,
                                               uint64_t offset, uint64_t len,
                                               int multi)
{
    if (handle == 0 || handle >= m->mft->entries)
        return NULL;
    const struct mft_entry *e = &m->mft->e[handle];
    if (e->type != MFT_DEV_BLOCK_BASIC || !e->attached)
        return NULL;
    struct mod_block_dev *d = &mod_block_devs[handle];
    uint64_t bs = e->u.block_basic.block_size;
    int blocks_ok = multi ? len != 0 && len % bs == 0 : len == bs;
    /* offset + len is compared without overflowing. */
    if (!blocks_ok || offset % bs != 0 || offset > d->capacity ||
        len > d->capacity - offset)
        return NULL;
    return d;
}

/* One whole block transfer, retrying short transfers and EINTR. A host I/O
 * error ends the guest with a message naming the device: answering
 * EUNSPEC would let a guest that ignores it go on as if the data were
 * safe. Returns the guest's result, OK. */
static int mod_block_transfer(struct mon *m, struct mod_block_dev *d, int write,
                              uint8_t *buf, uint64_t offset, size_t len)
{
    size_t done = 0;

    while (done < len) {
        off_t pos = (off_t)(offset + done);
        ssize_t n = write ? pwrite(d->fd, buf + done, len - done, pos)
                          : pread(d->fd, buf + done, len - done, pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) /* pread returns 0 when the file shrank under us */
            mon_fatal("block device '%s' (%s): %s at offset %llu failed: %s",
                      m->mft->e[d - mod_block_devs].name, d->path,
                      write ? "write" : "read", (unsigned long long)offset,
                      n < 0 ? strerror(errno) : "end of file");
        done += (size_t)n;
    }
    return HVT_OK;
}

/* Every block hypercall: BLOCK_READ's argument struct has BLOCK_WRITE's
 * layout (hvt_abi.h pins both), so one path serves reads and writes, of
 * one block or (multi) of many. */
int mod_block_serve(struct mon *m, hvt_gpa_t gpa, const char *what, int write,
                    int multi)
{
    struct hvt_hc_block_write hc;

    if (mon_hc_args(m, gpa, &hc, sizeof(hc), 1, what) < 0)
        return -1;
    struct mod_block_dev *d =
        mod_block_request(m, hc.handle, hc.offset, hc.len, multi);
    hc.ret = HVT_EINVAL;
    if (d != NULL) {
        /* A read fills the buffer: it must be memory the guest may write. */
        uint8_t *buf = write ? (uint8_t *)mon_guest_in(m, hc.data, hc.len, what)
                             : mon_guest_out(m, hc.data, hc.len, what);
        if (buf == NULL)
            return -1;
        hc.ret = mod_block_transfer(m, d, write, buf, hc.offset, hc.len);
    }
    return mon_hc_results(m, gpa, &hc, sizeof(hc),
                          offsetof(struct hvt_hc_block_write, ret), what);
}

static int mod_block_write(struct mon *m, hvt_gpa_t gpa)
{
    return mod_block_serve(m, gpa, "BLOCK_WRITE", 1, 0);
}

static int mod_block_read(struct mon *m, hvt_gpa_t gpa)
{
    return mod_block_serve(m, gpa, "BLOCK_READ", 0, 0);
}

/* The multi-block hypercalls (multi.c) are served whenever this module
 * is in the monitor. */
static void mod_block_boot_info(struct mon *m, struct hvt_boot_info *bi)
{
    (void)m;
    bi->host_features |= HVT_FEATURE_TG_BLOCK_MULTI;
}

static const struct mon_module mod_block = {
    .name = "block",
    .option = mod_block_option,
    .attach = mod_block_attach,
    .boot_info = mod_block_boot_info,
};
