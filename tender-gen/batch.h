/* batch.h: batch mode: one monitor per INPUT, named
 * after its service, into one directory, optionally through the cache. */
#ifndef TG_BATCH_H
#define TG_BATCH_H

#include <stdint.h>

struct tg_batch_opts {
    const char *out_dir; /* monitors go to OUT_DIR/NAME-tender */
    const char *cache;   /* cache directory, or NULL */
    int json;            /* report as JSON instead of text */
    uint32_t with;       /* opt-in modules added to every input */
};

/* Builds a monitor for each of (inputs), going on past a bad one, and
 * reports per service whether it was built or reused. Returns 0 when every
 * input gave a monitor, 1 otherwise, and 1 with nothing written when the
 * output directory or the cache is refused (outfile.h). */
int tg_batch(const struct tg_batch_opts *o, char *const *inputs,
             unsigned ninputs);

/* Makes (out) the monitor of (src): through (cache) when
 * not NULL, else by compiling. Returns TG_CACHE_BUILT or TG_CACHE_REUSED
 * (cache.h), or -1 after reporting the error. (key) gets the cache key, or
 * "" without a cache. */
struct tg_monitor_src;
int tg_make_monitor(const char *cache, const struct tg_monitor_src *src,
                    const char *out, char key[65]);

#endif /* TG_BATCH_H */
