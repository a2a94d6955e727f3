/* dropin_dir.c: the monitor directory of a drop-in that runs its monitors
 * from files. The drop-in holds the directory's absolute path and each
 * file's sha256, and at launch runs a file only when its content has that
 * digest. Files are named by their content's digest, so a name never
 * changes content: a drop-in still installed keeps finding its monitors
 * while a newer build adds its own beside them. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "dropin_dir.h"
#include "outfile.h"
#include "sha256.h"

/* Each directory above (abs) passes tg_check_dir: root's or ours, and
 * writable by others only when sticky. */
static int check_parents(const char *abs)
{
    char prefix[PATH_MAX];

    if (tg_check_dir("/", 0) < 0)
        return -1;
    for (const char *s = strchr(abs + 1, '/'); s; s = strchr(s + 1, '/')) {
        snprintf(prefix, sizeof(prefix), "%.*s", (int)(s - abs), abs);
        if (tg_check_dir(prefix, 0) < 0)
            return -1;
    }
    return 0;
}

/* Creates (dir) when it does not exist, once the directory it goes in
 * and those above passed tg_check_dir: nothing is made in a directory that
 * is refused. */
static int create_dir(const char *dir)
{
    char parent[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(dir, '/');
    struct stat st;

    if (stat(dir, &st) == 0 || errno != ENOENT)
        return 0;
    snprintf(parent, sizeof(parent), "%.*s",
             slash ? (int)(slash - dir) + (slash == dir) : 1,
             slash ? dir : ".");
    if (!realpath(parent, real)) {
        tg_fatal("%s: cannot create the monitor directory: %s", dir,
                 strerror(errno));
        return -1;
    }
    if ((strcmp(real, "/") != 0 && check_parents(real) < 0) ||
        tg_check_dir(real, 0) < 0)
        return -1;
    if (mkdir(dir, 0755) < 0) {
        tg_fatal("%s: cannot create the monitor directory: %s", dir,
                 strerror(errno));
        return -1;
    }
    return 0;
}

int tg_dropin_dir_prepare(const char *dir, char *abs, size_t size)
{
    char real[PATH_MAX];

    if (create_dir(dir) < 0)
        return -1;
    if (!realpath(dir, real)) {
        tg_fatal("%s: %s", dir, strerror(errno));
        return -1;
    }
    if (strlen(real) >= size) {
        tg_fatal("%s: path too long", real);
        return -1;
    }
    snprintf(abs, size, "%s", real);
    if (strcmp(abs, "/") != 0 && check_parents(abs) < 0)
        return -1;
    return tg_check_private_dir(abs) == 0 ? 0 : -1;
}

int tg_dropin_dir_install(const char *abs, const struct tg_buf *src,
                          char name[TG_DROPIN_FILE_MAX], char digest[65])
{
    struct tg_buf bin = {0};
    struct tg_sha256 s;
    char path[PATH_MAX + TG_DROPIN_FILE_MAX];
    int rc = tg_compile_monitor_buf(src, &bin);

    if (rc == 0) {
        tg_sha256_init(&s);
        tg_sha256_update(&s, bin.data, bin.len);
        tg_sha256_hex(&s, digest);
        snprintf(name, TG_DROPIN_FILE_MAX, "monitor-%.16s-tender", digest);
        snprintf(path, sizeof(path), "%s/%s", abs, name);
        rc = tg_write_file(path, bin.data, bin.len, 0755);
    }
    tg_buf_free(&bin);
    return rc;
}
