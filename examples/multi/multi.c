/* multi.c: a unikernel with two NICs and two disks, to show several
 * devices of one type at work, each through its own handle. At start it
 * writes a record to each disk and reads them all back (disks.c); then it
 * answers ARP and ping on both NICs (examples/lib) and counts, per NIC,
 * what it saw.
 *
 * Command line (docs/design.md decision 10, examples/lib/options.c):
 *   --service0-ipv4=ADDR/PREFIX   address of the NIC service0
 *   --service1-ipv4=ADDR/PREFIX   address of the NIC service1
 *   --limit=N                     exit 0 after N echo replies in all; 0:
 *                                 right after the disks are done
 * Exit status 0, or 1 when a device is missing or a disk fails. */
#include <stdio.h>

#include "disks.h"
#include "exnet.h"
#include "solo5.h"

static uint64_t multi_replies(void)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < exnet_nifs; i++)
        n += exnet_ifs[i].n.echo_answered;
    return n;
}

static const struct exnet_app multi_app = {
    .prog = "multi",
    .answers = multi_replies,
};

int solo5_app_main(const struct solo5_start_info *si)
{
    if (exnet_parse(&multi_app, si->cmdline) < 0 || multi_disks() < 0 ||
        exnet_acquire(&multi_app) < 0)
        return SOLO5_EXIT_FAILURE;
    printf("multi: ready\n");
    exnet_serve(&multi_app);
    exnet_report(&multi_app);
    printf("multi: SUCCESS: %llu echo replies\n",
           (unsigned long long)multi_replies());
    return SOLO5_EXIT_SUCCESS;
}
