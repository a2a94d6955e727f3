/* serve.c: the network examples' service loop: acquire the configured
 * devices, wait for frames on all of them, answer what calls for an
 * answer, and report what each saw. */
#include <stdio.h>

#include "exnet.h"

#define MAX_FRAME (65535 + SOLO5_NET_HLEN) /* largest MTU + header */
#define IDLE_NS 1000000000ULL              /* yield at most this long */

static uint8_t frame[MAX_FRAME];

static int acquire_one(const struct exnet_app *app, struct exnet_if *ifc)
{
    const uint8_t *a = ifc->info.mac_address;

    if (solo5_net_acquire(ifc->name, &ifc->handle, &ifc->info) != SOLO5_R_OK) {
        printf("%s: no net device '%s' in the manifest\n", app->prog,
               ifc->name);
        return -1;
    }
    if (ifc->info.mtu + SOLO5_NET_HLEN > sizeof(frame)) {
        printf("%s: %s: MTU %zu is too large\n", app->prog, ifc->name,
               ifc->info.mtu);
        return -1;
    }
    printf("%s: %s: handle %u, %u.%u.%u.%u/%u, mac "
           "%02x:%02x:%02x:%02x:%02x:%02x, mtu %zu\n",
           app->prog, ifc->name, (unsigned)ifc->handle, ifc->ip[0], ifc->ip[1],
           ifc->ip[2], ifc->ip[3], ifc->prefix, a[0], a[1], a[2], a[3], a[4],
           a[5], ifc->info.mtu);
    return 0;
}

int exnet_acquire(const struct exnet_app *app)
{
    for (unsigned i = 0; i < exnet_nifs; i++)
        if (acquire_one(app, &exnet_ifs[i]) < 0)
            return -1;
    return 0;
}

/* Reads one frame from (ifc) and answers it if it calls for an answer. */
static void serve_one(const struct exnet_app *app, struct exnet_if *ifc)
{
    size_t len = 0;
    solo5_result_t r = solo5_net_read(ifc->handle, frame,
                                      ifc->info.mtu + SOLO5_NET_HLEN, &len);

    if (r == SOLO5_R_AGAIN)
        return;
    if (r != SOLO5_R_OK) {
        ifc->n.dropped++;
        return;
    }
    size_t reply = exnet_frame(app, ifc, frame, len);
    if (reply && solo5_net_write(ifc->handle, frame, reply) != SOLO5_R_OK)
        printf("%s: %s: write failed\n", app->prog, ifc->name);
}

void exnet_serve(const struct exnet_app *app)
{
    uint64_t limit;
    int limited = exnet_limit(&limit);

    while (!limited || app->answers() < limit) {
        solo5_handle_set_t ready = 0;
        solo5_yield(solo5_clock_monotonic() + IDLE_NS, &ready);
        for (unsigned i = 0; i < exnet_nifs; i++)
            if (ready & (1ULL << exnet_ifs[i].handle))
                serve_one(app, &exnet_ifs[i]);
    }
}

void exnet_report(const struct exnet_app *app)
{
    for (unsigned i = 0; i < exnet_nifs; i++) {
        const struct exnet_counts *n = &exnet_ifs[i].n;
        printf("%s: %s: frames %llu, arp answered %llu, arp ignored %llu, "
               "echo answered %llu, ignored %llu, unsupported %llu, "
               "malformed %llu, dropped %llu, delivered %llu\n",
               app->prog, exnet_ifs[i].name, (unsigned long long)n->frames,
               (unsigned long long)n->arp_answered,
               (unsigned long long)n->arp_ignored,
               (unsigned long long)n->echo_answered,
               (unsigned long long)n->ignored,
               (unsigned long long)n->unsupported,
               (unsigned long long)n->malformed, (unsigned long long)n->dropped,
               (unsigned long long)n->delivered);
    }
}
