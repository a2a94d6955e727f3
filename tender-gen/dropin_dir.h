/* dropin_dir.h: the monitor directory of a drop-in that runs its monitors
 * from files (tender-gen --drop-in FILE --monitors DIR): for albatross and
 * local use, never under urunc (docs/dropin.md). */
#ifndef TG_DROPIN_DIR_H
#define TG_DROPIN_DIR_H

#include <stddef.h>

#include "buf.h"

/* A monitor file's name: monitor-, 16 hex digits of its sha256, -tender. */
#define TG_DROPIN_FILE_MAX 40

/* Creates (dir) (mode 0755) when it does not exist, writes its absolute
 * path, with no symbolic link, to (abs), and refuses it as the drop-in
 * refuses it at launch: when it is not root's or ours, or group or others
 * may write it, or a directory above it is another user's or writable by
 * others without the sticky bit. Returns 0, or -1 after reporting. */
int tg_dropin_dir_prepare(const char *dir, char *abs, size_t size);

/* Compiles the monitor (src) and writes it into the prepared directory
 * (abs) under its name, which it writes to (name), with its content's
 * sha256 (64 hex digits) in (digest). A file already there with that
 * content, ours, is kept. Returns 0, or -1 after reporting. */
int tg_dropin_dir_install(const char *abs, const struct tg_buf *src,
                          char name[TG_DROPIN_FILE_MAX], char digest[65]);

#endif /* TG_DROPIN_DIR_H */
