/* outfile.c: atomic, write-if-changed output files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "outfile.h"

static int same_content(const char *path, const void *data, size_t len)
{
    struct tg_buf old = {0};
    int same = tg_read_file(path, &old) == 0 && old.len == len &&
               memcmp(old.data, data, len) == 0;

    tg_buf_free(&old);
    return same;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Opens a fresh temporary file in (path)'s directory; fills (tmp). */
static int open_temp(const char *path, char *tmp, size_t tmpsize)
{
    if ((size_t)snprintf(tmp, tmpsize, "%s.tmpXXXXXX", path) >= tmpsize) {
        tg_fatal("%s: path too long", path);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0)
        tg_fatal("%s: cannot create a temporary file: %s", path,
                 strerror(errno));
    return fd;
}

static int finish(int fd, const char *tmp, const char *path, unsigned mode)
{
    if (fchmod(fd, (mode_t)mode) < 0 || close(fd) < 0 ||
        rename(tmp, path) < 0) {
        tg_fatal("%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int tg_write_file(const char *path, const void *data, size_t len, unsigned mode)
{
    char tmp[4096];

    if (same_content(path, data, len))
        return 0;
    int fd = open_temp(path, tmp, sizeof(tmp));
    if (fd < 0)
        return -1;
    if (write_all(fd, data, len) < 0) {
        tg_fatal("%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    return finish(fd, tmp, path, mode);
}

int tg_install_file(const char *src, const char *path, unsigned mode)
{
    struct tg_buf content = {0};
    int rc;

    if (tg_read_file(src, &content) < 0) {
        tg_fatal("%s: cannot read: %s", src, strerror(errno));
        unlink(src);
        return -1;
    }
    rc = tg_write_file(path, content.data, content.len, mode);
    tg_buf_free(&content);
    unlink(src);
    return rc;
}
