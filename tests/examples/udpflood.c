/* udpflood.c: a UDP sink's load generator, for bench/net: sends one UDP
 * datagram after another from the net device "service" to a host, as fast
 * as solo5_net_write() takes them, for a given time, and says how many it
 * sent.
 *
 * Command line (examples/lib/options.c for --ipv4):
 *   --ipv4=ADDR/PREFIX   our address (the datagrams' source)
 *   --dst=ADDR           the host's address
 *   --dst-mac=MAC        the host's MAC, xx:xx:xx:xx:xx:xx: frames go
 *                        straight to it, with no ARP either way
 *   --port=N             the destination UDP port (default 9, discard)
 *   --len=N              UDP payload bytes (default 22: 64-byte frames)
 *   --seconds=N          how long to send, by the guest's monotonic clock
 *                        (default 5)
 *   --count=N            stop after N frames if that comes first (tests)
 * Prints "udpflood: N frames of B bytes in T ns" (B: the whole Ethernet
 * frame) and exits 0, or 1 on bad usage or when a write failed.
 *
 * The frame is built once: IPv4 header checksum computed once, UDP checksum
 * 0 (none, RFC 768), IPv4 ID 0 with DF set (an atomic datagram, RFC 6864).
 * Every guest instruction costs about a microsecond on a host that
 * emulates them (docs/hvt-abi.md §9), and a clock read is a hypercall, so the
 * loop is a write and a count, with the clock read once per CHECK_EVERY
 * frames. Integer only. */
#include <stdio.h>
#include <string.h>

#include "exnet.h"
#include "solo5.h"

#define ETH_HLEN SOLO5_NET_HLEN
#define UDP_HLEN 8
#define HDRS (ETH_HLEN + EXNET_IPV4_HLEN + UDP_HLEN)
#define MAX_FRAME (65535 + ETH_HLEN) /* the largest MTU, header included */
#define CHECK_EVERY 64               /* frames between clock reads */
#define MAX_SECONDS 3600
#define NS_PER_S 1000000000ULL

static uint8_t frame[MAX_FRAME];

static struct {
    uint8_t dst[4], dst_mac[6];
    int have_dst, have_mac;
    uint16_t port;
    uint64_t len, seconds, count; /* count 0: no limit */
} opt = {.port = 9, .len = 22, .seconds = 5};

/* Two hex digits at (s) into (b); returns the end, or NULL. */
static const char *hex_byte(const char *s, uint8_t *b)
{
    unsigned v = 0;

    for (int i = 0; i < 2; i++, s++) {
        char c = *s;
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return NULL;
        v = v << 4 | d;
    }
    *b = (uint8_t)v;
    return s;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        if (i > 0 && *s++ != ':')
            return -1;
        if (!(s = hex_byte(s, &mac[i])))
            return -1;
    }
    return *s ? -1 : 0;
}

static int parse_addr(const char *s, uint8_t ip[4])
{
    uint64_t v;

    for (int i = 0; i < 4; i++) {
        if (i > 0 && *s++ != '.')
            return -1;
        if (!(s = exnet_number(s, 255, &v)))
            return -1;
        ip[i] = (uint8_t)v;
    }
    return *s ? -1 : 0;
}

/* "--NAME=" and a whole decimal number in min..max into (v): 1 taken,
 * 0 another word, -1 bad. */
static int number_word(const char *w, const char *name, uint64_t min,
                       uint64_t max, uint64_t *v)
{
    size_t n = strlen(name);
    const char *end;

    if (strncmp(w, name, n) != 0)
        return 0;
    end = exnet_number(w + n, max, v);
    return end && !*end && *v >= min ? 1 : -1;
}

static int flood_option(char *w)
{
    uint64_t port;
    int r;

    if (strncmp(w, "--dst=", 6) == 0) {
        opt.have_dst = 1;
        return parse_addr(w + 6, opt.dst) < 0 ? -1 : 1;
    }
    if (strncmp(w, "--dst-mac=", 10) == 0) {
        opt.have_mac = 1;
        return parse_mac(w + 10, opt.dst_mac) < 0 ? -1 : 1;
    }
    if ((r = number_word(w, "--port=", 1, 65535, &port)) != 0) {
        opt.port = (uint16_t)port;
        return r;
    }
    if ((r = number_word(w, "--len=", 0, 65507, &opt.len)) != 0 ||
        (r = number_word(w, "--seconds=", 1, MAX_SECONDS, &opt.seconds)) != 0 ||
        (r = number_word(w, "--count=", 1, UINT32_MAX, &opt.count)) != 0)
        return r;
    return 0;
}

