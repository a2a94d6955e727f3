/* fault_null.c: writes through a null pointer. Page 0 is not mapped, so
 * the guest takes a page fault (cr2=0x0) and aborts with status 255. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "solo5.h"

int solo5_app_main(const struct solo5_start_info *si)
{
    volatile int *p = NULL;

    (void)si;
    /* Hide the null from the optimiser, which could otherwise replace the
     * store with a trap instruction of its own. */
    __asm__ __volatile__("" : "+r"(p));
    printf("fault_null: writing to address %p\n", (void *)(uintptr_t)p);
    *p = 42;
    printf("fault_null: FAILURE: the write did not fault\n");
    return SOLO5_EXIT_FAILURE;
}
