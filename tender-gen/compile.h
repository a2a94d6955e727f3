/* compile.h: monitor.c -> a static binary, linked against musl
 * (docs/design.md decision 3); and a drop-in: several monitors and a dispatcher
 * linked into one static binary (docs/design.md decision 12). */
#ifndef TG_COMPILE_H
#define TG_COMPILE_H

#include "buf.h"

#define TG_DROPIN_MAX 64 /* monitors in one drop-in */

/* Compiles (src) into the executable (out). The source is compiled from a
 * private temporary directory under the fixed name monitor.c, so nothing
 * about the caller's paths reaches the binary. Returns 0, or -1 after
 * reporting the error (compiler output included). (mode): the file's
 * permission bits, with TG_OUT_USER when the user named (out). */
int tg_compile_monitor(const struct tg_buf *src, const char *out,
                       unsigned mode);

/* A compiled monitor is at most this large. */
#define TG_MONITOR_MAX (32u << 20)

/* The same, with the executable read into (bin) rather than written out.
 * Returns 0, or -1 after reporting the error. */
int tg_compile_monitor_buf(const struct tg_buf *src, struct tg_buf *bin);

/* One monitor of a drop-in: its monitor.c, and the name its main() takes
 * there (a C identifier, also its file names in the build directory). */
struct tg_dropin_part {
    const struct tg_buf *src;
    const char *entry;
};

/* Compiles each part to an object whose only global symbol is its entry,
 * compiles (dispatcher), links them all statically against musl into (out)
 * and checks that the result has no interpreter and no dynamic section.
 * Returns 0, or -1 after reporting the error. */
int tg_compile_dropin(const struct tg_dropin_part *parts, unsigned n,
                      const struct tg_buf *dispatcher, const char *out);

/* The flags every monitor (and a drop-in's dispatcher) is compiled with,
 * and those it is linked with, each NULL-terminated (besides the
 * toolchain's paths and TG_EXTRA_CFLAGS). The cache key hashes them, so
 * that changing them here builds new cache entries. */
extern const char *const tg_monitor_cflags[];
extern const char *const tg_monitor_ldflags[];

#endif /* TG_COMPILE_H */
