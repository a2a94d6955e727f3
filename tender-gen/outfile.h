/* outfile.h: never a partial output file. Content goes to a temporary file
 * beside the target, which is renamed over it only when complete. */
#ifndef TG_OUTFILE_H
#define TG_OUTFILE_H

#include <stddef.h>

/* Writes (data, len) to (path) atomically; leaves (path) untouched when it
 * already holds exactly that content, so builds stay incremental. (mode) is
 * the file's permission bits. Returns 0, or -1 after reporting the error. */
int tg_write_file(const char *path, const void *data, size_t len,
                  unsigned mode);

/* Moves the complete file (tmp) over (path), possibly across file systems.
 * Returns 0, or -1 after reporting the error; (tmp) is removed either way. */
int tg_install_file(const char *tmp, const char *path, unsigned mode);

#endif /* TG_OUTFILE_H */
