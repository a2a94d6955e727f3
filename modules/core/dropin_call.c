/* dropin_call.c: running a monitor the drop-in carries: its main(),
 * renamed, called in this process with the original command line, after
 * the audit line. Nothing is executed from a path. */
#include "dropin.h"
#include "mon_internal.h"

int dropin_run(const struct dropin_bundle *b, const struct dropin_monitor *mon,
               const char *kernel, const char *shape, int argc, char **argv)
{
    (void)b;
    /* The audit line: which approved monitor runs which guest. */
    mon_warn("running %s (shape '%s') on monitor %s", kernel, shape,
             mon->digest);
    return mon->entry(argc, argv);
}
