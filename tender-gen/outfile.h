/* outfile.h: output files that are ours and never partial. Content goes
 * to a fresh file that tender-gen creates beside the target, which is
 * renamed over it only when complete; a directory that another user could
 * rearrange under us is refused before anything is written there. */
#ifndef TG_OUTFILE_H
#define TG_OUTFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

/* Our effective uid, read without a system call (urunc's filter around the
 * drop-in has no geteuid). */
uid_t tg_euid(void);

/* Refuses a directory that another user could change: one owned by a user
 * other than us and root, or writable by group or others without the
 * sticky bit. With (missing_ok), a directory that does not exist yet
 * passes (we will create it). Returns 0, or -1 after reporting, in one
 * line, the directory and the reason. */
int tg_check_dir(const char *dir, int missing_ok);

/* tg_check_dir for the directory that will hold the file (path). */
int tg_check_out_path(const char *path);

/* ORed into the mode of an output whose path the user named (-o, --emit-c,
 * --emit-note, --depfile, --drop-in): a device or a pipe there (/dev/null,
 * /dev/stdout) is written through rather than replaced. Never for the
 * cache or any file tender-gen names itself. */
#define TG_OUT_USER 0x10000u

/* Writes (data, len) to (path), by rename of a fresh file created in
 * (path)'s directory after that directory passed tg_check_dir. An existing
 * (path) with exactly that content and (mode) is kept, so builds stay
 * incremental, but only when it is ours: a regular file we own that no one
 * else may write. (mode) is the file's permission bits. Returns 0, or -1
 * after reporting the error. */
int tg_write_file(const char *path, const void *data, size_t len,
                  unsigned mode);

/* Moves the complete file (tmp) over (path), possibly across file systems.
 * Returns 0, or -1 after reporting the error; (tmp) is removed either way. */
int tg_install_file(const char *tmp, const char *path, unsigned mode);

/* Refuses what is not a directory that only we (or root) may change: a
 * symbolic link, another user's directory, or one writable by group or
 * others, sticky or not. For the directories inside the cache. Returns 0,
 * -1 after reporting, or -2 when (dir) does not exist (nothing reported). */
int tg_check_private_dir(const char *dir);

/* Reads (path) into (b) when it is a regular file of at most (max) bytes,
 * without following a symbolic link in its last component and without
 * blocking on a FIFO; (st), when not NULL, gets its stat data. Returns 0,
 * or -1 with errno: ELOOP (a symbolic link), ENODEV (not a regular file),
 * EFBIG (too large), or what open or read said. */
struct stat;
int tg_read_regular(const char *path, size_t max, struct tg_buf *b,
                    struct stat *st);

#endif /* TG_OUTFILE_H */
