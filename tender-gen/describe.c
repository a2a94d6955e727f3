/* describe.c: the --describe answers tender-gen writes into monitors and
 * drop-ins. The modules and device limits come from the shape, as its
 * canonical text lists them: the count of each device type the target's
 * registry knows, then the modules in canonical order. */
#include <stdlib.h>
#include <string.h>

#include "../include/hvt_abi.h"
#include "../include/spt_abi.h"

#include "describe.h"
#include "emit_monitor.h"
#include "print_json.h"

FILE *tg_text_open(struct tg_text *t)
{
    t->data = NULL;
    t->len = 0;
    t->f = open_memstream(&t->data, &t->len);
    if (!t->f) {
        fputs("tender-gen: out of memory\n", stderr);
        exit(1);
    }
    return t->f;
}

void tg_emit_c_chars(const char *line, size_t len, struct tg_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == '"' || c == '\\' || c == '?')
            tg_buf_printf(out, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            tg_buf_add(out, &line[i], 1);
        else
            tg_buf_printf(out, "\\%03o", c);
    }
}

void tg_text_emit(struct tg_text *t, const char *decl, struct tg_buf *out)
{
    if (fclose(t->f) != 0) {
        fputs("tender-gen: out of memory\n", stderr);
        exit(1);
    }
    tg_buf_printf(out, "%s =", decl);
    for (size_t at = 0; at < t->len;) {
        const char *nl = memchr(t->data + at, '\n', t->len - at);
        size_t len = nl ? (size_t)(nl - (t->data + at)) : t->len - at;
        tg_buf_puts(out, "\n    \"");
        tg_emit_c_chars(t->data + at, len, out);
        tg_buf_puts(out, nl ? "\\n\"" : "\"");
        at += len + (nl != NULL);
    }
    tg_buf_puts(out, ";\n");
    free(t->data);
}

void tg_describe_fields(FILE *f, unsigned indent, const struct tg_shape *shape,
                        const char *digest)
{
    const struct tg_registry *reg = tg_registry_for(shape->target);
    int in = (int)indent;

    fprintf(f, "%*s\"target\": ", in, "");
    tg_json_string(f, tg_monitor_target(shape));
    fprintf(f, ",\n%*s\"abi_version\": %d,\n%*s\"shape\": ", in, "",
            shape->target == TG_TARGET_SPT ? SPT_ABI_VERSION : HVT_ABI_VERSION,
            in, "");
    tg_json_string(f, shape->text);
    fprintf(f, ",\n%*s\"digest\": \"sha256:%s\",\n%*s\"modules\": [", in, "",
            digest, in, "");
    for (unsigned i = 0; i < shape->nmodules; i++) {
        fputs(i ? ", " : "", f);
        tg_json_string(f, shape->modules[i]->name);
    }
    fprintf(f, "],\n%*s\"device_limits\": {", in, "");
    for (unsigned t = 0; t < reg->ndevtypes; t++) {
        fputs(t ? ", " : "", f);
        tg_json_string(f, reg->devtypes[t].name);
        fprintf(f, ": %u", shape->count[t]);
    }
    fputs("}\n", f);
}

void tg_emit_describe(const char *decl, const struct tg_shape *shape,
                      const char *digest, struct tg_buf *out)
{
    struct tg_text t;
    FILE *f = tg_text_open(&t);

    fputs("{\n  \"kind\": \"monitor\",\n  \"generator\": \"tender-gen\",\n"
          "  \"version\": ",
          f);
    tg_json_string(f, TG_VERSION);
    fputs(",\n", f);
    tg_describe_fields(f, 2, shape, digest);
    fputs("}\n", f);
    tg_text_emit(&t, decl, out);
}
