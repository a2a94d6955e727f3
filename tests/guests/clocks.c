/* clocks.c: checks the clocks and yield. Prints one SUCCESS or FAILURE line
 * per check and a final verdict; exits 0 only if every check passed.
 * Only lower bounds on time are checked: a loaded host may run us late. */
#include <stdbool.h>
#include <stdio.h>

#include "solo5.h"

#define NSEC_PER_SEC 1000000000ULL
#define READS 1000
/* 2020-01-01T00:00:00Z */
#define WALL_2020 (1577836800ULL * NSEC_PER_SEC)
#define YIELD_NS (100ULL * 1000 * 1000)

static bool failed;

static void check(bool ok, const char *what)
{
    printf("clocks: %s: %s\n", ok ? "SUCCESS" : "FAILURE", what);
    if (!ok)
        failed = true;
}

static bool monotonic_never_goes_back(void)
{
    solo5_time_t prev = solo5_clock_monotonic();

    for (int i = 0; i < READS; i++) {
        solo5_time_t now = solo5_clock_monotonic();

        if (now < prev)
            return false;
        prev = now;
    }
    return true;
}

/* Yields until a deadline; true if it did not return before it. */
static bool yield_waits(solo5_time_t timeout_ns)
{
    solo5_time_t deadline = solo5_clock_monotonic() + timeout_ns;
    solo5_handle_set_t ready = ~0ULL;

    solo5_yield(deadline, &ready);
    return solo5_clock_monotonic() >= deadline && ready == 0;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    solo5_time_t start = solo5_clock_monotonic();
    solo5_time_t wall;

    (void)si;
    check(monotonic_never_goes_back(), "monotonic never goes backwards");
    check(yield_waits(YIELD_NS), "yield returns no earlier than its deadline");
    check(yield_waits(0), "yield with a past deadline returns");
    check(solo5_clock_monotonic() - start >= YIELD_NS,
          "monotonic advances across yield");
    wall = solo5_clock_wall();
    printf("clocks: wall clock: %llu s since the epoch\n",
           (unsigned long long)(wall / NSEC_PER_SEC));
    check(wall >= WALL_2020, "wall clock is after 2020");
    printf("clocks: %s\n", failed ? "FAILURE" : "SUCCESS");
    return failed ? SOLO5_EXIT_FAILURE : SOLO5_EXIT_SUCCESS;
}
