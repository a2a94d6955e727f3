/* ringping.c: examples/ping (compiled here with its solo5_app_main renamed
 * ping_app_main) with the way its frames travel chosen on the command
 * line: a first word --net=ring (always the ring, as Solo5's library does),
 * --net=hypercalls or --net=auto (kernel/'s measured choice, the default)
 * sets solo5_ext_net_policy(); the rest goes to ping. */
#include <stdio.h>
#include <string.h>

#include "solo5.h"
#include "solo5_ext.h"

int ping_app_main(const struct solo5_start_info *si);

static const struct {
    const char *word;
    enum solo5_ext_net_policy policy;
} policies[] = {
    {"--net=ring", SOLO5_EXT_NET_RING},
    {"--net=hypercalls", SOLO5_EXT_NET_HYPERCALLS},
    {"--net=auto", SOLO5_EXT_NET_AUTO},
};

int solo5_app_main(const struct solo5_start_info *si)
{
    struct solo5_start_info rest = *si;

    for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
        size_t n = strlen(policies[i].word);
        if (strncmp(si->cmdline, policies[i].word, n) == 0 &&
            (si->cmdline[n] == ' ' || si->cmdline[n] == 0)) {
            solo5_ext_net_policy(policies[i].policy);
            rest.cmdline = si->cmdline + n + (si->cmdline[n] == ' ');
            printf("ringping: %s\n", policies[i].word);
            break;
        }
    }
    return ping_app_main(&rest);
}
