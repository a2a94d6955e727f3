/* ssp.c: the stack protector's canary and its failure path.
 *
 * Guest code is built with -fstack-protector-strong
 * -mstack-protector-guard=global, so the canary is this global rather than
 * %fs:0x28, which would fault while the FS base is 0. boot.S replaces the
 * value below with one derived from the TSC before any C code runs. */
#include "kernel.h"

/* Recognisable if boot.S ever failed to set it; the zero byte stops string
 * overflows from copying it. */
uintptr_t __stack_chk_guard = 0x00deadbeef0d0a00UL;

__attribute__((noreturn)) void __stack_chk_fail(void);

/* The stack is corrupt: use as little of it as possible. */
void __stack_chk_fail(void)
{
    static const char msg[] = "Solo5: ABORT: Stack corruption detected\n";

    solo5_console_write(msg, sizeof msg - 1);
    tg_halt(SOLO5_EXIT_ABORT, NULL);
}
