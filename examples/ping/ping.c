/* ping.c: a unikernel that answers ping as a host on its links would (ARP
 * and ICMP echo, see responder.c), and counts what it saw.
 *
 * Command line (design.md decision 10):
 *   --ipv4=ADDR/PREFIX        address of the net device named "service"
 *   --NAME-ipv4=ADDR/PREFIX   address of net device NAME
 *   --ipv4-gateway=ADDR       accepted and checked; a responder answers on
 *                             its link and needs no route
 *   --limit=N                 exit 0 after N echo replies (for tests)
 * Every configured device must be in the manifest. Prints one line per
 * device when ready, and the counts when it exits. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "responder.h"
#include "solo5.h"

#define PING_MAX_IF 63 /* net devices a manifest can declare */
#define PING_MAX_FRAME (65535 + SOLO5_NET_HLEN) /* largest MTU + header */
#define PING_WORD_MAX 128          /* longest command-line word we look at */
#define PING_IDLE_NS 1000000000ULL /* yield at most this long at once */

static struct ping_if ping_ifs[PING_MAX_IF];
static unsigned ping_nifs;
static uint64_t ping_limit; /* 0: run forever */
static uint8_t ping_buf[PING_MAX_FRAME];

static void ping_usage(const char *why, const char *word)
{
    printf("ping: %s%s%s\n", why, word ? ": " : "", word ? word : "");
    printf("usage: ping.hvt --ipv4=ADDR/PREFIX [--NAME-ipv4=ADDR/PREFIX]... "
           "[--ipv4-gateway=ADDR] [--limit=N]\n");
}

/* Decimal number of at most (max); returns the end, or NULL. */
static const char *ping_number(const char *s, uint64_t max, uint64_t *v)
{
    const char *p = s;

    *v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        *v = *v * 10 + (uint64_t)(*p - '0');
        if (*v > max || p - s >= 20)
            return NULL;
    }
    return p == s ? NULL : p;
}

/* "A.B.C.D" at (s); returns the end, or NULL. */
static const char *ping_addr(const char *s, uint8_t ip[4])
{
    uint64_t v;

    for (int i = 0; i < 4; i++) {
        if (i > 0 && *s++ != '.')
            return NULL;
        s = ping_number(s, 255, &v);
        if (!s)
            return NULL;
        ip[i] = (uint8_t)v;
    }
    return s;
}

static int ping_add_if(const char *name, const char *value)
{
    struct ping_if *ifc = &ping_ifs[ping_nifs];
    uint64_t prefix;
    const char *end = ping_addr(value, ifc->ip);

    if (!end || *end != '/' || !(end = ping_number(end + 1, 32, &prefix)) ||
        *end) {
        ping_usage("expected ADDR/PREFIX", value);
        return -1;
    }
    for (unsigned i = 0; i < ping_nifs; i++)
        if (strcmp(ping_ifs[i].name, name) == 0) {
            ping_usage("device configured twice", name);
            return -1;
        }
    if (ping_nifs == PING_MAX_IF) {
        ping_usage("too many devices", name);
        return -1;
    }
    ifc->name = name;
    ifc->prefix = (unsigned)prefix;
    ping_nifs++;
    return 0;
}

/* One word of the command line, NUL-terminated in place. */
static int ping_option(char *w)
{
    uint8_t gw[4];
    const char *end;
    char *suffix;

    if (strncmp(w, "--ipv4=", 7) == 0)
        return ping_add_if("service", w + 7);
    if (strncmp(w, "--ipv4-gateway=", 15) == 0) {
        end = ping_addr(w + 15, gw);
        if (end && !*end)
            return 0;
        ping_usage("expected a gateway ADDR", w);
        return -1;
    }
    if (strncmp(w, "--limit=", 8) == 0) {
        end = ping_number(w + 8, UINT32_MAX, &ping_limit);
        if (end && !*end && ping_limit > 0)
            return 0;
        ping_usage("expected a positive --limit", w);
        return -1;
    }
    /* --NAME-ipv4=: NAME ends at the last "-ipv4=". */
    suffix = strchr(w, '=');
    if (strncmp(w, "--", 2) == 0 && suffix && suffix - w > 7 &&
        strncmp(suffix - 5, "-ipv4", 5) == 0) {
        suffix[-5] = 0;
        return ping_add_if(w + 2, suffix + 1);
    }
    ping_usage("unknown argument", w);
    return -1;
}

