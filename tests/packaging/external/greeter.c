/* greeter.c: a unikernel built against an installed tender-gen. It prints
 * a line and its command line, and exits with the number it is given. */
#include <stdio.h>
#include <stdlib.h>

#include "greeting.h"
#include "solo5.h"

int solo5_app_main(const struct solo5_start_info *si)
{
    printf("%s\n", GREETING);
    printf("cmdline: %s\n", si->cmdline);
    return atoi(si->cmdline);
}
