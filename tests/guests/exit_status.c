/* exit_status.c: exits with the status given on its command line, or
 * calls solo5_abort() when given "abort". An empty command line exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solo5.h"

int solo5_app_main(const struct solo5_start_info *si)
{
    char *end;
    long status;

    if (strcmp(si->cmdline, "abort") == 0) {
        printf("exit_status: calling solo5_abort()\n");
        solo5_abort();
    }
    status = strtol(si->cmdline, &end, 10);
    if (*end != '\0') {
        printf("exit_status: not a number: '%s'\n", si->cmdline);
        return SOLO5_EXIT_FAILURE;
    }
    printf("exit_status: exiting with %ld\n", status);
    return (int)status;
}
