/* ping.c: a unikernel that answers ping as a host on its links would (ARP
 * for its own address and ICMP echo, see examples/lib/frame.c), and counts
 * what it saw.
 *
 * Command line (docs/design.md decision 10, examples/lib/options.c):
 *   --ipv4=ADDR/PREFIX        address of the net device named "service"
 *   --NAME-ipv4=ADDR/PREFIX   address of net device NAME
 *   --ipv4-gateway=ADDR       accepted and checked; a responder answers on
 *                             its link and needs no route
 *   --limit=N                 exit 0 after N echo replies (for tests)
 * Every configured device must be in the manifest. Prints one line per
 * device when ready, and the counts when it exits. */
#include <stdio.h>

#include "exnet.h"
#include "solo5.h"

static uint64_t ping_replies(void)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < exnet_nifs; i++)
        n += exnet_ifs[i].n.echo_answered;
    return n;
}

static const struct exnet_app ping_app = {
    .prog = "ping",
    .answers = ping_replies,
};

int solo5_app_main(const struct solo5_start_info *si)
{
    if (exnet_parse(&ping_app, si->cmdline) < 0 || exnet_acquire(&ping_app) < 0)
        return SOLO5_EXIT_FAILURE;
    printf("ping: ready\n");
    exnet_serve(&ping_app);
    exnet_report(&ping_app);
    printf("ping: SUCCESS: %llu echo replies\n",
           (unsigned long long)ping_replies());
    return SOLO5_EXIT_SUCCESS;
}
