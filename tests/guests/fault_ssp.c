/* fault_ssp.c: overruns a local array, as a buggy string copy would. The
 * stack protector's check fails on return and the guest aborts (255) with
 * "Stack corruption detected". */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "solo5.h"

/* Not inlined, and the length is hidden, so the compiler keeps the
 * overrun and the protector's check. */
__attribute__((noinline)) static void smash(size_t len)
{
    char buf[16];

    __asm__ __volatile__("" : "+r"(len));
    memset(buf, 'A', len);
    __asm__ __volatile__("" : : "r"(buf) : "memory");
}

int solo5_app_main(const struct solo5_start_info *si)
{
    (void)si;
    printf("fault_ssp: overrunning a 16-byte stack buffer\n");
    smash(64);
    printf("fault_ssp: FAILURE: the overrun was not detected\n");
    return SOLO5_EXIT_FAILURE;
}
