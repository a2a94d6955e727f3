/* platform.c: the hvt console, exit and thread pointer. */
#include "hvt.h"

#define MSR_FS_BASE 0xc0000100

void solo5_console_write(const char *buf, size_t size)
{
    volatile struct hvt_hc_puts puts;

    puts.data = tg_gpa(buf);
    puts.len = size;
    tg_hypercall(HVT_HYPERCALL_PUTS, &puts);
}

void tg_halt(int status, void *cookie)
{
    volatile struct hvt_hc_halt halt;

    halt.cookie = tg_gpa(cookie);
    halt.exit_status = status;
    tg_hypercall(HVT_HYPERCALL_HALT, &halt);
    /* HALT never returns; should a monitor resume us anyway, stay put. */
    for (;;)
        __asm__ __volatile__("hlt");
}

solo5_result_t solo5_set_tls_base(uintptr_t base)
{
    __asm__ __volatile__("wrmsr"
                         :
                         : "c"(MSR_FS_BASE), "a"((uint32_t)base),
                           "d"((uint32_t)(base >> 32)));
    return SOLO5_R_OK;
}
