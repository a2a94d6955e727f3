/* outfile.c: output files that are ours. Builds are reproducible, so
 * anyone can make a file with a monitor's exact bytes: an existing output
 * is kept only when we own it and no one else may write it, and every
 * other write creates a new file (O_EXCL, O_NOFOLLOW) and renames it into
 * place. The directory is opened once and checked, and the file is created
 * and renamed relative to that descriptor, so the directory checked is the
 * one written to. The one exception is an output that is a device or a
 * pipe (/dev/null, /dev/stdout, a FIFO of ours): written through, as a
 * compiler does, since a file of ours in its place would take away the
 * host's device. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../modules/core/messages.h"
#include "buf.h"
#include "diag.h"
#include "outfile.h"

/* What tender-gen installs from its compiler: a monitor is about 100 KiB. */
#define TG_INSTALL_MAX (256u << 20)

/* From the auxiliary vector the kernel passed at exec: tender-gen never
 * changes its uids. */
uid_t tg_euid(void)
{
    return (uid_t)getauxval(AT_EUID);
}

static const char *writers(mode_t mode)
{
    return (mode & 022) == 022 ? "group and others"
           : (mode & 020)      ? "group"
                               : "others";
}

/* Says, for the directory (dir) of stat (st), why it cannot be trusted
 * with our files. Returns 0 when it can. */
static int dir_problem(const char *dir, const struct stat *st)
{
    if (!S_ISDIR(st->st_mode)) {
        tg_fatal("%s: not a directory", dir);
        return -1;
    }
    if (st->st_uid != tg_euid() && st->st_uid != 0) {
        tg_fatal("%s: refused: the directory belongs to another user (uid "
                 "%u), who could replace what is written there",
                 dir, (unsigned)st->st_uid);
        return -1;
    }
    if ((st->st_mode & 022) && !(st->st_mode & S_ISVTX)) {
        tg_fatal("%s: refused: the directory is writable by %s (mode %04o) "
                 "without the sticky bit",
                 dir, writers(st->st_mode), (unsigned)(st->st_mode & 07777));
        return -1;
    }
    return 0;
}

int tg_check_dir(const char *dir, int missing_ok)
{
    struct stat st;

    if (stat(dir, &st) < 0) {
        if (errno == ENOENT && missing_ok)
            return 0;
        tg_fatal("%s: cannot write there: %s", dir, strerror(errno));
        return -1;
    }
    return dir_problem(dir, &st);
}

int tg_check_private_dir(const char *dir)
{
    struct stat st;

    if (fstatat(AT_FDCWD, dir, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT)
            return -2;
        tg_fatal("%s: %s", dir, strerror(errno));
        return -1;
    }
    if (S_ISLNK(st.st_mode)) {
        tg_fatal("%s: refused: a symbolic link where a directory of the "
                 "cache belongs",
                 dir);
        return -1;
    }
    if (dir_problem(dir, &st) < 0)
        return -1;
    if (st.st_mode & 022) {
        tg_fatal("%s: refused: the directory is writable by %s (mode %04o)",
                 dir, writers(st.st_mode), (unsigned)(st.st_mode & 07777));
        return -1;
    }
    return 0;
}

/* Splits (path) into its directory (dir) and last component (base). */
static int split_path(const char *path, char *dir, size_t size,
                      const char **base)
{
    const char *slash = strrchr(path, '/');

    *base = slash ? slash + 1 : path;
    if (**base == 0) {
        tg_fatal("%s: names a directory, not a file", path);
        return -1;
    }
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else if ((size_t)(slash - path) < size)
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
    else {
        tg_fatal("%s: path too long", path);
        return -1;
    }
    return 0;
}

int tg_check_out_path(const char *path)
{
    char dir[4096];
    const char *base;

    return split_path(path, dir, sizeof(dir), &base) < 0 ? -1
                                                         : tg_check_dir(dir, 0);
}

/* Opens and checks the directory of (path). Returns its descriptor, or -1
 * after reporting. */
static int open_out_dir(const char *path, const char **base)
{
    char dir[4096];
    struct stat st;

    if (split_path(path, dir, sizeof(dir), base) < 0)
        return -1;
    int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        tg_fatal("%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || dir_problem(dir, &st) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* True when (fd) holds exactly (len) bytes equal to (data). */
static int same_bytes(int fd, const char *data, size_t len)
{
    char chunk[65536];
    size_t done = 0;

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 && done == len;
        if ((size_t)n > len - done || memcmp(chunk, data + done, (size_t)n))
            return 0;
        done += (size_t)n;
    }
}

/* True when (base) in (dirfd) is already our file with this content and
 * mode: a regular file, not a link, owned by us, writable by no one else. */
static int ours_and_same(int dirfd, const char *base, const void *data,
                         size_t len, unsigned mode)
{
    struct stat st;
    int fd = openat(dirfd, base,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

    if (fd < 0)
        return 0;
    int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
               st.st_uid == tg_euid() && (st.st_mode & 022) == 0 &&
               (st.st_mode & 07777) == (mode_t)mode &&
               (size_t)st.st_size == len && same_bytes(fd, data, len);
    close(fd);
    return same;
}

/* Six characters for a temporary name: random when getrandom works, else
 * at least different from one attempt to the next (O_EXCL makes any name
 * safe; randomness only avoids collisions). */
static void temp_suffix(char out[7], unsigned attempt)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char r[6];

    if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
        unsigned long x = (unsigned long)getpid() * 2654435761u + attempt;
        for (size_t i = 0; i < sizeof(r); i++, x /= 36)
            r[i] = (unsigned char)(x % 36);
    }
    for (size_t i = 0; i < sizeof(r); i++)
        out[i] = digits[r[i] % 36];
    out[6] = 0;
}

