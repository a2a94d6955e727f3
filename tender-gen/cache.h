/* cache.h: the content-addressed monitor cache of batch mode. An entry's
 * key is the sha256 of the generated monitor.c (whose digest covers
 * tender-gen's version, the shape, the template and the module sources)
 * and the compiler's identity. Layout under DIR:
 *   monitors/KEY       the compiled monitor
 *   locks/KEY          flock(2)ed while KEY is being built
 *   compilers/STATKEY  a toolchain's identity, remembered under the stat(2)
 *                      data of its files (see tg_compiler_id)
 * Entries appear by rename(2) only, so a reader never sees half of one.
 * Every file in the cache is a regular file we created (outfile.h); one
 * that is a symbolic link, a FIFO, a device, too large, another user's or
 * writable by others is refused, and DIR must pass tg_check_dir and its four
 * directories tg_check_private_dir. */
#ifndef TG_CACHE_H
#define TG_CACHE_H

#include <stddef.h>

#include "buf.h"
#include "emit_monitor.h"

enum tg_cache_result { TG_CACHE_BUILT = 0, TG_CACHE_REUSED = 1 };

/* Creates what is missing of (dir)'s layout and checks that no other user
 * can change it (outfile.h). Returns 0, or -1 after reporting. */
int tg_cache_check(const char *dir);

/* The compiler's identity: sha256 of the compiler's name and `--version`,
 * musl's crt files and libc.a, the kernel headers' version and KVM headers,
 * and TG_EXTRA_CFLAGS. Computed once per process; with a cache (dir), also
 * remembered there under the stat(2) data of those files. Returns 0, or -1
 * after reporting the error. */
int tg_compiler_id(const char *dir, char hex[65]);

/* (key) = sha256(monitor.c, compiler identity). The whole generated file,
 * not only its digest: the digest covers the version, shape, template and
 * module sources, but the tables tender-gen generates (hypercalls, seccomp
 * rules) come from its own registry, and a rebuilt tender-gen of the same
 * version may differ there. Returns 0 or -1. */
int tg_cache_key(const char *dir, const struct tg_monitor_src *src,
                 char key[65]);

/* Makes sure (dir) holds the monitor for (src), compiling
 * it when absent or damaged, and writes its path into (path). Returns
 * TG_CACHE_BUILT, TG_CACHE_REUSED, or -1 after reporting the error. */
int tg_cache_ensure(const char *dir, const struct tg_monitor_src *src,
                    char key[65], char *path, size_t size);

/* Serialises the builders of (key) in (dir) and --prune (flock(2) on
 * locks/KEY). Returns the lock's descriptor, to close when done, or -1
 * (nothing held; a link or non-file there is reported). */
int tg_cache_lock(const char *dir, const char *key);

/* Reads the cache entry (path) as every cache file is read: a regular file
 * of at most 32 MiB, ours or root's, that no one else may write. Anything
 * else is reported in one line, except a missing file (errno ENOENT).
 * (st), when not NULL, gets its stat data. Returns 0 or -1. */
struct stat;
int tg_cache_read(const char *path, struct tg_buf *b, struct stat *st);

/* Checks the compiler identity (dir) remembers for the current toolchain
 * against one computed afresh, and prints the verdict. Must come before
 * any other use of tg_compiler_id in the process, so that every key
 * computed afterwards rests on the fresh identity. Returns 0 when it
 * matches or none is remembered, -1 when it does not or cannot be read. */
int tg_cache_verify_compiler(const char *dir);

/* Writes into (name) the file name compilers/ gives the current
 * toolchain's identity. Returns 0, or -1 when a toolchain file is
 * missing. */
int tg_cache_compiler_name(char name[65]);

/* Copies the file (from), read as a cache file is, to (to) whole or not at
 * all (outfile.h). Returns 0, or -1 after reporting the error. */
int tg_copy_file(const char *from, const char *to, unsigned mode);

#endif /* TG_CACHE_H */
