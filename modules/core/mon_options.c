/* mon_options.c: what the monitor says of an option no module took.
 * Module options are named after their module or device type ("--gdb-tcp"
 * is gdb's, "--net:" and "--no-net-ring" net's), so an option of a module
 * this monitor was built without is recognised, and the message says how
 * to get a monitor that has it. */
#include <stdio.h>
#include <string.h>

#include "mon_internal.h"

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

_Noreturn void mon_bad_option(const struct mon_config *cfg, const char *arg,
                              const char *kernel, const char *prog)
{
    const char *opt = strncmp(arg, "--", 2) == 0 ? arg + 2 : "";
    const char *mod =
        find(cfg->with, opt, 0) ? NULL : find(cfg->opt_in, opt, 0);
    const char *near = NULL;

    for (size_t t = 0; t < cfg->ndevtypes; t++) {
        const char *type = cfg->devtypes[t].name;
        if (cfg->devtypes[t].max == 0 && find(type, opt, 0))
            mon_fatal("%s: this monitor has no %s device (shape: %s): the "
                      "unikernel's manifest declares none",
                      arg, type, cfg->shape);
        if (!near && find(type, opt, 1))
            near = type;
    }
    int n = mod ? (int)strcspn(mod, ",") : 0;
    if (mod)
        mon_fatal("%s needs the %.*s module, which this monitor was built "
                  "without; build one with: tender-gen --with "
                  "%s%s%.*s %s",
                  arg, n, mod, cfg->with, *cfg->with ? "," : "", n, mod,
                  kernel);
    if (!near && !(near = find(cfg->opt_in, opt, 1)))
        near = find("mem,help,version", opt, 1);
    if (near)
        mon_fatal("invalid option: `%s'; did you mean --%.*s%.1s? (see %s "
                  "--help)",
                  arg, (int)strcspn(near, ","), near, opt + strcspn(opt, ":="),
                  prog);
    mon_fatal("invalid option: `%s' (see %s --help)", arg, prog);
}
