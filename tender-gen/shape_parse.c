/* shape_parse.c: reads a shape back from its canonical text. Rather than a
 * second definition of what a shape holds, it rebuilds a device set with
 * those counts and modules and lets shape.c say what that set's text is:
 * the text parses only when the two agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shape_parse.h"

/* Reads "KEY=N" at *p; advances past it. */
static int read_count(const char **p, const char *key, unsigned *out)
{
    size_t klen = strlen(key);
    char *end;

    if (strncmp(*p, key, klen) != 0 || (*p)[klen] < '0' || (*p)[klen] > '9')
        return -1;
    unsigned long v = strtoul(*p + klen, &end, 10);
    if (v > TG_MAX_DEVICES)
        return -1;
    *out = (unsigned)v;
    *p = end;
    return 0;
}

static const struct tg_module *find_module(const char *name, size_t len)
{
    for (unsigned i = 0; i < tg_nmodules; i++)
        if (strlen(tg_modules[i].name) == len &&
            strncmp(tg_modules[i].name, name, len) == 0)
            return &tg_modules[i];
    return NULL;
}

/* The modules list: opt-in ones go into set->modules; the others follow
 * from the device counts and are checked by the final comparison. */
static int read_modules(const char *p, struct tg_devset *set, char *why,
                        size_t whysize)
{
    while (*p) {
        size_t len = strcspn(p, ",");
        const struct tg_module *mod = find_module(p, len);
        if (!mod) {
            snprintf(why, whysize,
                     "module \"%.*s\" is unknown to this tender-gen", (int)len,
                     p);
            return -1;
        }
        if (mod->need == TG_NEED_OPT_IN)
            set->modules |= mod->opt_in;
        p += len + (p[len] == ',');
    }
    return 0;
}

static void add_devices(struct tg_devset *set, unsigned n,
                        enum tg_dev_type type)
{
    for (unsigned i = 0; i < n; i++) {
        struct tg_device *d = &set->devices[set->ndevices++];
        snprintf(d->name, sizeof(d->name), "%s%u", tg_dev_type_name(type), i);
        d->type = type;
    }
}

int tg_shape_parse(const char *text, struct tg_shape *shape, char *why,
                   size_t whysize)
{
    static struct tg_devset set; /* large; never used concurrently */
    unsigned nblock, nnet;
    const char *p = text;

    memset(&set, 0, sizeof(set));
    if (read_count(&p, "block=", &nblock) < 0 || *p++ != ' ' ||
        read_count(&p, "net=", &nnet) < 0 || strncmp(p, " modules=", 9) != 0 ||
        nblock + nnet > TG_MAX_DEVICES) {
        snprintf(why, whysize,
                 "not a shape (expected \"block=N net=N modules=a,b,...\")");
        return -1;
    }
    if (read_modules(p + 9, &set, why, whysize) < 0)
        return -1;
    add_devices(&set, nblock, TG_DEV_BLOCK);
    add_devices(&set, nnet, TG_DEV_NET);
    tg_shape_from_devset(&set, shape);
    if (strcmp(shape->text, text) != 0) {
        snprintf(why, whysize,
                 "not in canonical form: this tender-gen writes that shape "
                 "as \"%s\"",
                 shape->text);
        return -1;
    }
    return 0;
}
