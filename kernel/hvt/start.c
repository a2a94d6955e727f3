/* start.c: the hvt platform's half of the boot: from the boot info to
 * tg_kernel_start(). boot.S has set up the CPU (stack, canary, GDT, TSS,
 * IDT, FS base, .bss). */
#include "hvt.h"

const struct hvt_boot_info *tg_boot_info;

void tg_start(const struct hvt_boot_info *bi)
{
    struct tg_boot boot = {
        .mem_size = bi->mem_size,
        .cmdline = (const char *)(uintptr_t)bi->cmdline,
        .mft = (const struct mft *)(uintptr_t)bi->mft,
    };

    tg_boot_info = bi;
    tg_clock_init(bi->cpu_cycle_freq);
    tg_kernel_start(&boot);
}
