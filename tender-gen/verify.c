/* verify.c: checks a monitor against a fresh build. The digest comparison
 * tells apart "other sources or another tender-gen" from "same sources,
 * other bytes", which leaves the compiler, the C library or a change to the
 * binary itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "compile.h"
#include "datadir.h"
#include "diag.h"
#include "emit_monitor.h"
#include "input.h"
#include "provenance.h"
#include "sha256.h"
#include "shape_parse.h"
#include "verify.h"

static void sha256_hex(const struct tg_buf *b, char hex[65])
{
    struct tg_sha256 h;

    tg_sha256_init(&h);
    tg_sha256_update(&h, b->data, b->len);
    tg_sha256_hex(&h, hex);
}

/* The provenance of (monitor), whose bytes are in (bin). */
static int read_provenance(const char *monitor, const struct tg_buf *bin,
                           struct tg_provenance *prov)
{
    struct tg_buf scratch = {0}; /* libelf may write to its image */
    char why[256];
    int rc;

    tg_buf_add(&scratch, bin->data, bin->len);
    rc = tg_provenance_read(scratch.data, scratch.len, prov, why, sizeof(why));
    tg_buf_free(&scratch);
    if (rc < 0)
        printf("%s: cannot be verified: %s\n", monitor, why);
    return rc;
}

/* With an INPUT: the monitor must have the shape tender-gen gives it. */
static int check_input(const char *monitor, const char *input, uint32_t with,
                       const char *shape_text)
{
    static struct tg_devset set;
    struct tg_shape shape;

    if (tg_load_input(input, &set) != 0)
        return -1;
    set.modules |= with;
    tg_shape_from_devset(&set, &shape);
    if (strcmp(shape.text, shape_text) == 0)
        return 0;
    printf("%s: does not match: it is built for shape \"%s\", %s needs "
           "\"%s\"\n",
           monitor, shape_text, input, shape.text);
    return -1;
}

static int compare_bytes(const char *monitor, const struct tg_buf *have,
                         const struct tg_buf *want)
{
    size_t n = have->len < want->len ? have->len : want->len;
    size_t first = 0, differ = 0;
    char hex[65];

    if (have->len == want->len && memcmp(have->data, want->data, n) == 0) {
        sha256_hex(have, hex);
        printf("%s: matches (%zu bytes, sha256 %s)\n", monitor, have->len, hex);
        return 0;
    }
    for (size_t i = n; i-- > 0;)
        if (have->data[i] != want->data[i])
            first = i, differ++;
    printf("%s: does not match: same digest, different bytes (%zu differ, "
           "the first at offset 0x%zx; %zu bytes here, %zu rebuilt): a "
           "different compiler or C library, another build of tender-gen "
           "%s, or the binary was changed\n",
           monitor,
           differ + (have->len > want->len ? have->len - n : want->len - n),
           differ ? first : n, have->len, want->len, TG_VERSION);
    return -1;
}

/* Rebuilds from (prov) and compares with (bin). */
static int rebuild_and_compare(const char *monitor,
                               const struct tg_provenance *prov,
                               const struct tg_buf *bin)
{
    struct tg_shape shape;
    struct tg_monitor_src src = {0};
    struct tg_deps deps = {0};
    struct tg_buf fresh = {0};
    char why[256];
    int rc = -1;

    if (tg_shape_parse(prov->shape, &shape, why, sizeof(why)) < 0) {
        printf("%s: cannot be rebuilt: shape \"%s\": %s\n", monitor,
               prov->shape, why);
        return -1;
    }
    if (tg_emit_monitor(tg_datadir(), &shape, &src, &deps) < 0)
        goto out;
    if (strcmp(src.digest, prov->digest) != 0) {
        printf("%s: does not match: its digest is sha256:%s, the current "
               "sources give sha256:%s. Different module or template "
               "sources, or another version (it names tender-gen %s; this "
               "is %s).\n",
               monitor, prov->digest, src.digest, prov->version, TG_VERSION);
        goto out;
    }
    if (tg_compile_monitor_buf(&src.text, &fresh) == 0)
        rc = compare_bytes(monitor, bin, &fresh);
out:
    tg_buf_free(&src.text);
    tg_buf_free(&fresh);
    tg_deps_free(&deps);
    return rc;
}

int tg_verify(const char *monitor, const char *input, uint32_t with)
{
    struct tg_buf bin = {0};
    struct tg_provenance prov;
    int rc = -1;

    if (tg_read_file(monitor, &bin) < 0) {
        tg_fatal("%s: cannot read: %s", monitor, strerror(errno));
        return 1;
    }
    if (read_provenance(monitor, &bin, &prov) == 0) {
        printf("%s: made by tender-gen %s\n  shape:  %s\n  digest: "
               "sha256:%s\n",
               monitor, prov.version, prov.shape, prov.digest);
        if (!input || check_input(monitor, input, with, prov.shape) == 0)
            rc = rebuild_and_compare(monitor, &prov, &bin);
    }
    tg_buf_free(&bin);
    return rc == 0 ? 0 : 1;
}
