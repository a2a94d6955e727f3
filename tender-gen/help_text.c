/* help_text.c: the --help text tender-gen writes into a monitor (see
 * help_text.h). */
#include <stdio.h>

#include "describe.h"
#include "help_text.h"
#include "registry.h"

void tg_emit_help(const char *decl, const struct tg_shape *shape,
                  struct tg_buf *out)
{
    struct tg_text t;
    FILE *f = tg_text_open(&t);

    fprintf(f,
            " [ CORE OPTIONS ] [ MODULE OPTIONS ] [ -- ] KERNEL [ ARGS ]\n"
            "KERNEL is the filename of the unikernel to run%s.\n"
            "ARGS are optional arguments passed to the unikernel.\n"
            "Options:\n",
            shape->target == TG_TARGET_SPT ? " (Solo5 spt)" : "");
    for (unsigned i = 0; i < shape->nmodules; i++) {
        const struct tg_option *o = shape->modules[i]->options;
        for (unsigned k = 0; k < TG_MAX_OPTIONS && o[k].name; k++)
            fprintf(f, "  [ %s ] (%s)\n", o[k].name, o[k].help);
    }
    fputs("    --help (display this help)\n"
          "    --version (display version information)\n"
          "    --describe (what this monitor is, as JSON; docs/monitor.md)\n"
          "Compiled-in modules:",
          f);
    for (unsigned i = 0; i < shape->nmodules; i++)
        fprintf(f, " %s", shape->modules[i]->name);
    fprintf(f, "\nShape: %s\n", shape->text);
    tg_text_emit(&t, decl, out);
}
