/* unknown_option.c: what a monitor says of an option no part of it took
 * (see unknown_option.h). */
#include <string.h>

#include "unknown_option.h"

/* True when option (opt), past its "--", is named after (name, len). */
static int named_after(const char *opt, const char *name, size_t len)
{
    if (strncmp(opt, "no-", 3) == 0)
        opt += 3;
    return strncmp(opt, name, len) == 0 && strchr("-:=", opt[len]);
}

/* True when (a, la) is one edit from (b, lb): a character replaced,
 * inserted or deleted, or two neighbours swapped ("nte" for "net"). */
static int one_edit(const char *a, size_t la, const char *b, size_t lb)
{
    size_t i = 0;

    while (i < la && i < lb && a[i] == b[i])
        i++;
    if (la == lb && i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i])
        return !strncmp(a + i + 2, b + i + 2, la - i - 2);
    if (la == lb)
        return i < la && !strncmp(a + i + 1, b + i + 1, la - i - 1);
    if (la == lb + 1)
        return !strncmp(a + i + 1, b + i, lb - i);
    return lb == la + 1 && !strncmp(a + i, b + i + 1, la - i);
}

/* In (list), names separated by commas: the first for which (opt) is
 * named after it (near == 0) or one edit from it (near == 1), or NULL. */
static const char *find(const char *list, const char *opt, int near)
{
    size_t len = strcspn(opt, ":=");

    for (const char *p = list; *p; p += strcspn(p, ","), p += *p == ',') {
        size_t n = strcspn(p, ",");
        if (near ? one_edit(opt, len, p, n) : named_after(opt, p, n))
            return p;
    }
    return NULL;
}

/* An option of a device type the monitor serves none of is refused; the
 * type (opt) is one edit from, if any, is returned. */
static const char *check_devtypes(const struct mon_option_facts *f,
                                  const char *arg, const char *opt)
{
    const char *type = find(f->absent, opt, 0);

    if (type)
        mon_fatal("%s: this monitor has no %.*s device (shape: %s): the "
                  "unikernel's manifest declares none",
                  arg, (int)strcspn(type, ","), type, f->shape);
    return find(f->devtypes, opt, 1);
}

_Noreturn void mon_unknown_option(const struct mon_option_facts *f,
                                  const char *arg, const char *kernel,
                                  const char *prog)
{
    const char *opt = strncmp(arg, "--", 2) == 0 ? arg + 2 : "";
    const char *near = check_devtypes(f, arg, opt);
    const char *mod = find(f->foreign, opt, 0);
    int n = mod ? (int)strcspn(mod, ",") : 0;

    if (mod)
        mon_fatal("%s needs the %.*s module, which the %s target does not "
                  "have: %s monitors cannot include it",
                  arg, n, mod, f->target, f->target);
    mod = find(f->with, opt, 0) ? NULL : find(f->opt_in, opt, 0);
    n = mod ? (int)strcspn(mod, ",") : 0;
    if (mod)
        mon_fatal("%s needs the %.*s module, which this monitor was built "
                  "without; build one with: tender-gen --with "
                  "%s%s%.*s %s",
                  arg, n, mod, f->with, *f->with ? "," : "", n, mod, kernel);
    if (!near && !(near = find(f->opt_in, opt, 1)))
        near = find(f->core, opt, 1);
    if (near)
        mon_fatal("invalid option: `%s'; did you mean --%.*s%.1s? (see %s "
                  "--help)",
                  arg, (int)strcspn(near, ","), near, opt + strcspn(opt, ":="),
                  prog);
    mon_fatal("invalid option: `%s' (see %s --help)", arg, prog);
}
