/* start.c: the spt platform's half of the boot: from the boot information
 * to tg_kernel_start(). boot.S has moved to the kernel stack and set the
 * canary and .bss. */
#include "spt.h"

const struct spt_boot_info *tg_spt_boot_info;

/* Run directly by Linux, the ELF starts with every register zero, so no
 * boot information: say what the file is instead of faulting. */
__attribute__((noreturn)) static void refuse_direct_run(void)
{
    static const char msg[] =
        "this is an spt unikernel: run it under an spt monitor\n";

    tg_syscall3(TG_SYS_write, TG_STDERR, (long)msg, sizeof msg - 1);
    tg_halt(1, NULL);
}

void tg_spt_start(const struct spt_boot_info *bi)
{
    struct tg_boot boot;

    if (bi == NULL)
        refuse_direct_run();
    tg_spt_boot_info = bi;
    /* Until the application sets up TLS, a TLS access faults on the
     * unmapped zero page, as on hvt, instead of reaching the monitor's own
     * thread data, where the FS base still points. */
    tg_syscall3(TG_SYS_arch_prctl, TG_ARCH_SET_FS, 0, 0);

    boot.mem_size = bi->mem_size;
    boot.cmdline = (const char *)(uintptr_t)bi->cmdline;
    boot.mft = (const struct mft *)(uintptr_t)bi->mft;
    tg_kernel_start(&boot);
}
