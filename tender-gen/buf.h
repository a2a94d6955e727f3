/* buf.h: a growable byte buffer for the text tender-gen generates, and
 * whole-file reading. Allocation failure ends the program: tender-gen has
 * nothing useful to do without memory. */
#ifndef TG_BUF_H
#define TG_BUF_H

#include <stddef.h>

struct tg_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
};

void tg_buf_add(struct tg_buf *b, const void *data, size_t len);
void tg_buf_puts(struct tg_buf *b, const char *s);
void tg_buf_printf(struct tg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tg_buf_free(struct tg_buf *b);

/* Reads a whole file into (b). Returns 0, or -1 with errno set. */
int tg_read_file(const char *path, struct tg_buf *b);

#endif /* TG_BUF_H */
