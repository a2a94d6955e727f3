/* template.c: fills strict placeholders; see template.h. */
#include <string.h>

#include "devset.h"
#include "diag.h"
#include "template.h"

#define OPEN "/*@ "
#define CLOSE " @*/"

/* Returns the index of the slot called (name, len), or -1. */
static int find_slot(const struct tg_slot *slots, unsigned nslots,
                     const char *name, size_t len)
{
    for (unsigned i = 0; i < nslots; i++)
        if (strlen(slots[i].name) == len &&
            memcmp(slots[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static int fill_line(const char *path, unsigned lineno, const char *line,
                     size_t len, const struct tg_slot *slots, unsigned nslots,
                     int *used, struct tg_buf *out)
{
    struct tg_loc loc = {path, lineno, 1};
    size_t olen = strlen(OPEN), clen = strlen(CLOSE);

    if (!memmem(line, len, "/*@", 3)) {
        tg_buf_add(out, line, len);
        tg_buf_puts(out, "\n");
        return 0;
    }
    if (len <= olen + clen || memcmp(line, OPEN, olen) != 0 ||
        memcmp(line + len - clen, CLOSE, clen) != 0) {
        tg_error(&loc, "malformed placeholder (expected a line \"/*@ NAME "
                       "@*/\")");
        return -1;
    }
    const char *name = line + olen;
    size_t nlen = len - olen - clen;
    int i = find_slot(slots, nslots, name, nlen);
    if (i < 0) {
        tg_error(&loc, "unknown placeholder \"%.*s\"", (int)nlen, name);
        return -1;
    }
    used[i] = 1;
    tg_buf_add(out, slots[i].value->data, slots[i].value->len);
    return 0;
}

int tg_template_fill(const char *path, const struct tg_buf *tmpl,
                     const struct tg_slot *slots, unsigned nslots,
                     struct tg_buf *out)
{
    int used[16] = {0}, rc = 0;
    unsigned lineno = 0;

    if (nslots > 16)
        return -1;
    for (size_t pos = 0; pos < tmpl->len; lineno++) {
        const char *line = tmpl->data + pos;
        const char *nl = memchr(line, '\n', tmpl->len - pos);
        size_t len = nl ? (size_t)(nl - line) : tmpl->len - pos;
        if (fill_line(path, lineno + 1, line, len, slots, nslots, used, out) <
            0)
            rc = -1;
        pos += len + 1;
    }
    for (unsigned i = 0; i < nslots; i++)
        if (!used[i]) {
            struct tg_loc loc = {path, 0, 0};
            tg_error(&loc, "placeholder \"%s\" is never used", slots[i].name);
            rc = -1;
        }
    return rc;
}
