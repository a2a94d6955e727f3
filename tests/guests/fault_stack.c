/* fault_stack.c: recurses without bound. The kernel stack has a guard page
 * below it, so the overflow is a page fault, reported as a stack overflow,
 * and the guest aborts (255) before it can corrupt anything. */
#include <stdio.h>

#include "solo5.h"

/* Never reached, but the compiler cannot know. */
static volatile unsigned max_depth = ~0U;

__attribute__((noinline)) static unsigned recurse(unsigned depth)
{
    volatile char frame[256];

    if (depth == max_depth)
        return 0;
    frame[0] = (char)depth;
    /* The addition after the call keeps it from being a tail call. */
    return recurse(depth + 1) + (unsigned)frame[0];
}

int solo5_app_main(const struct solo5_start_info *si)
{
    (void)si;
    printf("fault_stack: recursing without bound\n");
    printf("fault_stack: FAILURE: returned %u\n", recurse(0));
    return SOLO5_EXIT_FAILURE;
}
