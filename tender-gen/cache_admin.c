/* cache_admin.c: --list, --verify-all and --prune over a monitor cache.
 * An entry's name is a key of what built it (monitor.c and the toolchain),
 * not a hash of its bytes, and nothing beside it could vouch for them: a
 * digest kept next to an entry is as easy to change as the entry. So
 * --verify-all rebuilds: builds are reproducible, and an entry that this
 * tender-gen would hand out must equal, byte for byte, what its
 * provenance builds here. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "cache_admin.h"
#include "compile.h"
#include "datadir.h"
#include "diag.h"
#include "emit_monitor.h"
#include "outfile.h"
#include "print_json.h"
#include "provenance.h"
#include "shape_parse.h"

#define DAY_SECONDS 86400L

struct entry {
    char key[65];
    struct stat st;
    struct tg_provenance prov;
    int damaged;   /* its provenance does not read back */
    char why[128]; /* why, when damaged */
};

struct entries {
    struct entry *e;
    size_t n, cap;
    unsigned refused;
};

static int is_key(const char *name)
{
    return strlen(name) == 64 && strspn(name, "0123456789abcdef") == 64;
}

static void entry_path(const char *dir, const char *key, char *out, size_t size)
{
    snprintf(out, size, "%s/monitors/%s", dir, key);
}

/* The cache must exist and pass the checks a build applies (cache.h): a
 * listing of a cache another user can change would vouch for nothing. */
static int check_cache(const char *dir)
{
    static const char *const subdirs[] = {"monitors", "locks", "compilers"};
    struct stat st;
    char path[4096];

    errno = ENOTDIR; /* what stat's success leaves */
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        tg_fatal("%s: not a cache: %s", dir, strerror(errno));
        return -1;
    }
    if (tg_check_dir(dir, 0) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, subdirs[i]);
        if (tg_check_private_dir(path) == -1)
            return -1;
    }
    return 0;
}

/* Reads the entry (key); its bytes go to (bytes) when not NULL. Returns 0,
 * 1 when it is gone (removed meanwhile), -1 when refused (reported). */
static int read_entry(const char *dir, const char *key, struct entry *e,
                      struct tg_buf *bytes)
{
    char path[4200];
    struct tg_buf b = {0};

    memset(e, 0, sizeof(*e));
    memcpy(e->key, key, sizeof(e->key));
    entry_path(dir, key, path, sizeof(path));
    if (tg_cache_read(path, &b, &e->st) < 0) {
        tg_buf_free(&b);
        return errno == ENOENT ? 1 : -1;
    }
    if (bytes)
        tg_buf_add(bytes, b.data, b.len);
    /* libelf may write to the image it parses: (b) is our own copy. */
    e->damaged =
        tg_provenance_read(b.data, b.len, &e->prov, e->why, sizeof(e->why)) < 0;
    tg_buf_free(&b);
    return 0;
}

