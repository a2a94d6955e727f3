/* registry.c: the table of monitor modules, in canonical order. */
#include <linux/kvm.h>
#include <stddef.h>

#include "../include/tender_fds.h"

#include "devset.h"
#include "registry.h"

const struct tg_module tg_modules[] = {
    {
        .name = "core",
        .ops = NULL, /* the core is the monitor itself, not a table entry */
        .sources = {"modules/core/mon_util.c", "modules/core/elf_load.c",
                    "modules/core/kvm_x86_64.c", "modules/core/hypercalls.c",
                    "modules/core/devices.c", "modules/core/sandbox.c",
                    "modules/core/vcpu_loop.c", "modules/core/mon_main.c"},
        .syscalls =
            {
                {"ioctl",
                 "run the guest",
                 {{TG_ARG_EQ, 0, 0, MON_FD_VCPU},
                  {TG_ARG_MASKED_EQ, 1, 0xffffffff, KVM_RUN}}},
                {"ioctl",
                 "read the guest's RIP for a fault message",
                 {{TG_ARG_EQ, 0, 0, MON_FD_VCPU},
                  {TG_ARG_MASKED_EQ, 1, 0xffffffff, KVM_GET_REGS}}},
                {"write",
                 "the monitor's one-line messages",
                 {{TG_ARG_EQ, 0, 0, MON_FD_STDERR}}},
                {"writev",
                 "the same, as musl's stderr writes them",
                 {{TG_ARG_EQ, 0, 0, MON_FD_STDERR}}},
                {"clock_gettime", "WALLTIME, when the vDSO is not used", {{0}}},
                {"ppoll",
                 "POLL: wait for a deadline or a readable device",
                 {{0}}},
                {"exit_group",
                 "the guest halted, or the monitor gives up",
                 {{0}}},
            },
        .hypercalls = {{1, "HVT_HYPERCALL_WALLTIME", "mon_hc_walltime"},
                       {3, "HVT_HYPERCALL_POLL", "mon_hc_poll"},
                       {8, "HVT_HYPERCALL_HALT", "mon_hc_halt"}},
        .need = TG_NEED_ALWAYS,
    },
    {
        .name = "console",
        .ops = "mod_console",
        .sources = {"modules/console/console.c"},
        .syscalls = {{"write",
                      "the guest's console output",
                      {{TG_ARG_EQ, 0, 0, MON_FD_STDOUT}}}},
        .hypercalls = {{2, "HVT_HYPERCALL_PUTS", "mod_console_puts"}},
        .need = TG_NEED_ALWAYS,
    },
    {
        .name = "block",
        .ops = "mod_block",
        .sources = {"modules/block/block.c"},
        .syscalls =
            {{"pread64",
              "BLOCK_READ, on the block devices' descriptors",
              {{TG_ARG_MASKED_EQ, 0, MON_FD_RANGE_MASK, MON_FD_BLOCK_BASE}}},
             {"pwrite64",
              "BLOCK_WRITE, on the block devices' descriptors",
              {{TG_ARG_MASKED_EQ, 0, MON_FD_RANGE_MASK, MON_FD_BLOCK_BASE}}}},
        .hypercalls = {{4, "HVT_HYPERCALL_BLOCK_WRITE", "mod_block_write"},
                       {5, "HVT_HYPERCALL_BLOCK_READ", "mod_block_read"}},
        .need = TG_NEED_DEVICE,
        .dev_type = TG_DEV_BLOCK,
    },
    {
        .name = "net",
        .ops = "mod_net",
        .sources = {"modules/net/tap.c", "modules/net/net.c"},
        .syscalls =
            {{"readv",
              "NET_READ, on the taps' descriptors",
              {{TG_ARG_MASKED_EQ, 0, MON_FD_RANGE_MASK, MON_FD_NET_BASE}}},
             {"write",
              "NET_WRITE, on the taps' descriptors",
              {{TG_ARG_MASKED_EQ, 0, MON_FD_RANGE_MASK, MON_FD_NET_BASE}}}},
        .hypercalls = {{6, "HVT_HYPERCALL_NET_WRITE", "mod_net_write"},
                       {7, "HVT_HYPERCALL_NET_READ", "mod_net_read"}},
        .need = TG_NEED_DEVICE,
        .dev_type = TG_DEV_NET,
    },
};

const unsigned tg_nmodules = sizeof(tg_modules) / sizeof(tg_modules[0]);
