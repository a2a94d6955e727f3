/* mon_options.c: what the monitor says of an option no module took, in
 * the words every monitor uses (unknown_option.c), from its configuration. */
#include "mon_internal.h"
#include "unknown_option.h"

static const char *devtype(const void *ctx, size_t t, unsigned *max)
{
    const struct mon_config *cfg = ctx;

    *max = cfg->devtypes[t].max;
    return cfg->devtypes[t].name;
}

_Noreturn void mon_bad_option(const struct mon_config *cfg, const char *arg,
                              const char *kernel, const char *prog)
{
    const struct mon_option_facts facts = {
        .target = "hvt",
        .shape = cfg->shape,
        .opt_in = cfg->opt_in,
        .with = cfg->with,
        .foreign = "", /* every module has an hvt part */
        .core = "mem,help,version,describe",
        .ndevtypes = cfg->ndevtypes,
        .devtype = devtype,
        .ctx = cfg,
    };

    mon_unknown_option(&facts, arg, kernel, prog);
}