/* Splits (cmdline) into words separated by spaces, in a copy. */
static int ping_parse(const char *cmdline)
{
    static char copy[8192];
    char *p = copy;

    snprintf(copy, sizeof(copy), "%s", cmdline);
    while (*p) {
        if (*p == ' ') {
            p++;
            continue;
        }
        char *w = p;
        while (*p && *p != ' ')
            p++;
        if (*p)
            *p++ = 0;
        if (ping_option(w) < 0)
            return -1;
    }
    if (ping_nifs == 0) {
        ping_usage("no address given", NULL);
        return -1;
    }
    return 0;
}

static int ping_acquire(struct ping_if *ifc)
{
    const uint8_t *a = ifc->info.mac_address;

    if (solo5_net_acquire(ifc->name, &ifc->handle, &ifc->info) != SOLO5_R_OK) {
        printf("ping: no net device '%s' in the manifest\n", ifc->name);
        return -1;
    }
    if (ifc->info.mtu + SOLO5_NET_HLEN > sizeof(ping_buf)) {
        printf("ping: %s: MTU %zu is too large\n", ifc->name, ifc->info.mtu);
        return -1;
    }
    printf("ping: %s: handle %u, %u.%u.%u.%u/%u, mac "
           "%02x:%02x:%02x:%02x:%02x:%02x, mtu %zu\n",
           ifc->name, (unsigned)ifc->handle, ifc->ip[0], ifc->ip[1], ifc->ip[2],
           ifc->ip[3], ifc->prefix, a[0], a[1], a[2], a[3], a[4], a[5],
           ifc->info.mtu);
    return 0;
}

/* Reads one frame from (ifc) and answers it if it calls for an answer. */
static void ping_service(struct ping_if *ifc)
{
    size_t len = 0;
    solo5_result_t r = solo5_net_read(ifc->handle, ping_buf,
                                      ifc->info.mtu + SOLO5_NET_HLEN, &len);

    if (r == SOLO5_R_AGAIN)
        return;
    if (r != SOLO5_R_OK) {
        ifc->n.dropped++;
        return;
    }
    size_t reply = ping_frame(ifc, ping_buf, len);
    if (reply && solo5_net_write(ifc->handle, ping_buf, reply) != SOLO5_R_OK)
        printf("ping: %s: write failed\n", ifc->name);
}

static uint64_t ping_replies(void)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < ping_nifs; i++)
        n += ping_ifs[i].n.echo_answered;
    return n;
}

static void ping_report(void)
{
    for (unsigned i = 0; i < ping_nifs; i++) {
        const struct ping_counts *n = &ping_ifs[i].n;
        printf(
            "ping: %s: frames %llu, arp answered %llu, arp ignored %llu, "
            "echo answered %llu, ignored %llu, unsupported %llu, "
            "malformed %llu, dropped %llu\n",
            ping_ifs[i].name, (unsigned long long)n->frames,
            (unsigned long long)n->arp_answered,
            (unsigned long long)n->arp_ignored,
            (unsigned long long)n->echo_answered,
            (unsigned long long)n->ignored, (unsigned long long)n->unsupported,
            (unsigned long long)n->malformed, (unsigned long long)n->dropped);
    }
}

int solo5_app_main(const struct solo5_start_info *si)
{
    if (ping_parse(si->cmdline) < 0)
        return SOLO5_EXIT_FAILURE;
    for (unsigned i = 0; i < ping_nifs; i++)
        if (ping_acquire(&ping_ifs[i]) < 0)
            return SOLO5_EXIT_FAILURE;
    printf("ping: ready\n");
    while (ping_limit == 0 || ping_replies() < ping_limit) {
        solo5_handle_set_t ready = 0;
        solo5_yield(solo5_clock_monotonic() + PING_IDLE_NS, &ready);
        for (unsigned i = 0; i < ping_nifs; i++)
            if (ready & (1ULL << ping_ifs[i].handle))
                ping_service(&ping_ifs[i]);
    }
    ping_report();
    printf("ping: SUCCESS: %llu echo replies\n",
           (unsigned long long)ping_replies());
    return SOLO5_EXIT_SUCCESS;
}
