/* fault_above.c: reads the first byte above guest memory (the end of the
 * heap). Nothing is mapped there, so the guest takes a page fault with
 * cr2 = the memory size and aborts (255). */
#include <stdint.h>
#include <stdio.h>

#include "solo5.h"

int solo5_app_main(const struct solo5_start_info *si)
{
    volatile uint8_t *above =
        (volatile uint8_t *)(si->heap_start + si->heap_size);

    printf("fault_above: reading %p, just above guest memory\n",
           (void *)(uintptr_t)above);
    printf("fault_above: FAILURE: read 0x%x\n", *above);
    return SOLO5_EXIT_FAILURE;
}
