/* dropin_exec.c: running a monitor from a file, for albatross and local
 * use (a drop-in built with tender-gen --drop-in FILE --monitors DIR). The
 * drop-in holds the sha256 of each approved monitor file and the absolute
 * path of DIR, both fixed when tender-gen built it. It opens DIR one
 * component at a time from /, following no symbolic link, opens the
 * shape's file there the same way, reads it in full through that
 * descriptor while hashing it, and only when the digest matches executes
 * that same descriptor: execve of /proc/self/fd/N (urunc's filter lacks
 * execveat, which musl's fexecve uses), which opens the inode the
 * descriptor holds, not the name. A file renamed over the name after the
 * open is not what runs. What could still change the content between the
 * hash and the exec is a write to the inode itself, so the file, DIR and
 * every directory above it must be root's or ours and writable by no one
 * else (a directory above DIR: unless sticky). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dropin.h"
#include "mon_internal.h"
#include "sha256.h"

/* A monitor is about 100 KiB; the cache takes up to the same bound. */
#define DROPIN_MONITOR_MAX (32u << 20)

extern char **environ;

/* From the auxiliary vector the kernel passed at exec, no system call. */
static uid_t dropin_euid(void)
{
    return (uid_t)getauxval(AT_EUID);
}

static const char *writers(mode_t mode)
{
    return (mode & 022) == 022 ? "group and others"
           : (mode & 020)      ? "group"
                               : "others";
}

/* Refuses (what) (path), of stat (st), when a user other than root and us
 * could change it: it is another user's, or group or others may write it
 * (with (sticky_ok), a sticky directory passes: others may add entries,
 * not rename ours). */
static void check_owner(const char *what, const char *path,
                        const struct stat *st, int sticky_ok)
{
    if (st->st_uid != 0 && st->st_uid != dropin_euid())
        mon_fatal("refusing %s %s: it belongs to another user (uid %u), who "
                  "could replace what runs",
                  what, path, (unsigned)st->st_uid);
    if ((st->st_mode & 022) && !(sticky_ok && (st->st_mode & S_ISVTX)))
        mon_fatal("refusing %s %s: it is writable by %s (mode %04o)", what,
                  path, writers(st->st_mode), (unsigned)(st->st_mode & 07777));
}

/* Opens the directory (name) in (dirfd), whose path is (path), as an
 * O_PATH descriptor, refusing a symbolic link and a directory others
 * could change ((last): the monitor directory itself). */
static int open_dir_at(int dirfd, const char *name, const char *path, int last)
{
    struct stat st;
    int fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0) {
        int err = errno;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(st.st_mode))
            mon_fatal("refusing monitor directory %s: a symbolic link", path);
        mon_fatal("refusing monitor directory %s: %s", path, strerror(err));
    }
    if (fstat(fd, &st) < 0)
        mon_fatal("refusing monitor directory %s: %s", path, strerror(errno));
    check_owner("monitor directory", path, &st, !last);
    return fd;
}

/* Opens the absolute directory (dir) from /, one component at a time. */
static int open_monitor_dir(const char *dir)
{
    char path[4096], name[256];
    size_t len = 0;
    const char *p = dir;
    int fd = open_dir_at(AT_FDCWD, "/", "/", dir[strspn(dir, "/")] == 0);

    for (;;) {
        p += strspn(p, "/");
        if (*p == 0)
            return fd;
        size_t n = strcspn(p, "/");
        if (n >= sizeof(name) || len + 1 + n >= sizeof(path))
            mon_fatal("refusing monitor directory %s: name too long", dir);
        memcpy(name, p, n);
        name[n] = 0;
        path[len++] = '/';
        memcpy(path + len, p, n);
        len += n;
        path[len] = 0;
        p += n;
        int next = open_dir_at(fd, name, path, p[strspn(p, "/")] == 0);
        close(fd);
        fd = next;
    }
}

/* Opens the monitor file (name) in (dirfd): not through a symbolic link,
 * never blocking on a FIFO, a regular file of root's or ours that no one
 * else may write, within the size bound. */
static int open_monitor(int dirfd, const char *name, const char *path)
{
    struct stat st;
    int fd = openat(dirfd, name,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

    if (fd < 0 && errno == ELOOP)
        mon_fatal("refusing monitor %s: a symbolic link, not a monitor file",
                  path);
    if (fd < 0)
        mon_fatal("refusing monitor %s: cannot open: %s", path,
                  strerror(errno));
    if (fstat(fd, &st) < 0)
        mon_fatal("refusing monitor %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        mon_fatal("refusing monitor %s: not a regular file", path);
    check_owner("monitor", path, &st, 0);
    if ((uint64_t)st.st_size > DROPIN_MONITOR_MAX)
        mon_fatal("refusing monitor %s: larger than %u bytes", path,
                  DROPIN_MONITOR_MAX);
    return fd;
}

/* The sha256 of everything (fd) reads, to its end, within the bound (the
 * size fstat gave is not trusted: the file may grow). */
static void hash_monitor(int fd, const char *path, char hex[65])
{
    static char chunk[65536];
    struct tg_sha256 s;
    size_t total = 0;

    tg_sha256_init(&s);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            mon_fatal("refusing monitor %s: cannot read: %s", path,
                      strerror(errno));
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > DROPIN_MONITOR_MAX)
            mon_fatal("refusing monitor %s: larger than %u bytes", path,
                      DROPIN_MONITOR_MAX);
        tg_sha256_update(&s, chunk, (size_t)n);
    }
    tg_sha256_hex(&s, hex);
}

int dropin_run(const struct dropin_bundle *b, const struct dropin_monitor *mon,
               const char *kernel, const char *shape, int argc, char **argv)
{
    char path[4352], self[64], found[65];
    const char *expected = mon->file_digest + strlen("sha256:");

    (void)argc;
    snprintf(path, sizeof(path), "%s/%s", b->monitor_dir, mon->file);
    int dirfd = open_monitor_dir(b->monitor_dir);
    int fd = open_monitor(dirfd, mon->file, path);
    close(dirfd);
    hash_monitor(fd, path, found);
    if (strcmp(found, expected) != 0)
        mon_fatal("refusing monitor %s: its sha256 is %s, not the approved "
                  "%s",
                  path, found, expected);
    /* The audit line: which approved monitor runs which guest. */
    mon_warn("running %s (shape '%s') on monitor %s", kernel, shape,
             mon->digest);
    snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
    execve(self, argv, environ);
    mon_fatal("cannot run monitor %s through %s: %s", path, self,
              strerror(errno));
}
