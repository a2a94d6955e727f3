/* responder.c: ARP and ICMP echo for one interface, the way a host answers
 * them: ARP requests only for its own address, echo requests only to its
 * own address and MAC, payload returned untouched.
 *
 * Integer arithmetic only (floating point kills guests on some hosts).
 * Fields are read and written a byte at a time, in network order, so no
 * alignment is assumed. Every guest instruction costs time on a host that
 * emulates them, so the echo reply's checksum is updated, not recomputed
 * (RFC 1624). */
#include <string.h>

#include "responder.h"

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806

#define ARP_LEN 28 /* Ethernet/IPv4 ARP */
#define ARP_REQUEST 1
#define ARP_REPLY 2

#define IPV4_HLEN 20 /* without options */
#define IPV4_PROTO_ICMP 1
#define IPV4_FRAG_MASK 0x3fff /* more-fragments flag and offset */
#define IPV4_TTL 64

#define ICMP_HLEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

static const uint8_t ping_broadcast[ETH_ALEN] = {0xff, 0xff, 0xff,
                                                 0xff, 0xff, 0xff};

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The Internet checksum's ones'-complement sum of (p, len), folded to 16
 * bits, in network order. The sum is order-independent (RFC 1071), so it
 * adds whole native words and swaps once at the end. */
static uint16_t ping_sum(const uint8_t *p, size_t len)
{
    uint64_t sum = 0;
    uint32_t w32;
    uint16_t w16;

    for (; len >= 4; p += 4, len -= 4) {
        __builtin_memcpy(&w32, p, 4);
        sum += w32;
    }
    if (len >= 2) {
        __builtin_memcpy(&w16, p, 2);
        sum += w16;
        p += 2;
        len -= 2;
    }
    if (len)
        sum += *p; /* a trailing byte is padded with a zero byte */
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)((sum & 0xff) << 8 | sum >> 8);
}

/* Stores the checksum of (p, len), whose checksum field at (field) must
 * hold zero. */
static void ping_set_sum(uint8_t *p, size_t len, uint8_t *field)
{
    put16(field, (uint16_t)~ping_sum(p, len));
}

static size_t ping_arp(struct ping_if *ifc, uint8_t *f, size_t len)
{
    uint8_t *a = f + ETH_HLEN;

    if (len < ETH_HLEN + ARP_LEN || get16(a) != 1 ||
        get16(a + 2) != ETHERTYPE_IPV4 || a[4] != ETH_ALEN || a[5] != 4) {
        ifc->n.malformed++;
        return 0;
    }
    if (get16(a + 6) != ARP_REQUEST || memcmp(a + 24, ifc->ip, 4) != 0) {
        ifc->n.arp_ignored++;
        return 0;
    }
    /* The reply's target is the request's sender; we are its sender. */
    memcpy(a + 18, a + 8, ETH_ALEN);
    memcpy(a + 24, a + 14, 4);
    memcpy(a + 8, ifc->info.mac_address, ETH_ALEN);
    memcpy(a + 14, ifc->ip, 4);
    put16(a + 6, ARP_REPLY);
    memcpy(f, a + 18, ETH_ALEN);
    memcpy(f + ETH_ALEN, ifc->info.mac_address, ETH_ALEN);
    ifc->n.arp_answered++;
    return ETH_HLEN + ARP_LEN;
}

/* (f) holds a checked IPv4 packet to us of (total) bytes carrying ICMP. */
static size_t ping_icmp(struct ping_if *ifc, uint8_t *f, size_t total)
{
    uint8_t *ip = f + ETH_HLEN;
    uint8_t *icmp = ip + IPV4_HLEN;
    size_t icmp_len = total - IPV4_HLEN;

    if (icmp_len < ICMP_HLEN || ping_sum(icmp, icmp_len) != 0xffff) {
        ifc->n.malformed++;
        return 0;
    }
    if (icmp[0] != ICMP_ECHO_REQUEST || icmp[1] != 0) {
        ifc->n.unsupported++;
        return 0;
    }
    /* Type 8 becomes 0: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), with m
     * the old type/code word and m' the new one. */
    uint32_t sum = (uint16_t)~get16(icmp + 2) +
                   (uint16_t) ~(ICMP_ECHO_REQUEST << 8) +
                   (uint32_t)(ICMP_ECHO_REPLY << 8);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    icmp[0] = ICMP_ECHO_REPLY;
    put16(icmp + 2, (uint16_t)~sum);

    uint8_t peer[4];
    memcpy(peer, ip + 12, 4);
    memcpy(ip + 12, ifc->ip, 4);
    memcpy(ip + 16, peer, 4);
    ip[8] = IPV4_TTL;
    put16(ip + 10, 0);
    ping_set_sum(ip, IPV4_HLEN, ip + 10);
    memcpy(f, f + ETH_ALEN, ETH_ALEN);
    memcpy(f + ETH_ALEN, ifc->info.mac_address, ETH_ALEN);
    ifc->n.echo_answered++;
    return ETH_HLEN + total;
}

static size_t ping_ipv4(struct ping_if *ifc, uint8_t *f, size_t len)
{
    uint8_t *ip = f + ETH_HLEN;
    size_t avail = len - ETH_HLEN;

    if (avail < IPV4_HLEN || ip[0] >> 4 != 4) {
        ifc->n.malformed++;
        return 0;
    }
    size_t hlen = (size_t)(ip[0] & 0xf) * 4;
    size_t total = get16(ip + 2);
    if (hlen < IPV4_HLEN || total < hlen || total > avail ||
        ping_sum(ip, hlen) != 0xffff) {
        ifc->n.malformed++;
        return 0;
    }
    if (memcmp(ip + 16, ifc->ip, 4) != 0 ||
        memcmp(f, ifc->info.mac_address, ETH_ALEN) != 0) {
        ifc->n.ignored++;
        return 0;
    }
    /* Options and fragments are legal but not worth the instructions a
     * ping responder would spend on them. */
    if (hlen != IPV4_HLEN || (get16(ip + 6) & IPV4_FRAG_MASK) != 0 ||
        ip[9] != IPV4_PROTO_ICMP) {
        ifc->n.unsupported++;
        return 0;
    }
    return ping_icmp(ifc, f, total);
}

size_t ping_frame(struct ping_if *ifc, uint8_t *f, size_t len)
{
    ifc->n.frames++;
    if (len < ETH_HLEN) {
        ifc->n.malformed++;
        return 0;
    }
    if (memcmp(f, ifc->info.mac_address, ETH_ALEN) != 0 &&
        memcmp(f, ping_broadcast, ETH_ALEN) != 0) {
        ifc->n.ignored++;
        return 0;
    }
    switch (get16(f + 12)) {
    case ETHERTYPE_ARP:
        return ping_arp(ifc, f, len);
    case ETHERTYPE_IPV4:
        return ping_ipv4(ifc, f, len);
    default:
        ifc->n.unsupported++;
        return 0;
    }
}
