/* batch.c: batch mode. Each input is read, shaped and built on its own, so
 * one bad input costs only its own monitor; the run's report says for every
 * service whether its monitor was built (compiled, or changed from the one
 * the service had in the output directory) or reused (from the cache, or
 * from an earlier service of the same run with the same digest). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "buf.h"
#include "cache.h"
#include "compile.h"
#include "datadir.h"
#include "diag.h"
#include "emit_monitor.h"
#include "input.h"
#include "outfile.h"
#include "provenance.h"
#include "sha256.h"

/* A monitor is about 100 KiB. */
#define TG_MONITOR_READ_MAX (256u << 20)

struct result {
    const char *input;
    char name[TG_NAME_MAX + 1];
    char monitor[4096];
    int status; /* TG_CACHE_BUILT, TG_CACHE_REUSED, or -1: failed */
    char shape[TG_SHAPE_TEXT_MAX];
    char digest[65];
    char sha256[65]; /* of the monitor file */
};

int tg_make_monitor(const char *cache, const struct tg_monitor_src *src,
                    const char *out, char key[65])
{
    char entry[4096];
    int rc;

    key[0] = 0;
    if (!cache)
        return tg_compile_monitor(&src->text, out, 0755 | TG_OUT_USER) < 0
                   ? -1
                   : TG_CACHE_BUILT;
    rc = tg_cache_ensure(cache, src, key, entry, sizeof(entry));
    if (rc >= 0 && tg_copy_file(entry, out, 0755) < 0)
        rc = -1;
    return rc;
}

static int file_sha256(const char *path, char hex[65])
{
    struct tg_buf b = {0};
    struct tg_sha256 h;

    if (tg_read_regular(path, TG_MONITOR_READ_MAX, &b, NULL) < 0) {
        tg_fatal("%s: cannot read: %s", path, strerror(errno));
        tg_buf_free(&b);
        return -1;
    }
    tg_sha256_init(&h);
    tg_sha256_update(&h, b.data, b.len);
    tg_sha256_hex(&h, hex);
    tg_buf_free(&b);
    return 0;
}

/* An earlier service of this run with the same digest, for runs without a
 * cache: its monitor is copied rather than compiled again. */
static const struct result *same_digest(const struct result *r, unsigned n,
                                        const char *digest)
{
    for (unsigned i = 0; i < n; i++)
        if (r[i].status >= 0 && strcmp(r[i].digest, digest) == 0)
            return &r[i];
    return NULL;
}

static int name_taken(const struct result *r, unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (r[i].status >= 0 && strcmp(r[i].name, name) == 0)
            return 1;
    return 0;
}

/* Whether the service's monitor already in the output directory is the
 * one of (digest), as its provenance says: 1 when it is, 0 when it is
 * another (its shape changed, or it is no monitor of ours), -1 when there
 * is none. */
static int previous_monitor(const char *path, const char *digest)
{
    struct tg_buf b = {0};
    struct tg_provenance prov;
    char why[128];
    int same = 0;

    if (tg_read_regular(path, TG_MONITOR_READ_MAX, &b, NULL) < 0) {
        tg_buf_free(&b);
        return errno == ENOENT ? -1 : 0;
    }
    if (tg_provenance_read(b.data, b.len, &prov, why, sizeof(why)) == 0)
        same = strcmp(prov.digest, digest) == 0;
    tg_buf_free(&b);
    return same;
}

/* Reads (r->input) and fills in its name, shape and monitor path. */
static int prepare(const struct tg_batch_opts *o, struct result *r,
                   const struct result *done, unsigned ndone,
                   struct tg_shape *shape)
{
    static struct tg_devset set; /* large */
    struct tg_loc loc = {r->input, 0, 0};

    if (tg_load_input(r->input, &set) != 0)
        return -1;
    set.modules |= o->with;
    snprintf(r->name, sizeof(r->name), "%s", set.name);
    if (name_taken(done, ndone, r->name)) {
        tg_error(&loc,
                 "service \"%s\" is named by an earlier input too; its "
                 "monitor would overwrite that one",
                 r->name);
        return -1;
    }
    if ((size_t)snprintf(r->monitor, sizeof(r->monitor), "%s/%s-tender",
                         o->out_dir, r->name) >= sizeof(r->monitor)) {
        tg_error(&loc, "output path too long");
        return -1;
    }
    tg_shape_from_devset(&set, shape);
    snprintf(r->shape, sizeof(r->shape), "%s", shape->text);
    return 0;
}

