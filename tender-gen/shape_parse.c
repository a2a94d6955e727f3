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

/* The modules list: opt-in ones go into set->modules; the others follow
 * from the device counts and are checked by the final comparison. */
static int read_modules(const char *p, struct tg_devset *set, char *why,
                        size_t whysize)
{
    while (*p) {
        size_t len = strcspn(p, ",");
        const struct tg_module *mod = tg_module_named(p, len);
        /* The modules of the set's target: tg_module_named answers for the
         * target in use, and a name means the same module in each. */
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

static void add_devices(struct tg_devset *set, unsigned n, unsigned type)
{
    for (unsigned i = 0; i < n; i++) {
        struct tg_device *d = &set->devices[set->ndevices++];
        snprintf(d->name, sizeof(d->name), "%s%u", tg_dev_type_name(type), i);
        d->type = type;
    }
}

/* The counts, "block=N net=N " in device type order; advances past them. */
static int read_counts(const char **p, unsigned *count)
{
    const struct tg_registry *reg = tg_registry();
    unsigned total = 0;
    char key[80];

    for (unsigned t = 0; t < reg->ndevtypes; t++) {
        snprintf(key, sizeof(key), "%s=", reg->devtypes[t].name);
        if (read_count(p, key, &count[t]) < 0 || *(*p)++ != ' ')
            return -1;
        total += count[t];
    }
    return total > TG_MAX_DEVICES ? -1 : 0;
}

/* "block=N net=N modules=a,b,...": the form, for the message. */
static const char *expected_form(void)
{
    static char form[256];
    const struct tg_registry *reg = tg_registry();
    size_t o = 0;

    for (unsigned t = 0; t < reg->ndevtypes; t++)
        o += (size_t)snprintf(form + o, sizeof(form) - o, "%s=N ",
                              reg->devtypes[t].name);
    snprintf(form + o, sizeof(form) - o, "modules=a,b,...");
    return form;
}

int tg_shape_parse(const char *text, struct tg_shape *shape, char *why,
                   size_t whysize)
{
    static struct tg_devset set; /* large; never used concurrently */
    unsigned count[TG_MAX_DEVTYPES] = {0};
    const char *p = text;

    memset(&set, 0, sizeof(set));
    /* A target other than hvt leads the text: "target=spt ". */
    if (strncmp(p, "target=", 7) == 0) {
        size_t len = strcspn(p + 7, " ");
        char name[16];
        snprintf(name, sizeof(name), "%.*s", (int)len, p + 7);
        int target = tg_target_named(name);
        if (target <= TG_TARGET_HVT) {
            snprintf(why, whysize,
                     "target \"%s\" is unknown, or hvt, which "
                     "the text never names",
                     name);
            return -1;
        }
        set.target = (unsigned)target;
        p += 7 + len + (p[7 + len] == ' ');
    }
    if (read_counts(&p, count) < 0 || strncmp(p, "modules=", 8) != 0) {
        snprintf(why, whysize, "not a shape (expected \"%s\")",
                 expected_form());
        return -1;
    }
    if (read_modules(p + 8, &set, why, whysize) < 0)
        return -1;
    for (unsigned t = 0; t < tg_registry()->ndevtypes; t++)
        add_devices(&set, count[t], t);
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
