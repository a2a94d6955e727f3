/* cache.c: the monitor cache. Concurrency rests on two facts: an entry is
 * compiled to a temporary name in the cache's own directory and renamed
 * into place (outfile.c), and two processes that race to build one key
 * produce the same bytes, so whichever rename lands last changes nothing. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "compile.h"
#include "diag.h"
#include "outfile.h"
#include "provenance.h"
#include "sha256.h"

extern char **environ;

/* The same settings compile.c reads: environment first, then the build's. */
static const char *setting(const char *name, const char *built_in)
{
    const char *v = getenv(name);
    return v && *v ? v : built_in;
}

static void hash_labelled(struct tg_sha256 *h, const char *label,
                          const void *data, size_t len)
{
    tg_sha256_update(h, label, strlen(label) + 1);
    tg_sha256_update(h, &len, sizeof(len));
    tg_sha256_update(h, data, len);
}

static int hash_file(struct tg_sha256 *h, const char *path)
{
    struct tg_buf b = {0};

    if (tg_read_file(path, &b) < 0) {
        tg_fatal("%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    hash_labelled(h, path, b.data, b.len);
    tg_buf_free(&b);
    return 0;
}

/* Runs `CC --version` and hashes what it prints. */
static int hash_cc_version(struct tg_sha256 *h, const char *cc)
{
    int fds[2];
    posix_spawn_file_actions_t fa;
    char name[4096];
    char *argv[] = {name, (char[]){"--version"}, NULL};
    struct tg_buf out = {0};
    pid_t pid;
    int status, rc;

    snprintf(name, sizeof(name), "%s", cc);
    if (pipe2(fds, O_CLOEXEC) < 0) {
        tg_fatal("cannot make a pipe: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    rc = posix_spawnp(&pid, cc, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    for (char chunk[4096];;) {
        ssize_t n = rc == 0 ? read(fds[0], chunk, sizeof(chunk)) : 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        tg_buf_add(&out, chunk, (size_t)n);
    }
    close(fds[0]);
    if (rc == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        tg_fatal("cannot run %s --version", cc);
        tg_buf_free(&out);
        return -1;
    }
    hash_labelled(h, "cc --version", out.data, out.len);
    tg_buf_free(&out);
    return 0;
}

/* The toolchain a monitor's bytes depend on, as compile.c uses it. */
struct toolchain {
    const char *cc, *extra;
    char files[8][4096];
    unsigned nfiles;
};

static void add_file(struct toolchain *t, const char *dir, const char *name)
{
    snprintf(t->files[t->nfiles++], sizeof(t->files[0]), "%s/%s", dir, name);
}

static void get_toolchain(struct toolchain *t)
{
    const char *musl = setting("TG_MUSL_LIB", TG_MUSL_LIB);
    const char *linux_inc = setting("TG_LINUX_INCLUDE", TG_LINUX_INCLUDE);

    t->cc = setting("TG_CC", TG_CC);
    t->extra = getenv("TG_EXTRA_CFLAGS") ? getenv("TG_EXTRA_CFLAGS") : "";
    t->nfiles = 0;
    add_file(t, musl, "crt1.o");
    add_file(t, musl, "crti.o");
    add_file(t, musl, "crtn.o");
    add_file(t, musl, "libc.a");
    add_file(t, linux_inc, "linux/version.h");
    add_file(t, linux_inc, "linux/kvm.h");
    add_file(t, setting("TG_ASM_INCLUDE", TG_ASM_INCLUDE), "asm/kvm.h");
}

static int compute_compiler_id(const struct toolchain *t, char hex[65])
{
    struct tg_sha256 h;
    int rc = 0;

    tg_sha256_init(&h);
    hash_labelled(&h, "cc", t->cc, strlen(t->cc));
    hash_labelled(&h, "TG_EXTRA_CFLAGS", t->extra, strlen(t->extra));
    rc |= hash_cc_version(&h, t->cc);
    for (unsigned i = 0; i < t->nfiles; i++)
        rc |= hash_file(&h, t->files[i]);
    tg_sha256_hex(&h, hex);
    return rc ? -1 : 0;
}

/* The compiler's executable, searched in PATH as posix_spawnp does. */
static int find_cc(const char *cc, char *out, size_t size)
{
    const char *path = getenv("PATH");
    char try[4096];

    if (strchr(cc, '/'))
        return realpath(cc, out) && strlen(out) < size ? 0 : -1;
    for (const char *p = path ? path : ""; *p;) {
        size_t len = strcspn(p, ":");
        snprintf(try, sizeof(try), "%.*s/%s", (int)len, p, cc);
        if (access(try, X_OK) == 0)
            return realpath(try, out) ? 0 : -1;
        p += len + (p[len] == ':');
    }
    return -1;
}

static void hash_stat(struct tg_sha256 *h, const char *path,
                      const struct stat *st)
{
    const uint64_t f[] = {
        (uint64_t)st->st_dev,          (uint64_t)st->st_ino,
        (uint64_t)st->st_size,         (uint64_t)st->st_mtim.tv_sec,
        (uint64_t)st->st_mtim.tv_nsec, (uint64_t)st->st_ctim.tv_sec,
        (uint64_t)st->st_ctim.tv_nsec};

    hash_labelled(h, path, f, sizeof(f));
}

/* A name for the toolchain's state on disk: what every file hashed into
 * the identity is, by stat(2), not by content. It changes whenever one of
 * them is replaced or modified, so a remembered identity stays right. */
static int toolchain_stat_key(const struct toolchain *t, char hex[65])
{
    char cc[PATH_MAX];
    struct stat st;
    struct tg_sha256 h;

    if (find_cc(t->cc, cc, sizeof(cc)) < 0 || stat(cc, &st) < 0)
        return -1;
    tg_sha256_init(&h);
    hash_labelled(&h, "cc", t->cc, strlen(t->cc));
    hash_labelled(&h, "TG_EXTRA_CFLAGS", t->extra, strlen(t->extra));
    hash_stat(&h, cc, &st);
    for (unsigned i = 0; i < t->nfiles; i++) {
        if (stat(t->files[i], &st) < 0)
            return -1;
        hash_stat(&h, t->files[i], &st);
    }
    tg_sha256_hex(&h, hex);
    return 0;
}

static int is_hex64(const char *s, size_t len)
{
    return len >= 64 && strspn(s, "0123456789abcdef") == 64;
}

/* The largest file the cache holds: a monitor is about 100 KiB. */
#define CACHE_ENTRY_MAX (32u << 20)
/* A remembered compiler identity: one key and '\n'. */
#define CACHE_KEY_FILE_MAX 4096u

/* Reads the cache file (path): a regular file of at most (max) bytes,
 * ours or root's, that no one else may write. Anything else is refused
 * with a message: a symbolic link (which could lead out of the cache), a
 * FIFO or device (which could block or never end), a file too large,
 * another user's or writable by others. A missing file is not reported.
 * Returns 0 or -1. */
static int cache_read(const char *path, size_t max, struct tg_buf *b,
                      struct stat *out)
{
    struct stat st;
    int err = EPERM;

    if (tg_read_regular(path, max, b, &st) == 0) {
        if (out)
            *out = st;
        if (st.st_uid != tg_euid() && st.st_uid != 0)
            tg_fatal("%s: refused: the cache file belongs to another user "
                     "(uid %u)",
                     path, (unsigned)st.st_uid);
        else if (st.st_mode & 022)
            tg_fatal("%s: refused: the cache file is writable by others "
                     "(mode %04o)",
                     path, (unsigned)(st.st_mode & 07777));
        else
            return 0;
    } else if ((err = errno) == ELOOP)
        tg_fatal("%s: refused: a symbolic link, not a file of the cache", path);
    else if (err == ENODEV)
        tg_fatal("%s: refused: not a regular file", path);
    else if (err == EFBIG)
        tg_fatal("%s: refused: larger than %zu bytes", path, max);
    else if (err != ENOENT)
        tg_fatal("%s: cannot read: %s", path, strerror(err));
    errno = err;
    return -1;
}

/* The identity remembered under compilers/STATKEY in (dir), or computed
 * and remembered there: running the compiler and hashing libc.a costs
 * tens of milliseconds, most of a warm cache hit. */
static int cached_compiler_id(const char *dir, const struct toolchain *t,
                              char hex[65])
{
    char key[65], path[4200];
    struct tg_buf b = {0};

    if (!dir || toolchain_stat_key(t, key) < 0)
        return compute_compiler_id(t, hex);
    snprintf(path, sizeof(path), "%s/compilers/%s", dir, key);
    if (cache_read(path, CACHE_KEY_FILE_MAX, &b, NULL) == 0 &&
        is_hex64(b.data, b.len)) {
        memcpy(hex, b.data, 64);
        hex[64] = 0;
        tg_buf_free(&b);
        return 0;
    }
    tg_buf_free(&b);
    if (compute_compiler_id(t, hex) < 0)
        return -1;
    char line[66];
    snprintf(line, sizeof(line), "%s\n", hex);
    tg_write_file(path, line, 65, 0644); /* only a saving if it fails */
    return 0;
}

int tg_compiler_id(const char *dir, char hex[65])
{
    static char id[65];
    static int state; /* 0 not yet, 1 done, -1 failed */
    struct toolchain t;

    if (state == 0) {
        get_toolchain(&t);
        state = cached_compiler_id(dir, &t, id) == 0 ? 1 : -1;
    }
    memcpy(hex, id, sizeof(id));
    return state > 0 ? 0 : -1;
}

int tg_cache_compiler_name(char name[65])
{
    struct toolchain t;

    get_toolchain(&t);
    return toolchain_stat_key(&t, name);
}

int tg_cache_verify_compiler(const char *dir)
{
    char name[65], path[4200], fresh[65];
    struct tg_buf b = {0};
    int rc = 0;

    if (tg_compiler_id(NULL, fresh) < 0)
        return -1;
    if (tg_cache_compiler_name(name) < 0)
        return 0;
    snprintf(path, sizeof(path), "%s/compilers/%s", dir, name);
    if (cache_read(path, CACHE_KEY_FILE_MAX, &b, NULL) < 0)
        rc = errno == ENOENT ? 0 : -1;
    else if (b.len != 65 || !is_hex64(b.data, b.len) || b.data[64] != '\n') {
        printf("%s: damaged: not a compiler identity\n", path);
        rc = -1;
    } else if (memcmp(b.data, fresh, 64) != 0) {
        printf("%s: tampered: it names the toolchain sha256:%.64s, computed "
               "afresh it is sha256:%s\n",
               path, b.data, fresh);
        rc = -1;
    } else {
        printf("%s: ok: the toolchain's identity, computed afresh\n", path);
    }
    tg_buf_free(&b);
    return rc;
}

int tg_cache_key(const char *dir, const struct tg_monitor_src *src,
                 char key[65])
{
    char id[65];
    struct tg_sha256 h;

    if (tg_compiler_id(dir, id) < 0)
        return -1;
    tg_sha256_init(&h);
    hash_labelled(&h, "monitor.c", src->text.data, src->text.len);
    hash_labelled(&h, "compiler", id, strlen(id));
    for (size_t i = 0; tg_monitor_cflags[i]; i++)
        hash_labelled(&h, "flag", tg_monitor_cflags[i],
                      strlen(tg_monitor_cflags[i]));
    for (size_t i = 0; tg_monitor_ldflags[i]; i++)
        hash_labelled(&h, "link flag", tg_monitor_ldflags[i],
                      strlen(tg_monitor_ldflags[i]));
    tg_sha256_hex(&h, key);
    return 0;
}

static const char *const cache_subdirs[] = {"monitors", "locks", "compilers"};

static int make_dir(const char *path)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    tg_fatal("%s: cannot create: %s", path, strerror(errno));
    return -1;
}

int tg_cache_check(const char *dir)
{
    char path[4096];

    if (tg_check_dir(dir, 1) < 0 || make_dir(dir) < 0 ||
        tg_check_dir(dir, 0) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(cache_subdirs) / sizeof(*cache_subdirs);
         i++) {
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
                             cache_subdirs[i]) >= sizeof(path)) {
            tg_fatal("%s: path too long", dir);
            return -1;
        }
        if (make_dir(path) < 0 || tg_check_private_dir(path) != 0)
            return -1;
    }
    return 0;
}

