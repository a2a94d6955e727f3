/* registry.c: the table of monitor modules, in canonical order. */
#include <stddef.h>

#include "devset.h"
#include "registry.h"

const struct tg_module tg_modules[] = {
    {
        .name = "core",
        .ops = NULL, /* the core is the monitor itself, not a table entry */
        .sources = {"modules/core/mon_util.c", "modules/core/elf_load.c",
                    "modules/core/kvm_x86_64.c", "modules/core/hypercalls.c",
                    "modules/core/devices.c", "modules/core/vcpu_loop.c",
                    "modules/core/mon_main.c"},
        .hypercalls = {{1, "HVT_HYPERCALL_WALLTIME", "mon_hc_walltime"},
                       {3, "HVT_HYPERCALL_POLL", "mon_hc_poll"},
                       {8, "HVT_HYPERCALL_HALT", "mon_hc_halt"}},
        .need = TG_NEED_ALWAYS,
    },
    {
        .name = "console",
        .ops = "mod_console",
        .sources = {"modules/console/console.c"},
        .hypercalls = {{2, "HVT_HYPERCALL_PUTS", "mod_console_puts"}},
        .need = TG_NEED_ALWAYS,
    },
    /* block module entry (modules/block/) goes here */
    /* net module entry (modules/net/) goes here */
};

const unsigned tg_nmodules = sizeof(tg_modules) / sizeof(tg_modules[0]);
