/* compile.h: monitor.c -> a static binary, linked against musl
 * (design.md decision 3). */
#ifndef TG_COMPILE_H
#define TG_COMPILE_H

#include "buf.h"

/* Compiles (src) into the executable (out). The source is compiled from a
 * private temporary directory under the fixed name monitor.c, so nothing
 * about the caller's paths reaches the binary. Returns 0, or -1 after
 * reporting the error (compiler output included). */
int tg_compile_monitor(const struct tg_buf *src, const char *out);

/* The compiler flags every monitor is built with, NULL-terminated (besides
 * the toolchain's paths and TG_EXTRA_CFLAGS). The cache key hashes them, so
 * that changing them here builds new cache entries. */
extern const char *const tg_monitor_cflags[];

#endif /* TG_COMPILE_H */
