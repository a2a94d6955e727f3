/* cache_admin.h: looking after a monitor cache (cache.h) from the command
 * line: tender-gen --cache DIR --list [--json] | --verify-all |
 * --prune[=DAYS]. An entry is a file of monitors/ named by a 64-digit key;
 * other names there (a build's temporary file) are not entries. Every
 * entry is read as the cache reads it (cache.h), so a link, a FIFO, an
 * oversized file or another user's is reported, never followed, read
 * whole or removed. */
#ifndef TG_CACHE_ADMIN_H
#define TG_CACHE_ADMIN_H

/* Prints each entry: key, shape, digest, size, last use (the entry's
 * modification time: when it was built or last handed out), most recent
 * first; with (json), as one JSON object. Returns 0, or 1 when an entry
 * was refused or the cache cannot be read. */
int tg_cache_list(const char *dir, int json);

/* Rebuilds every entry from the provenance it carries and compares bytes,
 * when this tender-gen, its data and toolchain would hand the entry out
 * (the key they compute is its name); says why for each entry it cannot
 * check. Returns 0, or 1 when an entry is tampered, damaged or refused. */
int tg_cache_verify_all(const char *dir);

/* Removes the entries not used for more than (days) days; with (days) < 0,
 * those this tender-gen, its data and toolchain can never hand out, and
 * the compiler identities of other toolchains. Lock files of keys without
 * an entry go too, when no one holds them. Returns 0, or 1 when an entry
 * was refused (and kept) or could not be removed. */
int tg_cache_prune(const char *dir, long days);

#endif /* TG_CACHE_ADMIN_H */