/* A fresh file named (base).tmpXXXXXX in (dirfd), created by us: never an
 * existing file or the target of a link. Fills (tmp). */
static int create_temp(int dirfd, const char *path, const char *base, char *tmp,
                       size_t size)
{
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        char suffix[7];
        temp_suffix(suffix, attempt);
        if ((size_t)snprintf(tmp, size, "%s.tmp%s", base, suffix) >= size) {
            tg_fatal("%s: path too long", path);
            return -1;
        }
        int fd =
            openat(dirfd, tmp,
                   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST) {
            tg_fatal("%s: cannot create a temporary file: %s", path,
                     strerror(errno));
            return -1;
        }
    }
    tg_fatal("%s: cannot create a temporary file: too many exist", path);
    return -1;
}

/* Fills the fresh file (fd) and renames it over (base). */
static int fill_and_rename(int dirfd, int fd, const char *tmp, const char *base,
                           const char *path, const void *data, size_t len,
                           unsigned mode)
{
    int rc = mon_write_all(fd, data, len) < 0 || fchmod(fd, (mode_t)mode) < 0
                 ? -1
                 : 0;

    if (close(fd) < 0)
        rc = -1;
    if (rc == 0 && renameat(dirfd, tmp, dirfd, base) == 0)
        return 0;
    tg_fatal("%s: cannot write: %s", path, strerror(errno));
    unlinkat(dirfd, tmp, 0);
    return -1;
}

static int is_stream(const struct stat *st)
{
    return S_ISCHR(st->st_mode) || S_ISFIFO(st->st_mode);
}

/* How (base) is written through: 0 when it is not a stream, else the flag
 * to open it with. A character device only root can make; a FIFO, or a
 * link to a stream (/dev/stdout), must be root's or ours, since another
 * user's could lead our output somewhere of theirs. */
static int stream_target(int dirfd, const char *base)
{
    struct stat lst, st;

    if (fstatat(dirfd, base, &lst, AT_SYMLINK_NOFOLLOW) < 0)
        return 0;
    if (S_ISCHR(lst.st_mode))
        return O_NOFOLLOW;
    if (lst.st_uid != 0 && lst.st_uid != tg_euid())
        return 0;
    if (S_ISFIFO(lst.st_mode))
        return O_NOFOLLOW;
    if (S_ISLNK(lst.st_mode) && fstatat(dirfd, base, &st, 0) == 0 &&
        is_stream(&st))
        return O_CLOEXEC; /* follows the link */
    return 0;
}

/* Writes (data) into the device or pipe at (base). */
static int write_stream(int dirfd, const char *base, int follow,
                        const char *path, const void *data, size_t len)
{
    struct stat st;
    errno = 0;
    int fd = openat(dirfd, base, O_WRONLY | O_NOCTTY | O_CLOEXEC | follow);
    int rc = fd < 0 || fstat(fd, &st) < 0 || !is_stream(&st) ||
                     mon_write_all(fd, data, len) < 0
                 ? -1
                 : 0;

    if (fd >= 0 && close(fd) < 0)
        rc = -1;
    if (rc < 0)
        tg_fatal("%s: cannot write: %s", path,
                 errno ? strerror(errno) : "not a device or a pipe");
    return rc;
}

int tg_write_file(const char *path, const void *data, size_t len, unsigned mode)
{
    char tmp[4096];
    const char *base;
    int rc = 0;
    int dirfd = open_out_dir(path, &base);
    int stream;

    if (dirfd < 0)
        return -1;
    stream = mode & TG_OUT_USER ? stream_target(dirfd, base) : 0;
    mode &= ~TG_OUT_USER;
    if (stream != 0)
        rc = write_stream(dirfd, base, stream, path, data, len);
    else if (!ours_and_same(dirfd, base, data, len, mode)) {
        int fd = create_temp(dirfd, path, base, tmp, sizeof(tmp));
        rc = fd < 0
                 ? -1
                 : fill_and_rename(dirfd, fd, tmp, base, path, data, len, mode);
    }
    close(dirfd);
    return rc;
}

int tg_install_file(const char *src, const char *path, unsigned mode)
{
    struct tg_buf content = {0};
    int rc;

    if (tg_read_regular(src, TG_INSTALL_MAX, &content, NULL) < 0) {
        tg_fatal("%s: cannot read: %s", src, strerror(errno));
        tg_buf_free(&content);
        unlink(src);
        return -1;
    }
    rc = tg_write_file(path, content.data, content.len, mode);
    tg_buf_free(&content);
    unlink(src);
    return rc;
}

/* Reads (fd) to its end into (b), failing past (max) bytes. */
static int read_bounded(int fd, size_t max, struct tg_buf *b)
{
    char chunk[65536];

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        if ((size_t)n > max - b->len) {
            errno = EFBIG;
            return -1;
        }
        tg_buf_add(b, chunk, (size_t)n);
    }
}

int tg_read_regular(const char *path, size_t max, struct tg_buf *b,
                    struct stat *out)
{
    struct stat st;
    int fd =
        open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int rc = -1, err;

    if (fd < 0)
        return -1;
    b->len = 0;
    tg_buf_add(b, "", 0); /* data is never NULL, as with tg_read_file */
    if (fstat(fd, &st) < 0)
        ;
    else if (!S_ISREG(st.st_mode))
        errno = ENODEV;
    else if ((uint64_t)st.st_size > max)
        errno = EFBIG;
    else
        rc = read_bounded(fd, max, b);
    if (rc == 0 && out)
        *out = st;
    err = errno;
    close(fd);
    errno = err;
    return rc;
}
