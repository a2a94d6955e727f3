/* exnet.h: what the network examples (ping, udp-echo, multi) share: a
 * host's part on an Ethernet link for IPv4 (ARP for its own address, ICMP
 * echo, the IPv4 checks), the Internet checksum, the command line of
 * docs/design.md decision 10, and the service loop.
 *
 * Integer arithmetic only (floating point kills guests on some hosts).
 * Packet fields are read and written a byte at a time, in network order,
 * so no alignment is assumed. */
#ifndef EXNET_H
#define EXNET_H

#include <stddef.h>
#include <stdint.h>

#include "solo5.h"

/* Guests build freestanding (which implies -fno-builtin), where memcpy and
 * memcmp are calls; the builtins make a fixed-size copy or comparison a
 * load or two, which counts on a host that emulates guest instructions.
 * For small fixed sizes only. */
#define EXNET_COPY(d, s, n) __builtin_memcpy((d), (s), (n))
#define EXNET_SAME(a, b, n) (__builtin_memcmp((a), (b), (n)) == 0)

#define EXNET_MAX_IF 63 /* net devices a manifest can declare */
#define EXNET_IPV4_HLEN 20
#define EXNET_PROTO_ICMP 1
#define EXNET_PROTO_UDP 17

/* What one interface saw. Every frame read counts in frames and in exactly
 * one of the counts from arp_answered to delivered. */
struct exnet_counts {
    uint64_t frames;        /* frames read */
    uint64_t arp_answered;  /* ARP requests for our address */
    uint64_t arp_ignored;   /* other ARP: for other addresses, replies */
    uint64_t echo_answered; /* ICMP echo requests to our address */
    uint64_t ignored;       /* for other IPv4 addresses or other MACs */
    uint64_t unsupported;   /* to us, but nothing here serves it */
    uint64_t malformed;     /* truncated, or a bad IPv4 or ICMP checksum */
    uint64_t dropped;       /* refused by the monitor (frame too big) */
    uint64_t delivered;     /* handed to the application's protocol */
};

struct exnet_if {
    const char *name; /* the net device's name in the manifest */
    solo5_handle_t handle;
    struct solo5_net_info info;
    uint8_t ip[4];   /* our IPv4 address, network order */
    unsigned prefix; /* its prefix length, shown only */
    struct exnet_counts n;
};

/* An IPv4 packet addressed to us, its header checked (20 bytes, no
 * options, not a fragment, header checksum right). */
struct exnet_packet {
    uint8_t *frame;   /* the Ethernet frame */
    uint8_t *ip;      /* its IPv4 header */
    uint8_t *payload; /* what follows the IPv4 header */
    size_t len;       /* payload bytes, by the IPv4 total length */
};

/* An application's service for one more IP protocol: handles (pkt) read
 * from (ifc); builds its reply's payload in place at pkt->payload and
 * returns its length, or returns 0 for no reply. */
typedef size_t (*exnet_proto_fn)(struct exnet_if *ifc,
                                 const struct exnet_packet *pkt);

/* What an application adds to the shared parts. */
struct exnet_app {
    const char *prog;  /* prefixes every line it prints, e.g. "ping" */
    const char *usage; /* its own options, for the usage line */
    uint8_t proto;     /* the IP protocol (handler) serves, if any */
    exnet_proto_fn handler;
    /* Its own command-line word (w), NUL-terminated, writable: returns 1
     * when taken, 0 when not its own, -1 when its own but bad (the usage
     * is printed). May be NULL. */
    int (*option)(char *w);
    /* How many answers it has given, for --limit. */
    uint64_t (*answers)(void);
};

/* The interfaces the command line configured, in its order. */
extern struct exnet_if exnet_ifs[EXNET_MAX_IF];
extern unsigned exnet_nifs;

/* --- checksum.c: the Internet checksum (RFC 1071) ---------------------- */

/* The ones'-complement sum of (p, len) added to (sum), folded to 16 bits,
 * in native byte order: store ~sum with memcpy and it is in network order.
 * (p) must start at an even offset from the start of what is summed. */
uint16_t exnet_sum(const uint8_t *p, size_t len, uint16_t sum);

/* Ones'-complement addition of two 16-bit sums. */
static inline uint16_t exnet_sum_add(uint16_t a, uint16_t b)
{
    uint32_t s = (uint32_t)a + b;

    return (uint16_t)((s & 0xffff) + (s >> 16));
}

/* --- frame.c: Ethernet, ARP, IPv4, ICMP echo --------------------------- */

uint16_t exnet_get16(const uint8_t *p);
void exnet_put16(uint8_t *p, uint16_t v);

/* Handles the frame (f, len) read from (ifc): answers ARP for our address
 * and ICMP echo to it, hands (app)'s protocol to its handler. When it
 * calls for an answer, builds the answer in place and returns its length;
 * otherwise returns 0. Updates ifc->n. */
size_t exnet_frame(const struct exnet_app *app, struct exnet_if *ifc,
                   uint8_t *f, size_t len);

/* --- options.c: the command line --------------------------------------- */

/* Decimal number of at most (max) at (s); returns the end, or NULL. */
const char *exnet_number(const char *s, uint64_t max, uint64_t *v);

/* Prints "PROG: WHY: WORD" and the usage line. */
void exnet_usage(const struct exnet_app *app, const char *why,
                 const char *word);

/* Parses (cmdline): --ipv4=ADDR/PREFIX (device "service"),
 * --NAME-ipv4=ADDR/PREFIX, --ipv4-gateway=ADDR, --limit=N (stop after N
 * answers; 0 stops before serving) and (app)'s own words. Returns 0, or -1
 * after printing why. */
int exnet_parse(const struct exnet_app *app, const char *cmdline);

/* 1 and the limit in (n) when --limit was given, else 0. */
int exnet_limit(uint64_t *n);

/* --- serve.c: the service loop ----------------------------------------- */

/* Acquires every configured interface and prints one line for each.
 * Returns 0, or -1 after printing why. */
int exnet_acquire(const struct exnet_app *app);

/* Serves every interface until (app) has given --limit answers (forever
 * without a limit). */
void exnet_serve(const struct exnet_app *app);

/* Prints each interface's counts. */
void exnet_report(const struct exnet_app *app);

#endif /* EXNET_H */
