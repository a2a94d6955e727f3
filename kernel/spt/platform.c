/* platform.c: the spt console, exit and thread pointer. */
#include "spt.h"

/* Standard output is the console. A short write (a pipe that is nearly
 * full) sends the rest; an error drops the message, as the console has
 * no way to report one. */
void solo5_console_write(const char *buf, size_t size)
{
    while (size > 0) {
        long n = tg_syscall3(TG_SYS_write, TG_STDOUT, (long)buf, (long)size);

        if (n == -TG_EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        size -= (size_t)n;
    }
}

/* The exit status is the process's; there is no monitor left to read a
 * cookie. */
void tg_halt(int status, void *cookie)
{
    (void)cookie;
    for (;;)
        tg_syscall3(TG_SYS_exit_group, status, 0, 0);
}

solo5_result_t solo5_set_tls_base(uintptr_t base)
{
    long rc = tg_syscall3(TG_SYS_arch_prctl, TG_ARCH_SET_FS, (long)base, 0);

    return rc == 0 ? SOLO5_R_OK : SOLO5_R_EINVAL;
}
