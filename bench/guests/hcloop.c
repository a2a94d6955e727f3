/* hcloop.c: the hypercall round-trip guest for bench/run: N calls of
 * solo5_clock_wall() (one WALLTIME hypercall each, the cheapest the ABI
 * has), N from the command line, then exit 0. It prints nothing, so the
 * difference between two values of N is the cost of the calls alone, in
 * time and in guest instructions. Built with kernel/, so the count per call
 * includes the Solo5 API's own instructions. */
#include <stdlib.h>

#include "solo5.h"

int solo5_app_main(const struct solo5_start_info *si)
{
    unsigned long n = strtoul(si->cmdline, NULL, 10);
    volatile solo5_time_t last = 0; /* keeps every call */

    for (unsigned long i = 0; i < n; i++)
        last = solo5_clock_wall();
    (void)last;
    return SOLO5_EXIT_SUCCESS;
}
