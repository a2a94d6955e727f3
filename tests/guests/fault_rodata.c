/* fault_rodata.c: writes to its own read-only data. Like fault_text: the
 * monitor maps rodata read-only on the host, so it stops the guest (exit
 * 1). */
#include <stdint.h>
#include <stdio.h>

#include "solo5.h"

static const char message[] = "read-only";

int solo5_app_main(const struct solo5_start_info *si)
{
    volatile char *p = (volatile char *)(uintptr_t)message;

    (void)si;
    printf("fault_rodata: writing to rodata at %p\n", (void *)(uintptr_t)p);
    *p = 'R';
    printf("fault_rodata: FAILURE: the write did not fault (%s)\n", message);
    return SOLO5_EXIT_FAILURE;
}