static int by_last_use(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;

    if (a->st.st_mtim.tv_sec != b->st.st_mtim.tv_sec)
        return a->st.st_mtim.tv_sec > b->st.st_mtim.tv_sec ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Every entry of (dir), most recently used first. Returns 0, or -1 when
 * the cache cannot be read (reported). */
static int load_entries(const char *dir, struct entries *out)
{
    char path[4096];
    struct dirent *d;
    DIR *dp;

    if (check_cache(dir) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/monitors", dir);
    if (!(dp = opendir(path))) {
        if (errno == ENOENT)
            return 0;
        tg_fatal("%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    while ((d = readdir(dp)) != NULL) {
        struct entry e;
        if (!is_key(d->d_name))
            continue;
        int rc = read_entry(dir, d->d_name, &e, NULL);
        if (rc < 0)
            out->refused++;
        if (rc != 0)
            continue;
        if (out->n == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 16;
            out->e = realloc(out->e, out->cap * sizeof(*out->e));
            if (!out->e)
                abort();
        }
        out->e[out->n++] = e;
    }
    closedir(dp);
    qsort(out->e, out->n, sizeof(*out->e), by_last_use);
    return 0;
}

static void format_time(time_t t, const char *fmt, char *out, size_t size)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, size, fmt, &tm);
}

static void list_text(const struct entries *es)
{
    unsigned long long total = 0;

    printf("%-12s  %-19s  %9s  %-20s  %s\n", "KEY", "DIGEST", "SIZE",
           "LAST USE", "SHAPE");
    for (size_t i = 0; i < es->n; i++) {
        const struct entry *e = &es->e[i];
        char when[32];
        format_time(e->st.st_mtim.tv_sec, "%Y-%m-%d %H:%M UTC", when,
                    sizeof(when));
        printf("%.12s  sha256:%-12.12s  %9lld  %-20s  ", e->key,
               e->damaged ? "-" : e->prov.digest, (long long)e->st.st_size,
               when);
        if (e->damaged)
            printf("(damaged: %s)\n", e->why);
        else
            printf("%s\n", e->prov.shape);
        total += (unsigned long long)e->st.st_size;
    }
    printf("%zu entr%s, %llu bytes\n", es->n, es->n == 1 ? "y" : "ies", total);
}

/* "key": value, with a JSON null for what a damaged entry lacks. */
static void json_field(const char *key, const char *value, int last)
{
    printf("      \"%s\": ", key);
    if (value)
        tg_json_string(stdout, value);
    else
        fputs("null", stdout);
    fputs(last ? "\n" : ",\n", stdout);
}

static void list_json(const char *dir, const struct entries *es)
{
    fputs("{\n  \"cache\": ", stdout);
    tg_json_string(stdout, dir);
    printf(",\n  \"entries\": [%s", es->n ? "\n" : "");
    for (size_t i = 0; i < es->n; i++) {
        const struct entry *e = &es->e[i];
        char when[32], digest[80];
        format_time(e->st.st_mtim.tv_sec, "%Y-%m-%dT%H:%M:%SZ", when,
                    sizeof(when));
        snprintf(digest, sizeof(digest), "sha256:%s", e->prov.digest);
        fputs("    {\n", stdout);
        json_field("key", e->key, 0);
        json_field("shape", e->damaged ? NULL : e->prov.shape, 0);
        json_field("digest", e->damaged ? NULL : digest, 0);
        json_field("version", e->damaged ? NULL : e->prov.version, 0);
        printf("      \"size\": %lld,\n", (long long)e->st.st_size);
        json_field("last_use", when, !e->damaged);
        if (e->damaged)
            json_field("damaged", e->why, 1);
        printf("    }%s\n", i + 1 < es->n ? "," : "");
    }
    printf("%s]\n}\n", es->n ? "  " : "");
}

int tg_cache_list(const char *dir, int json)
{
    struct entries es = {0};

    if (load_entries(dir, &es) < 0)
        return 1;
    if (json)
        list_json(dir, &es);
    else
        list_text(&es);
    free(es.e);
    return es.refused ? 1 : 0;
}

/* What this tender-gen, its data and toolchain build for (e)'s shape, and
 * under which key. Returns 0 and fills (src) and (key), or -1 with the
 * reason in (why) (src freed). */
static int rebuild_source(const char *dir, const struct entry *e,
                          struct tg_monitor_src *src, char key[65], char *why,
                          size_t whysize)
{
    struct tg_shape shape;
    struct tg_deps deps = {0};
    char problem[200];
    int rc;

    memset(src, 0, sizeof(*src));
    if (tg_shape_parse(e->prov.shape, &shape, problem, sizeof(problem)) < 0) {
        snprintf(why, whysize,
                 "its shape is not one this tender-gen builds (%s)", problem);
        return -1;
    }
    rc = tg_emit_monitor(tg_datadir(), &shape, src, &deps);
    tg_deps_free(&deps);
    if (rc == 0)
        rc = tg_cache_key(dir, src, key);
    if (rc < 0) {
        snprintf(why, whysize, "its shape cannot be generated here");
        tg_buf_free(&src->text);
    }
    return rc;
}

/* Why this tender-gen never hands out (e), whose key is not (key). */
static void stale_reason(const struct entry *e,
                         const struct tg_monitor_src *src, char *why,
                         size_t whysize)
{
    if (strcmp(src->digest, e->prov.digest) != 0)
        snprintf(why, whysize,
                 "made from other module sources or by another tender-gen "
                 "(it names tender-gen %s; its digest is sha256:%.12s..., "
                 "these sources give sha256:%.12s...)",
                 e->prov.version, e->prov.digest, src->digest);
    else
        snprintf(why, whysize,
                 "made with another toolchain or other compile flags");
}

/* Compares an entry with its rebuild; prints the verdict. Returns 0 when
 * they are equal. */
static int compare_rebuild(const char *path, const struct tg_buf *have,
                           const struct tg_buf *want)
{
    size_t n = have->len < want->len ? have->len : want->len;
    size_t first = n, differ = 0;

    for (size_t i = n; i-- > 0;)
        if (have->data[i] != want->data[i])
            first = i, differ++;
    if (differ == 0 && have->len == want->len) {
        printf("%s: ok: rebuilt from its provenance, the same %zu bytes\n",
               path, have->len);
        return 0;
    }
    differ += have->len > n ? have->len - n : want->len - n;
    printf("%s: tampered: it differs from a rebuild from its provenance with "
           "the toolchain of its key (%zu byte%s differ%s, the first at "
           "offset 0x%zx; %zu bytes here, %zu rebuilt)\n",
           path, differ, differ == 1 ? "" : "s", differ == 1 ? "s" : "", first,
           have->len, want->len);
    return -1;
}

enum verdict { V_OK, V_TAMPERED, V_DAMAGED, V_UNCHECKED, V_FAILED };

static enum verdict verify_entry(const char *dir, const struct entry *e,
                                 const struct tg_buf *bytes)
{
    struct tg_monitor_src src;
    struct tg_buf fresh = {0};
    char path[4200], key[65], why[300];
    enum verdict v;

    entry_path(dir, e->key, path, sizeof(path));
    if (e->damaged) {
        printf("%s: damaged: %s\n", path, e->why);
        return V_DAMAGED;
    }
    if (rebuild_source(dir, e, &src, key, why, sizeof(why)) < 0) {
        printf("%s: not checked: %s\n", path, why);
        return V_UNCHECKED;
    }
    if (strcmp(key, e->key) != 0) {
        stale_reason(e, &src, why, sizeof(why));
        printf("%s: not checked: %s; this tender-gen never hands it out\n",
               path, why);
        v = V_UNCHECKED;
    } else if (strcmp(src.digest, e->prov.digest) != 0) {
        printf("%s: tampered: its provenance names sha256:%s, its key is "
               "that of sha256:%s\n",
               path, e->prov.digest, src.digest);
        v = V_TAMPERED;
    } else if (tg_compile_monitor_buf(&src.text, &fresh) < 0) {
        printf("%s: not checked: the rebuild failed\n", path);
        v = V_FAILED;
    } else {
        v = compare_rebuild(path, bytes, &fresh) == 0 ? V_OK : V_TAMPERED;
    }
    tg_buf_free(&src.text);
    tg_buf_free(&fresh);
    return v;
}

int tg_cache_verify_all(const char *dir)
{
    struct entries es = {0};
    unsigned count[V_FAILED + 1] = {0};
    int bad;

    if (load_entries(dir, &es) < 0)
        return 1;
    /* First, so that every key below rests on a fresh identity. */
    bad = tg_cache_verify_compiler(dir) < 0;
    for (size_t i = 0; i < es.n; i++) {
        struct entry e;
        struct tg_buf bytes = {0};
        int rc = read_entry(dir, es.e[i].key, &e, &bytes);
        if (rc < 0)
            es.refused++;
        else if (rc == 0)
            count[verify_entry(dir, &e, &bytes)]++;
        tg_buf_free(&bytes);
    }
    printf("%zu entr%s: %u ok, %u tampered, %u damaged, %u refused, %u not "
           "checked\n",
           es.n + es.refused, es.n + es.refused == 1 ? "y" : "ies", count[V_OK],
           count[V_TAMPERED], count[V_DAMAGED], es.refused,
           count[V_UNCHECKED] + count[V_FAILED]);
    bad |=
        count[V_TAMPERED] || count[V_DAMAGED] || count[V_FAILED] || es.refused;
    free(es.e);
    return bad ? 1 : 0;
}

/* True when this tender-gen, its data and toolchain can never hand out
 * (e): a build looks an entry up by the key it computes and takes it only
 * when the provenance names the shape and digest it generated. */
static int unreachable(const char *dir, const struct entry *e)
{
    struct tg_monitor_src src;
    char key[65], why[300];

    if (e->damaged)
        return 1;
    if (rebuild_source(dir, e, &src, key, why, sizeof(why)) < 0)
        return 1;
    int gone =
        strcmp(key, e->key) != 0 || strcmp(src.digest, e->prov.digest) != 0;
    tg_buf_free(&src.text);
    return gone;
}

/* The entry's stat data as cache.c's checks see it, or -1. */
static int entry_stat(const char *path, struct stat *st)
{
    int fd =
        open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int rc = fd < 0 ? -1 : fstat(fd, st);

    if (fd >= 0)
        close(fd);
    return rc;
}

/* Removes (e) under its key's lock, unless a build replaced it or a hit
 * used it while we waited for the lock. Returns 1 when removed, 0 when
 * kept, -1 on an error (reported). */
static int remove_entry(const char *dir, const struct entry *e)
{
    char path[4200], lock_path[4200];
    struct stat now;
    int rc = 0;
    int lock = tg_cache_lock(dir, e->key);

    entry_path(dir, e->key, path, sizeof(path));
    snprintf(lock_path, sizeof(lock_path), "%s/locks/%s", dir, e->key);
    if (entry_stat(path, &now) == 0 && now.st_ino == e->st.st_ino &&
        now.st_dev == e->st.st_dev &&
        now.st_mtim.tv_sec == e->st.st_mtim.tv_sec &&
        now.st_mtim.tv_nsec == e->st.st_mtim.tv_nsec) {
        if (unlink(path) == 0)
            rc = 1;
        else {
            tg_fatal("%s: cannot remove: %s", path, strerror(errno));
            rc = -1;
        }
    }
    if (lock >= 0) {
        if (rc == 1)
            unlink(lock_path);
        close(lock);
    }
    return rc;
}

/* Lock files of keys without an entry that no one holds: a build that
 * failed, or an entry removed by hand. */
static void prune_locks(const char *dir)
{
    char path[4096], entry[4200], lock[4200];
    struct dirent *d;
    DIR *dp;

    snprintf(path, sizeof(path), "%s/locks", dir);
    if (!(dp = opendir(path)))
        return;
    while ((d = readdir(dp)) != NULL) {
        struct stat st;
        if (!is_key(d->d_name))
            continue;
        entry_path(dir, d->d_name, entry, sizeof(entry));
        if (fstatat(AT_FDCWD, entry, &st, AT_SYMLINK_NOFOLLOW) == 0)
            continue;
        snprintf(lock, sizeof(lock), "%s/%s", path, d->d_name);
        int fd = open(lock, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
                                O_CLOEXEC);
        if (fd < 0)
            continue;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlink(lock);
        close(fd);
    }
    closedir(dp);
}

/* The identities of toolchains other than the current one. Returns how
 * many were removed. */
static unsigned prune_compilers(const char *dir)
{
    char path[4096], file[4200], current[65] = "";
    struct dirent *d;
    unsigned removed = 0;
    DIR *dp;

    if (tg_cache_compiler_name(current) < 0)
        return 0; /* no toolchain here: nothing tells which one is current */
    snprintf(path, sizeof(path), "%s/compilers", dir);
    if (!(dp = opendir(path)))
        return 0;
    while ((d = readdir(dp)) != NULL) {
        if (!is_key(d->d_name) || strcmp(d->d_name, current) == 0)
            continue;
        snprintf(file, sizeof(file), "%s/%s", path, d->d_name);
        if (unlink(file) == 0) {
            printf("removed %s (another toolchain's identity)\n", file);
            removed++;
        }
    }
    closedir(dp);
    return removed;
}

int tg_cache_prune(const char *dir, long days)
{
    struct entries es = {0};
    unsigned removed = 0, kept = 0;
    unsigned long long bytes = 0;
    time_t now = time(NULL);
    int failed = 0;

    if (load_entries(dir, &es) < 0)
        return 1;
    for (size_t i = 0; i < es.n; i++) {
        const struct entry *e = &es.e[i];
        char path[4200], when[32];
        int old = days >= 0 ? now - e->st.st_mtim.tv_sec > days * DAY_SECONDS
                            : unreachable(dir, e);
        int rc = old ? remove_entry(dir, e) : 0;
        if (rc <= 0) {
            kept++;
            failed |= rc < 0;
            continue;
        }
        entry_path(dir, e->key, path, sizeof(path));
        format_time(e->st.st_mtim.tv_sec, "%Y-%m-%d %H:%M UTC", when,
                    sizeof(when));
        printf("removed %s (%s; last used %s)\n", path,
               e->damaged ? "damaged" : e->prov.shape, when);
        removed++;
        bytes += (unsigned long long)e->st.st_size;
    }
    if (days < 0)
        prune_compilers(dir);
    prune_locks(dir);
    printf("%u entr%s removed (%llu bytes), %u kept, %u refused\n", removed,
           removed == 1 ? "y" : "ies", bytes, kept, es.refused);
    free(es.e);
    return failed || es.refused ? 1 : 0;
}