/* True when (path) is a monitor whose provenance names the shape and
 * digest of (src): a cheap check that the entry is what its name says, not
 * a stray or cut file. Both, so that every entry ever handed out for a
 * key is one that --verify-all rebuilds from its provenance under the
 * same key. */
static int entry_ok(const char *path, const struct tg_monitor_src *src)
{
    struct tg_buf b = {0};
    struct tg_provenance prov;
    char why[128];
    int ok = cache_read(path, CACHE_ENTRY_MAX, &b, NULL) == 0 &&
             tg_provenance_read(b.data, b.len, &prov, why, sizeof(why)) == 0;

    if (ok)
        ok = strcmp(prov.digest, src->digest) == 0 &&
             strcmp(prov.shape, src->shape) == 0;
    tg_buf_free(&b);
    return ok;
}

/* Records a hit as the entry's modification time, on a descriptor opened
 * as cache_read opens (no link followed, no FIFO waited on) and only on a
 * regular file of ours: the content, owner and mode stay as they were, so
 * no trust rule changes. An entry of root's used by another user keeps
 * its time; that only makes --prune=DAYS see it as older. */
static void touch_entry(const char *path)
{
    static const struct timespec now[2] = {{.tv_nsec = UTIME_OMIT},
                                           {.tv_nsec = UTIME_NOW}};
    struct stat st;
    int fd =
        open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

    if (fd < 0)
        return;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == tg_euid() &&
        !(st.st_mode & 022))
        (void)futimens(fd, now); /* a lost time only ages the entry */
    close(fd);
}

