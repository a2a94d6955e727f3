/* describe.c: --describe, for a monitor and for a drop-in. The modules and
 * the device limits are read from the shape text ("block=1 net=0
 * modules=core,console,block"), which tender-gen writes in its canonical
 * form: the target when it is not hvt ("target=spt"), the count of each
 * device type it knows, then the modules. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "describe.h"
#include "format.h"

void mon_json_printf(struct mon_json *j, const char *fmt, ...)
{
    va_list ap;
    size_t room = sizeof(j->text) - j->len;

    va_start(ap, fmt);
    size_t n = mon_vformat(j->text + j->len, room, fmt, ap);
    va_end(ap);
    if (n >= room)
        j->overflow = 1;
    else
        j->len += n;
}

void mon_json_string(struct mon_json *j, const char *s)
{
    if (!s) {
        mon_json_printf(j, "null");
        return;
    }
    mon_json_printf(j, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char one[3] = {'\\', (char)c, '\0'};
        if (c < 0x20)
            mon_json_printf(j, "\\u%04x", c);
        else
            mon_json_printf(j, "%s", c == '"' || c == '\\' ? one : one + 1);
    }
    mon_json_printf(j, "\"");
}

/* The words of the shape text: "TYPE=N" for each device type, then
 * "modules=a,b". Calls (fn) with each word's name and value. */
static void shape_words(const char *shape,
                        void (*fn)(struct mon_json *j, const char *name,
                                   size_t nlen, const char *value, size_t vlen,
                                   int *first),
                        struct mon_json *j)
{
    int first = 1;

    for (const char *p = shape; *p;) {
        size_t len = strcspn(p, " ");
        const char *eq = memchr(p, '=', len);
        if (eq)
            fn(j, p, (size_t)(eq - p), eq + 1, len - (size_t)(eq - p) - 1,
               &first);
        p += len;
        p += *p == ' ';
    }
}

static void put_limit(struct mon_json *j, const char *name, size_t nlen,
                      const char *value, size_t vlen, int *first)
{
    if ((nlen == 7 && memcmp(name, "modules", 7) == 0) ||
        (nlen == 6 && memcmp(name, "target", 6) == 0))
        return;
    mon_json_printf(j, "%s\"%.*s\": %.*s", *first ? "" : ", ", (int)nlen, name,
                    (int)vlen, value);
    *first = 0;
}

static void put_modules(struct mon_json *j, const char *name, size_t nlen,
                        const char *value, size_t vlen, int *first)
{
    if (nlen != 7 || memcmp(name, "modules", 7) != 0)
        return;
    for (size_t pos = 0; pos < vlen;) {
        size_t len = strcspn(value + pos, ",");
        if (len > vlen - pos)
            len = vlen - pos;
        mon_json_printf(j, "%s\"%.*s\"", *first ? "" : ", ", (int)len,
                        value + pos);
        *first = 0;
        pos += len + 1;
    }
}

void mon_describe_fields(struct mon_json *j, unsigned indent,
                         const char *target, int abi_version, const char *shape,
                         const char *digest)
{
    int in = (int)indent;

    mon_json_printf(j, "%*s\"target\": ", in, "");
    mon_json_string(j, target);
    mon_json_printf(j, ",\n%*s\"abi_version\": %d,\n%*s\"shape\": ", in, "",
                    abi_version, in, "");
    mon_json_string(j, shape);
    mon_json_printf(j, ",\n%*s\"digest\": ", in, "");
    mon_json_string(j, digest);
    mon_json_printf(j, ",\n%*s\"modules\": [", in, "");
    shape_words(shape, put_modules, j);
    mon_json_printf(j, "],\n%*s\"device_limits\": {", in, "");
    shape_words(shape, put_limit, j);
    mon_json_printf(j, "}\n");
}

int mon_json_write(const struct mon_json *j)
{
    const char *p = j->text;
    size_t len = j->len;

    if (j->overflow)
        return -1;
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int mon_describe(const char *version, const char *target, int abi_version,
                 const char *shape, const char *digest)
{
    static struct mon_json j;

    mon_json_printf(&j, "{\n  \"kind\": \"monitor\",\n"
                        "  \"generator\": \"tender-gen\",\n  \"version\": ");
    mon_json_string(&j, version);
    mon_json_printf(&j, ",\n");
    mon_describe_fields(&j, 2, target, abi_version, shape, digest);
    mon_json_printf(&j, "}\n");
    return mon_json_write(&j);
}
