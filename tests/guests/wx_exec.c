/* wx_exec.c: calls a `ret` instruction placed where no code belongs, chosen
 * by its argument: rodata, data, heap (above kernel_end), stack, or boot
 * (the boot info, below 1 MiB). The monitor's page tables mark every page
 * outside the executable segments no-execute, so each call is an
 * instruction-fetch page fault (error code bit 0x10) at that address, and
 * the guest aborts (255). Returning means the code ran: FAILURE, exit 1.
 * Solo5's test_rnox and test_wnox make the same calls into .rodata and
 * .data. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "solo5.h"

#define RET 0xc3
#define BOOT_INFO 0x10000 /* where every hvt monitor puts the boot info */

static const uint8_t rodata_code[16] = {RET};
static uint8_t data_code[16];

typedef void (*code_fn)(void);

static int call(const char *where, volatile uint8_t *code)
{
    code_fn fn = (code_fn)(uintptr_t)code;

    printf("wx_exec: calling code in %s at %p\n", where,
           (void *)(uintptr_t)code);
    fn();
    printf("wx_exec: FAILURE: code in %s ran\n", where);
    return SOLO5_EXIT_FAILURE;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    const char *where = si->cmdline;
    volatile uint8_t stack_code[16];

    if (strcmp(where, "rodata") == 0)
        return call(where, (volatile uint8_t *)(uintptr_t)rodata_code);
    if (strcmp(where, "data") == 0) {
        data_code[0] = RET; /* written at run time: stays in writable data */
        return call(where, data_code);
    }
    if (strcmp(where, "heap") == 0) {
        volatile uint8_t *heap = (volatile uint8_t *)si->heap_start;
        heap[0] = RET;
        return call(where, heap);
    }
    if (strcmp(where, "stack") == 0) {
        stack_code[0] = RET;
        return call(where, stack_code);
    }
    if (strcmp(where, "boot") == 0)
        return call(where, (volatile uint8_t *)(uintptr_t)BOOT_INFO);
    printf("wx_exec: FAILURE: unknown place '%s'\n", where);
    return SOLO5_EXIT_FAILURE;
}
