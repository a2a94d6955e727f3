/* hello.c: the smallest useful unikernel: greets, shows its command line,
 * and exits with success. */
#include <stdio.h>

#include "solo5.h"

int solo5_app_main(const struct solo5_start_info *si)
{
    printf("Hello from tender-gen!\n");
    printf("cmdline: %s\n", si->cmdline);
    return SOLO5_EXIT_SUCCESS;
}