/* Builds the monitor of (r->input) into the output directory. */
static int build_one(const struct tg_batch_opts *o, struct result *r,
                     const struct result *done, unsigned ndone)
{
    struct tg_shape shape;
    struct tg_monitor_src src = {0};
    struct tg_deps deps = {0};
    char key[65];

    if (prepare(o, r, done, ndone, &shape) < 0 ||
        tg_emit_monitor(tg_datadir(), &shape, &src, &deps) < 0) {
        tg_deps_free(&deps);
        return -1;
    }
    memcpy(r->digest, src.digest, sizeof(r->digest));
    int previous = previous_monitor(r->monitor, r->digest);
    const struct result *twin =
        o->cache ? NULL : same_digest(done, ndone, r->digest);
    if (twin)
        r->status = tg_copy_file(twin->monitor, r->monitor, 0755) < 0
                        ? -1
                        : TG_CACHE_REUSED;
    else
        r->status = tg_make_monitor(o->cache, &src, r->monitor, key);
    tg_buf_free(&src.text);
    tg_deps_free(&deps);
    if (r->status >= 0 && file_sha256(r->monitor, r->sha256) < 0)
        r->status = -1;
    /* Reused from the cache or a twin, but the service had another
     * monitor: for the service, its monitor changed. */
    if (r->status == TG_CACHE_REUSED && previous == 0)
        r->status = TG_CACHE_BUILT;
    return r->status;
}

static const char *status_name(int status)
{
    return status == TG_CACHE_BUILT    ? "built"
           : status == TG_CACHE_REUSED ? "reused"
                                       : "failed";
}

/* A JSON string: quote, backslash and control characters escaped; other
 * bytes as they are (paths and names here are the user's own). */
static void put_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void put_json_field(FILE *f, const char *key, const char *value,
                           int last)
{
    fprintf(f, "\"%s\": ", key);
    put_json_string(f, value);
    fputs(last ? "}" : ", ", f);
}

static void report_json(FILE *f, const struct result *r, unsigned n,
                        const unsigned counts[3])
{
    fputs("{\n  \"monitors\": [\n", f);
    for (unsigned i = 0; i < n; i++) {
        fputs("    {", f);
        put_json_field(f, "input", r[i].input, 0);
        put_json_field(f, "status", status_name(r[i].status), r[i].status < 0);
        if (r[i].status >= 0) {
            char digest[80];
            snprintf(digest, sizeof(digest), "sha256:%s", r[i].digest);
            put_json_field(f, "name", r[i].name, 0);
            put_json_field(f, "monitor", r[i].monitor, 0);
            put_json_field(f, "shape", r[i].shape, 0);
            put_json_field(f, "digest", digest, 0);
            put_json_field(f, "sha256", r[i].sha256, 1);
        }
        fputs(i + 1 < n ? ",\n" : "\n", f);
    }
    fprintf(f,
            "  ],\n  \"built\": %u,\n  \"reused\": %u,\n  \"failed\": "
            "%u\n}\n",
            counts[0], counts[1], counts[2]);
}

static void report_line(FILE *f, const struct result *r)
{
    if (r->status >= 0)
        fprintf(f, "%-6s %s %s (%s)\n", status_name(r->status), r->name,
                r->monitor, r->shape);
    else
        fprintf(f, "failed %s\n", r->input);
}

/* The output directory and the cache, checked before anything is written
 * to either (outfile.h), then created when missing. */
static int prepare_dirs(const struct tg_batch_opts *o)
{
    if (tg_check_dir(o->out_dir, 1) < 0 ||
        (o->cache && tg_check_dir(o->cache, 1) < 0))
        return -1;
    if (mkdir(o->out_dir, 0755) < 0 && errno != EEXIST) {
        tg_fatal("%s: cannot create: %s", o->out_dir, strerror(errno));
        return -1;
    }
    if (tg_check_dir(o->out_dir, 0) < 0)
        return -1;
    return o->cache ? tg_cache_check(o->cache) : 0;
}

int tg_batch(const struct tg_batch_opts *o, char *const *inputs,
             unsigned ninputs)
{
    struct result *r = calloc(ninputs, sizeof(*r));
    unsigned counts[3] = {0, 0, 0}; /* built, reused, failed */

    if (!r)
        abort();
    if (prepare_dirs(o) < 0) {
        free(r);
        return 1;
    }
    for (unsigned i = 0; i < ninputs; i++) {
        r[i].input = inputs[i];
        r[i].status = -1;
        build_one(o, &r[i], r, i);
        counts[r[i].status < 0 ? 2 : r[i].status]++;
        if (!o->json)
            report_line(stdout, &r[i]);
        fflush(stdout);
    }
    if (o->json)
        report_json(stdout, r, ninputs, counts);
    else
        printf("%u monitors: %u built, %u reused, %u failed\n", ninputs,
               counts[0], counts[1], counts[2]);
    free(r);
    return counts[2] ? 1 : 0;
}