static const struct exnet_app flood_app = {
    .prog = "udpflood",
    .usage = "--dst=ADDR --dst-mac=MAC [--port=N] [--len=N] [--seconds=N] "
             "[--count=N]",
    .option = flood_option,
};

/* Ethernet, IPv4 and UDP headers for (ifc), and the payload: a byte
 * pattern, so a frame seen in a capture shows where it came from. */
static size_t build_frame(const struct exnet_if *ifc)
{
    uint8_t *ip = frame + ETH_HLEN, *udp = ip + EXNET_IPV4_HLEN;
    size_t ulen = UDP_HLEN + opt.len;
    uint16_t sum;

    EXNET_COPY(frame, opt.dst_mac, 6);
    EXNET_COPY(frame + 6, ifc->info.mac_address, 6);
    exnet_put16(frame + 12, 0x0800);
    ip[0] = 0x45; /* version 4, 5 words of header */
    exnet_put16(ip + 2, (uint16_t)(EXNET_IPV4_HLEN + ulen));
    exnet_put16(ip + 6, 0x4000); /* DF */
    ip[8] = 64;                  /* TTL */
    ip[9] = EXNET_PROTO_UDP;
    EXNET_COPY(ip + 12, ifc->ip, 4);
    EXNET_COPY(ip + 16, opt.dst, 4);
    sum = (uint16_t)~exnet_sum(ip, EXNET_IPV4_HLEN, 0);
    EXNET_COPY(ip + 10, &sum, 2); /* native-order sum: a copy keeps it right */
    exnet_put16(udp, 9);          /* source port: discard */
    exnet_put16(udp + 2, opt.port);
    exnet_put16(udp + 4, (uint16_t)ulen);
    for (size_t i = 0; i < opt.len; i++)
        udp[UDP_HLEN + i] = (uint8_t)('a' + i % 26);
    return HDRS + opt.len;
}

/* Sends (len)-byte frames until --seconds have passed or --count were
 * sent; returns the elapsed ns, the counts in (sent) and (failed). */
static solo5_time_t flood(solo5_handle_t h, size_t len, uint64_t *sent,
                          uint64_t *failed)
{
    solo5_time_t t0 = solo5_clock_monotonic(), t = t0;
    uint64_t limit = opt.count ? opt.count : UINT64_MAX, done = 0, bad = 0;
    solo5_time_t span = opt.seconds * NS_PER_S;

    while (done < limit && t - t0 < span) {
        uint64_t batch =
            limit - done < CHECK_EVERY ? limit - done : CHECK_EVERY;
        for (uint64_t i = 0; i < batch; i++)
            if (solo5_net_write(h, frame, len) != SOLO5_R_OK)
                bad++;
        done += batch;
        t = solo5_clock_monotonic();
    }
    *sent = done - bad;
    *failed = bad;
    return t - t0;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    struct exnet_if *ifc = &exnet_ifs[0];
    uint64_t sent, failed;

    if (exnet_parse(&flood_app, si->cmdline) < 0)
        return SOLO5_EXIT_FAILURE;
    if (!opt.have_dst || !opt.have_mac) {
        exnet_usage(&flood_app, "--dst and --dst-mac are required", NULL);
        return SOLO5_EXIT_FAILURE;
    }
    if (exnet_acquire(&flood_app) < 0)
        return SOLO5_EXIT_FAILURE;
    if (EXNET_IPV4_HLEN + UDP_HLEN + opt.len > ifc->info.mtu) {
        printf("udpflood: --len=%llu does not fit the MTU %zu\n",
               (unsigned long long)opt.len, ifc->info.mtu);
        return SOLO5_EXIT_FAILURE;
    }
    size_t len = build_frame(ifc);
    printf("udpflood: ready, %zu-byte frames (%llu-byte payloads) to "
           "%u.%u.%u.%u port %u for %llu s\n",
           len, (unsigned long long)opt.len, opt.dst[0], opt.dst[1], opt.dst[2],
           opt.dst[3], opt.port, (unsigned long long)opt.seconds);
    solo5_time_t ns = flood(ifc->handle, len, &sent, &failed);
    printf("udpflood: %llu frames of %zu bytes in %llu ns\n",
           (unsigned long long)sent, len, (unsigned long long)ns);
    if (failed) {
        printf("udpflood: %llu writes failed\n", (unsigned long long)failed);
        return SOLO5_EXIT_FAILURE;
    }
    return SOLO5_EXIT_SUCCESS;
}
