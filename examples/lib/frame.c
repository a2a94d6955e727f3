/* frame.c: one interface's part on an Ethernet link, the way a host plays
 * it: ARP requests answered only for its own address, IPv4 packets taken
 * only when sent to its address and MAC, ICMP echo answered with the
 * payload untouched, one more protocol handed to the application.
 *
 * Checksums are verified on the way in. Every guest instruction costs time
 * on a host that emulates them, so the echo reply's checksum is updated,
 * not recomputed (RFC 1624). */
#include "exnet.h"

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806

#define ARP_LEN 28 /* Ethernet/IPv4 ARP */
#define ARP_REQUEST 1
#define ARP_REPLY 2

#define IPV4_FRAG_MASK 0x3fff /* more-fragments flag and offset */
#define IPV4_TTL 64

#define ICMP_HLEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

static const uint8_t broadcast[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

uint16_t exnet_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

void exnet_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The Ethernet header of a reply to (f): back to its sender, from us. */
static void reply_ethernet(const struct exnet_if *ifc, uint8_t *f)
{
    EXNET_COPY(f, f + ETH_ALEN, ETH_ALEN);
    EXNET_COPY(f + ETH_ALEN, ifc->info.mac_address, ETH_ALEN);
}

static size_t arp(struct exnet_if *ifc, uint8_t *f, size_t len)
{
    uint8_t *a = f + ETH_HLEN;

    if (len < ETH_HLEN + ARP_LEN || exnet_get16(a) != 1 ||
        exnet_get16(a + 2) != ETHERTYPE_IPV4 || a[4] != ETH_ALEN || a[5] != 4) {
        ifc->n.malformed++;
        return 0;
    }
    if (exnet_get16(a + 6) != ARP_REQUEST || !EXNET_SAME(a + 24, ifc->ip, 4)) {
        ifc->n.arp_ignored++;
        return 0;
    }
    /* The reply's target is the request's sender; we are its sender. */
    EXNET_COPY(a + 18, a + 8, ETH_ALEN);
    EXNET_COPY(a + 24, a + 14, 4);
    EXNET_COPY(a + 8, ifc->info.mac_address, ETH_ALEN);
    EXNET_COPY(a + 14, ifc->ip, 4);
    exnet_put16(a + 6, ARP_REPLY);
    reply_ethernet(ifc, f);
    ifc->n.arp_answered++;
    return ETH_HLEN + ARP_LEN;
}

/* Turns (pkt) into the IPv4 reply carrying (payload_len) bytes of payload,
 * already in place, back to its sender; returns the frame's length. */
static size_t reply_ipv4(const struct exnet_if *ifc,
                         const struct exnet_packet *pkt, size_t payload_len)
{
    uint8_t *ip = pkt->ip;
    uint16_t sum;

    EXNET_COPY(ip + 16, ip + 12, 4);
    EXNET_COPY(ip + 12, ifc->ip, 4);
    exnet_put16(ip + 2, (uint16_t)(EXNET_IPV4_HLEN + payload_len));
    ip[8] = IPV4_TTL;
    exnet_put16(ip + 10, 0);
    sum = (uint16_t)~exnet_sum(ip, EXNET_IPV4_HLEN, 0);
    EXNET_COPY(ip + 10, &sum, 2); /* native-order sum: a copy keeps it right */
    reply_ethernet(ifc, pkt->frame);
    return ETH_HLEN + EXNET_IPV4_HLEN + payload_len;
}

/* ICMP in (pkt): answers echo requests, payload untouched. */
static size_t icmp(struct exnet_if *ifc, const struct exnet_packet *pkt)
{
    uint8_t *icmp = pkt->payload;

    if (pkt->len < ICMP_HLEN || exnet_sum(icmp, pkt->len, 0) != 0xffff) {
        ifc->n.malformed++;
        return 0;
    }
    if (icmp[0] != ICMP_ECHO_REQUEST || icmp[1] != 0) {
        ifc->n.unsupported++;
        return 0;
    }
    /* Type 8 becomes 0: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), with m
     * the old type/code word and m' the new one (network order here). */
    uint16_t sum = exnet_sum_add((uint16_t)~exnet_get16(icmp + 2),
                                 (uint16_t) ~(ICMP_ECHO_REQUEST << 8));
    sum = exnet_sum_add(sum, ICMP_ECHO_REPLY << 8);
    icmp[0] = ICMP_ECHO_REPLY;
    exnet_put16(icmp + 2, (uint16_t)~sum);
    ifc->n.echo_answered++;
    return reply_ipv4(ifc, pkt, pkt->len);
}

/* Checks the IPv4 header at (f + ETH_HLEN) and fills (pkt); returns 0, or
 * -1 after counting why it was not taken. */
static int ipv4_check(struct exnet_if *ifc, uint8_t *f, size_t len,
                      struct exnet_packet *pkt)
{
    uint8_t *ip = f + ETH_HLEN;
    size_t avail = len - ETH_HLEN;

    if (avail < EXNET_IPV4_HLEN || ip[0] >> 4 != 4) {
        ifc->n.malformed++;
        return -1;
    }
    size_t hlen = (size_t)(ip[0] & 0xf) * 4;
    size_t total = exnet_get16(ip + 2);
    if (hlen < EXNET_IPV4_HLEN || total < hlen || total > avail ||
        exnet_sum(ip, hlen, 0) != 0xffff) {
        ifc->n.malformed++;
        return -1;
    }
    if (!EXNET_SAME(ip + 16, ifc->ip, 4) ||
        !EXNET_SAME(f, ifc->info.mac_address, ETH_ALEN)) {
        ifc->n.ignored++;
        return -1;
    }
    /* Options and fragments are legal but not worth the instructions
     * these small services would spend on them. */
    if (hlen != EXNET_IPV4_HLEN || (exnet_get16(ip + 6) & IPV4_FRAG_MASK)) {
        ifc->n.unsupported++;
        return -1;
    }
    pkt->frame = f;
    pkt->ip = ip;
    pkt->payload = ip + EXNET_IPV4_HLEN;
    pkt->len = total - EXNET_IPV4_HLEN;
    return 0;
}

static size_t ipv4(const struct exnet_app *app, struct exnet_if *ifc,
                   uint8_t *f, size_t len)
{
    struct exnet_packet pkt;
    size_t reply;

    if (ipv4_check(ifc, f, len, &pkt) < 0)
        return 0;
    if (pkt.ip[9] == EXNET_PROTO_ICMP)
        return icmp(ifc, &pkt);
    if (app->handler == NULL || pkt.ip[9] != app->proto) {
        ifc->n.unsupported++;
        return 0;
    }
    ifc->n.delivered++;
    reply = app->handler(ifc, &pkt);
    return reply ? reply_ipv4(ifc, &pkt, reply) : 0;
}

size_t exnet_frame(const struct exnet_app *app, struct exnet_if *ifc,
                   uint8_t *f, size_t len)
{
    ifc->n.frames++;
    if (len < ETH_HLEN) {
        ifc->n.malformed++;
        return 0;
    }
    if (!EXNET_SAME(f, ifc->info.mac_address, ETH_ALEN) &&
        !EXNET_SAME(f, broadcast, ETH_ALEN)) {
        ifc->n.ignored++;
        return 0;
    }
    switch (exnet_get16(f + 12)) {
    case ETHERTYPE_ARP:
        return arp(ifc, f, len);
    case ETHERTYPE_IPV4:
        return ipv4(app, ifc, f, len);
    default:
        ifc->n.unsupported++;
        return 0;
    }
}
