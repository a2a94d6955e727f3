/* print_json.c: the device set as JSON (`tender-gen --print`). */
#include <stdint.h>
#include <stdio.h>

#include "../include/mft_abi.h"
#include "print_json.h"
#include "registry.h"

/* Length of the well-formed UTF-8 sequence at (s), or 0. Shortest forms
 * only, no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;

    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1fU;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0fU;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07U;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0; /* also stops at the terminating NUL */
        cp = cp << 6 | (s[i] & 0x3fU);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    return n;
}

static void put_escape(FILE *f, unsigned char c)
{
    switch (c) {
    case '"':
        fputs("\\\"", f);
        break;
    case '\\':
        fputs("\\\\", f);
        break;
    case '\b':
        fputs("\\b", f);
        break;
    case '\f':
        fputs("\\f", f);
        break;
    case '\n':
        fputs("\\n", f);
        break;
    case '\r':
        fputs("\\r", f);
        break;
    case '\t':
        fputs("\\t", f);
        break;
    default:
        fprintf(f, "\\u%04x", c);
    }
}

/* A JSON string. Valid UTF-8 passes through; a byte that is not part of
 * one becomes U+FFFD, so the output is always valid JSON. */
static void put_string(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;

    fputc('"', f);
    while (*s) {
        size_t n;

        if (*s < 0x20 || *s == '"' || *s == '\\') {
            put_escape(f, *s++);
        } else if (*s < 0x80) {
            fputc(*s++, f);
        } else if ((n = utf8_len(s)) != 0) {
            fwrite(s, 1, n, f);
            s += n;
        } else {
            fputs("\\ufffd", f);
            s++;
        }
    }
    fputc('"', f);
}

void tg_json_string(FILE *f, const char *s)
{
    put_string(f, s);
}

static void put_modules(FILE *f, uint32_t modules)
{
    unsigned n = 0;

    fputs("  \"modules\": [", f);
    /* In bit order, as `modules:` and --with spell them. */
    for (unsigned bit = 0; bit < TG_MAX_OPT_IN; bit++) {
        const struct tg_module *mod = tg_opt_in_module(UINT32_C(1) << bit);
        if (!mod || !(modules & mod->opt_in))
            continue;
        fputs(n++ ? ",\n    " : "\n    ", f);
        put_string(f, mod->name);
    }
    fputs(n ? "\n  ],\n" : "],\n", f);
}

static void put_device(FILE *f, const struct tg_device *dev, unsigned handle)
{
    fputs("    {\n      \"name\": ", f);
    put_string(f, dev->name);
    fputs(",\n      \"type\": ", f);
    put_string(f, tg_dev_type_name(dev->type));
    fprintf(f, ",\n      \"handle\": %u\n    }", handle);
}

static void put_devices(FILE *f, const struct tg_devset *set)
{
    fputs("  \"devices\": [", f);
    for (unsigned i = 0; i < set->ndevices; i++) {
        fputs(i ? ",\n" : "\n", f);
        put_device(f, &set->devices[i], i + 1); /* handle 0 is reserved */
    }
    fputs(set->ndevices ? "\n  ],\n" : "],\n", f);
}

void tg_print_json(FILE *f, const struct tg_devset *set)
{
    fputs("{\n  \"name\": ", f);
    put_string(f, set->name);
    if (set->mem_size)
        fprintf(f, ",\n  \"memory\": %llu,\n",
                (unsigned long long)set->mem_size);
    else
        fputs(",\n  \"memory\": null,\n", f);
    put_modules(f, set->modules);
    put_devices(f, set);
    fputs("  \"shape\": {", f);
    /* hvt, the default, is not named, as in the shape text. */
    if (set->target != TG_TARGET_HVT)
        fprintf(f, "\n    \"target\": \"%s\",", tg_target_name(set->target));
    for (unsigned t = 0; t < tg_registry()->ndevtypes; t++)
        fprintf(f, "%s\n    \"%s\": %u", t ? "," : "", tg_dev_type_name(t),
                tg_devset_count(set, t));
    fputs("\n  }\n}\n", f);
}
