/* fault_text.c: writes to its own code. The guest's page tables map text
 * writable; the monitor maps it read-only on the host, so the write stops
 * the guest from outside (monitor exit 1, not a guest trap). */
#include <stdint.h>
#include <stdio.h>

#include "solo5.h"

int solo5_app_main(const struct solo5_start_info *si)
{
    volatile uint8_t *text = (volatile uint8_t *)(uintptr_t)solo5_app_main;

    (void)si;
    printf("fault_text: writing to text at %p\n", (void *)(uintptr_t)text);
    *text = 0xcc;
    printf("fault_text: FAILURE: the write did not fault\n");
    return SOLO5_EXIT_FAILURE;
}
