/* udp_echo.c: a unikernel that echoes UDP datagrams sent to one port
 * (RFC 862's service, on a port of one's choosing), as a host on its link:
 * it answers ARP for its own address and ping too (examples/lib).
 *
 * Command line (docs/design.md decision 10, examples/lib/options.c):
 *   --ipv4=ADDR/PREFIX        address of the net device named "service"
 *   --NAME-ipv4=ADDR/PREFIX   address of net device NAME
 *   --port=N                  the UDP port it echoes on (required)
 *   --limit=N                 exit 0 after echoing N datagrams (for tests)
 *
 * Checksums: an incoming datagram's UDP checksum is verified (a zero one
 * means "none", RFC 768) and a bad one is dropped. The echo carries the
 * same ports swapped, the same addresses swapped and the same payload, and
 * ones'-complement addition does not care about order, so a verified
 * checksum is already the echo's: it is kept, and computed only when the
 * datagram came without one. The IPv4 header's is recomputed (frame.c). */
#include <stdio.h>
#include <string.h>

#include "exnet.h"
#include "solo5.h"

#define UDP_HLEN 8

static uint16_t echo_port;
static struct {
    uint64_t echoed;       /* datagrams to our port, echoed */
    uint64_t other_port;   /* to another port: dropped */
    uint64_t bad_checksum; /* dropped */
    uint64_t malformed;    /* shorter than a UDP header, or its length */
} echo_n;

/* The checksum's sum over the pseudo-header (RFC 768) and the datagram
 * (u, ulen) sent to us inside (pkt). Sums are in native (x86: little-
 * endian) order, so the pseudo-header's zero-and-protocol word, bytes
 * {0, 17} on the wire, is 17 << 8, and the length word, bytes u[4], u[5],
 * is u[4] | u[5] << 8. */
static uint16_t udp_sum(const struct exnet_packet *pkt, const uint8_t *u,
                        size_t ulen)
{
    uint16_t sum = exnet_sum(pkt->ip + 12, 8, 0); /* source, destination */

    sum = exnet_sum_add(sum, EXNET_PROTO_UDP << 8);
    sum = exnet_sum_add(sum, (uint16_t)(u[4] | u[5] << 8));
    return exnet_sum(u, ulen, sum);
}

static size_t echo_udp(struct exnet_if *ifc, const struct exnet_packet *pkt)
{
    uint8_t *u = pkt->payload;
    uint8_t port[2];
    size_t ulen = pkt->len >= UDP_HLEN ? exnet_get16(u + 4) : 0;
    uint16_t sum;

    (void)ifc;
    if (ulen < UDP_HLEN || ulen > pkt->len) {
        echo_n.malformed++;
        return 0;
    }
    int has_sum = u[6] != 0 || u[7] != 0;
    if (has_sum && udp_sum(pkt, u, ulen) != 0xffff) {
        echo_n.bad_checksum++;
        return 0;
    }
    if (exnet_get16(u + 2) != echo_port) {
        echo_n.other_port++;
        return 0;
    }
    EXNET_COPY(port, u, 2);
    EXNET_COPY(u, u + 2, 2);
    EXNET_COPY(u + 2, port, 2);
    if (!has_sum) {
        /* A sum that comes out zero is sent as all ones (RFC 768). */
        sum = (uint16_t)~udp_sum(pkt, u, ulen);
        if (sum == 0)
            sum = 0xffff;
        EXNET_COPY(u + 6, &sum,
                   2); /* native-order sum: a copy keeps it right */
    }
    echo_n.echoed++;
    return ulen;
}

static int echo_option(char *w)
{
    uint64_t v;
    const char *end;

    if (strncmp(w, "--port=", 7) != 0)
        return 0;
    end = exnet_number(w + 7, 65535, &v);
    if (!end || *end || v == 0)
        return -1;
    echo_port = (uint16_t)v;
    return 1;
}

static uint64_t echo_answers(void)
{
    return echo_n.echoed;
}

static const struct exnet_app echo_app = {
    .prog = "udp-echo",
    .usage = "--port=N",
    .proto = EXNET_PROTO_UDP,
    .handler = echo_udp,
    .option = echo_option,
    .answers = echo_answers,
};

int solo5_app_main(const struct solo5_start_info *si)
{
    if (exnet_parse(&echo_app, si->cmdline) < 0)
        return SOLO5_EXIT_FAILURE;
    if (echo_port == 0) {
        exnet_usage(&echo_app, "expected --port=N, N in 1..65535", NULL);
        return SOLO5_EXIT_FAILURE;
    }
    if (exnet_acquire(&echo_app) < 0)
        return SOLO5_EXIT_FAILURE;
    printf("udp-echo: ready, port %u\n", echo_port);
    exnet_serve(&echo_app);
    exnet_report(&echo_app);
    printf("udp-echo: echoed %llu, other port %llu, bad checksum %llu, "
           "malformed %llu\n",
           (unsigned long long)echo_n.echoed,
           (unsigned long long)echo_n.other_port,
           (unsigned long long)echo_n.bad_checksum,
           (unsigned long long)echo_n.malformed);
    printf("udp-echo: SUCCESS: %llu datagrams echoed\n",
           (unsigned long long)echo_n.echoed);
    return SOLO5_EXIT_SUCCESS;
}
