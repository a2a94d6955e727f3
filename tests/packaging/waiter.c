/* waiter.c: says it is ready, then waits (yielding) for as many seconds as
 * its command line says, then exits 0: a guest that is still running when
 * a test looks at its process or signals it. */
#include <stdio.h>
#include <stdlib.h>

#include "solo5.h"

#define NSEC_PER_SEC 1000000000ULL

int solo5_app_main(const struct solo5_start_info *si)
{
    solo5_time_t end = solo5_clock_monotonic() +
                       (solo5_time_t)atoi(si->cmdline) * NSEC_PER_SEC;

    printf("waiter: ready\n");
    while (solo5_clock_monotonic() < end)
        solo5_yield(end, NULL);
    printf("waiter: done\n");
    return SOLO5_EXIT_SUCCESS;
}
