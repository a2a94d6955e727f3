/* dbgguest.c: the guest the debugging tests drive, one behaviour per first
 * command-line word:
 *   count  adds 1..5 into dbg_total through dbg_add(), exits 42 (default)
 *   spin   counts in dbg_spins forever, never leaving the CPU (Ctrl-C)
 *   abort  dbg_give_up() calls solo5_abort(): exit 255 without a trap
 *   fault  dbg_crash() writes through a null pointer: a page fault the
 *          kernel reports and aborts on, with a trap frame (exit 255)
 *   text   dbg_scribble() writes into its own text: the monitor stops it
 *          (exit 1)
 * The functions are noinline and the counters volatile so that they exist
 * for gdb at any optimisation level. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "solo5.h"

volatile long dbg_total;
volatile unsigned long dbg_spins;

static __attribute__((noinline)) long dbg_add(long n)
{
    dbg_total += n;
    return dbg_total;
}

static __attribute__((noinline)) void dbg_spin(void)
{
    for (;;)
        dbg_spins++;
}

static __attribute__((noinline)) void dbg_give_up(void)
{
    printf("dbgguest: giving up\n");
    solo5_abort();
}

static __attribute__((noinline)) void dbg_crash(void)
{
    volatile long *p = NULL;

    /* Hide the null from the optimiser, which would use its own trap. */
    __asm__ __volatile__("" : "+r"(p));
    *p = dbg_total;
}

static __attribute__((noinline)) void dbg_scribble(void)
{
    volatile uint8_t *text = (volatile uint8_t *)(uintptr_t)dbg_add;

    *text = 0xcc;
}

static int is(const char *cmdline, const char *word)
{
    size_t n = strlen(word);

    return strncmp(cmdline, word, n) == 0 &&
           (cmdline[n] == 0 || cmdline[n] == ' ');
}

int solo5_app_main(const struct solo5_start_info *si)
{
    const char *cmd = si->cmdline;

    if (is(cmd, "spin"))
        dbg_spin();
    if (is(cmd, "abort"))
        dbg_give_up();
    if (is(cmd, "fault"))
        dbg_crash();
    if (is(cmd, "text"))
        dbg_scribble();
    for (long i = 1; i <= 5; i++)
        dbg_add(i);
    printf("dbgguest: total %ld\n", dbg_total);
    return dbg_total == 15 ? 42 : 1;
}