/* Serialises builders of one key, so a second pipeline waits for the first
 * one's compile and reuses it instead of compiling the same bytes again,
 * and --prune never removes an entry while it is being built or looked up.
 * Only an economy: correctness never depends on it (entries appear by
 * rename), so a file system without flock just loses the saving. */
int tg_cache_lock(const char *dir, const char *key)
{
    char path[4096];
    struct stat st;
    int fd;

    snprintf(path, sizeof(path), "%s/locks/%s", dir, key);
    fd = open(path,
              O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
              0644);
    if (fd < 0) {
        if (errno == ELOOP)
            tg_fatal("%s: refused: a symbolic link, not a lock file", path);
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        tg_fatal("%s: refused: not a regular file", path);
        close(fd);
        return -1;
    }
    while (flock(fd, LOCK_EX) < 0)
        if (errno != EINTR) {
            close(fd);
            return -1;
        }
    return fd;
}

int tg_cache_ensure(const char *dir, const struct tg_monitor_src *src,
                    char key[65], char *path, size_t size)
{
    int result = TG_CACHE_REUSED;

    if (tg_cache_check(dir) < 0 || tg_cache_key(dir, src, key) < 0)
        return -1;
    if ((size_t)snprintf(path, size, "%s/monitors/%s", dir, key) >= size) {
        tg_fatal("%s: path too long", dir);
        return -1;
    }
    int lock = tg_cache_lock(dir, key);
    if (entry_ok(path, src))
        touch_entry(path);
    else
        result = tg_compile_monitor(&src->text, path, 0755) < 0
                     ? -1
                     : TG_CACHE_BUILT;
    if (lock >= 0)
        close(lock); /* releases the flock */
    return result;
}

int tg_cache_read(const char *path, struct tg_buf *b, struct stat *st)
{
    return cache_read(path, CACHE_ENTRY_MAX, b, st);
}

int tg_copy_file(const char *from, const char *to, unsigned mode)
{
    struct tg_buf b = {0};
    int rc;

    if (cache_read(from, CACHE_ENTRY_MAX, &b, NULL) < 0) {
        if (errno == ENOENT)
            tg_fatal("%s: cannot read: %s", from, strerror(errno));
        tg_buf_free(&b);
        return -1;
    }
    rc = tg_write_file(to, b.data, b.len, mode);
    tg_buf_free(&b);
    return rc;
}
