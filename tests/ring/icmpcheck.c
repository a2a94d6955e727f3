/* icmpcheck.c: a flood of ICMP echo requests whose replies are checked
 * byte for byte (ping -f does not compare payloads). Request SEQ carries a
 * payload drawn from the seed and SEQ alone, of a size drawn the same way,
 * so every reply can be checked against what was sent: its identifier and
 * sequence number, its length, each payload byte and its ICMP checksum.
 *
 * usage: icmpcheck [OPTIONS] ADDR
 *   --count=N      requests to send, at most 65536 (default 1000)
 *   --window=N     requests in flight at most (default 1)
 *   --size=MIN[-MAX]  payload bytes, fixed or drawn from MIN..MAX
 *                  (default 56; at most 1472, one 1500-byte frame)
 *   --timeout=MS   how long to wait for a reply before the ones in flight
 *                  count as lost (default 2000)
 *   --seed=N       payloads and sizes (default: from the clock; printed,
 *                  so that a failure can be replayed)
 *
 * Prints "icmpcheck: S sent, I intact, C corrupted, D duplicated, L lost
 * (seed N)" and a line for each of the first corrupted replies. Exit status
 * 0 when every request came back once and intact, 1 otherwise, 2 for bad
 * usage or a failure of its own. Needs CAP_NET_RAW. */
#define _DEFAULT_SOURCE /* clock_gettime, getpid with -std=c11 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNT 65536
#define MAX_PAYLOAD 1472
#define ICMP_HLEN 8
#define ECHO_REPLY 0
#define ECHO_REQUEST 8
#define SHOW_AT_MOST 5 /* corrupted replies described one by one */

struct options {
    struct sockaddr_in peer;
    unsigned long count, window, timeout_ms, min, max;
    unsigned long long seed;
};

struct tally {
    unsigned long sent, intact, corrupted, duplicated;
    uint8_t answered[MAX_COUNT];
};

static struct tally tally;

static uint64_t mix(uint64_t x)
{
    /* splitmix64's finaliser: a good spread from seed and sequence alone */
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* The payload of request (seq): its size, and its bytes in (out). */
static size_t payload(const struct options *o, unsigned seq, uint8_t *out)
{
    uint64_t state = mix(o->seed ^ ((uint64_t)seq << 32));
    size_t len = o->min + (size_t)(state % (o->max - o->min + 1));

    for (size_t i = 0; i < len; i += 8) {
        state = mix(state);
        for (size_t j = 0; j < 8 && i + j < len; j++)
            out[i + j] = (uint8_t)(state >> (8 * j));
    }
    return len;
}

static uint16_t checksum(const uint8_t *p, size_t len)
{
    uint32_t sum = 0;

    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)(p[len - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static int send_request(int fd, const struct options *o, uint16_t id,
                        unsigned seq)
{
    uint8_t msg[ICMP_HLEN + MAX_PAYLOAD];
    size_t len = ICMP_HLEN + payload(o, seq, msg + ICMP_HLEN);
    uint16_t sum;

    msg[0] = ECHO_REQUEST;
    msg[1] = 0;
    memset(msg + 2, 0, 2);
    msg[4] = (uint8_t)(id >> 8);
    msg[5] = (uint8_t)id;
    msg[6] = (uint8_t)(seq >> 8);
    msg[7] = (uint8_t)seq;
    sum = checksum(msg, len);
    msg[2] = (uint8_t)(sum >> 8);
    msg[3] = (uint8_t)sum;
    if (sendto(fd, msg, len, 0, (const struct sockaddr *)&o->peer,
               sizeof(o->peer)) != (ssize_t)len) {
        fprintf(stderr, "icmpcheck: sendto: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static void corrupted(unsigned seq, const char *why, size_t at)
{
    if (++tally.corrupted <= SHOW_AT_MOST)
        printf("icmpcheck: reply %u corrupted: %s (byte %zu)\n", seq, why, at);
}

/* Checks one received datagram (IP header first); ignores what is not an
 * echo reply to us, counts the rest. */
static void check_reply(const struct options *o, uint16_t id,
                        const uint8_t *pkt, size_t n)
{
    static uint8_t want[MAX_PAYLOAD];
    size_t ihl;

    if (n < 20 || (ihl = (size_t)(pkt[0] & 0xf) * 4) < 20 ||
        n < ihl + ICMP_HLEN)
        return;
    const uint8_t *icmp = pkt + ihl;
    size_t len = n - ihl;
    if (icmp[0] != ECHO_REPLY || (icmp[4] << 8 | icmp[5]) != id)
        return;
    unsigned seq = (unsigned)(icmp[6] << 8 | icmp[7]);
    if (seq >= tally.sent) {
        corrupted(seq, "a sequence number never sent", 6);
        return;
    }
    if (tally.answered[seq]) {
        tally.duplicated++;
        return;
    }
    tally.answered[seq] = 1;
    size_t wlen = payload(o, seq, want);
    if (len != ICMP_HLEN + wlen) {
        corrupted(seq, "wrong length", len);
        return;
    }
    if (checksum(icmp, len) != 0) {
        corrupted(seq, "bad ICMP checksum", 2);
        return;
    }
    for (size_t i = 0; i < wlen; i++)
        if (icmp[ICMP_HLEN + i] != want[i]) {
            corrupted(seq, "payload differs", ICMP_HLEN + i);
            return;
        }
    tally.intact++;
}

static unsigned long number(const char *arg, const char *v, unsigned long lo,
                            unsigned long hi, char **rest)
{
    char *end;
    unsigned long x = strtoul(v, &end, 10);

    if (end == v || x < lo || x > hi || (!rest && *end)) {
        fprintf(stderr, "icmpcheck: bad %s\n", arg);
        exit(2);
    }
    if (rest)
        *rest = end;
    return x;
}

static void parse(int argc, char **argv, struct options *o)
{
    int i;

    *o = (struct options){
        .count = 1000, .window = 1, .timeout_ms = 2000, .min = 56, .max = 56};
    o->seed = (unsigned long long)time(NULL) ^ (unsigned long long)getpid();
    for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        char *a = argv[i], *v = strchr(a, '='), *rest;
        if (!v) {
            fprintf(stderr, "icmpcheck: bad %s\n", a);
            exit(2);
        }
        v++;
        if (strncmp(a, "--count=", 8) == 0)
            o->count = number(a, v, 1, MAX_COUNT, NULL);
        else if (strncmp(a, "--window=", 9) == 0)
            o->window = number(a, v, 1, MAX_COUNT, NULL);
        else if (strncmp(a, "--timeout=", 10) == 0)
            o->timeout_ms = number(a, v, 1, 600000, NULL);
        else if (strncmp(a, "--seed=", 7) == 0)
            o->seed = strtoull(v, NULL, 10);
        else if (strncmp(a, "--size=", 7) == 0) {
            o->min = o->max = number(a, v, 0, MAX_PAYLOAD, &rest);
            if (*rest == '-')
                o->max = number(a, rest + 1, o->min, MAX_PAYLOAD, NULL);
            else if (*rest)
                number(a, "", 0, 0, NULL); /* reports the bad option */
        } else {
            fprintf(stderr, "icmpcheck: unknown option %s\n", a);
            exit(2);
        }
    }
    if (i + 1 != argc || inet_pton(AF_INET, argv[i], &o->peer.sin_addr) != 1) {
        fprintf(stderr, "usage: icmpcheck [--count=N] [--window=N] "
                        "[--size=MIN[-MAX]] [--timeout=MS] [--seed=N] "
                        "ADDR\n");
        exit(2);
    }
    o->peer.sin_family = AF_INET;
}

int main(int argc, char **argv)
{
    struct options o;
    static uint8_t pkt[65536];

    parse(argc, argv, &o);
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0) {
        fprintf(stderr, "icmpcheck: raw socket: %s\n", strerror(errno));
        return 2;
    }
    uint16_t id = (uint16_t)getpid();

    for (;;) {
        unsigned long replied = tally.intact + tally.corrupted;
        while (tally.sent < o.count && tally.sent - replied < o.window) {
            if (send_request(fd, &o, id, (unsigned)tally.sent) < 0)
                return 2;
            tally.sent++;
        }
        if (replied == o.count)
            break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)o.timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "icmpcheck: poll: %s\n", strerror(errno));
            return 2;
        }
        if (r == 0)
            break; /* what is in flight is lost */
        ssize_t n = recv(fd, pkt, sizeof(pkt), 0);
        if (n > 0)
            check_reply(&o, id, pkt, (size_t)n);
    }
    unsigned long lost = tally.sent - tally.intact - tally.corrupted;
    printf("icmpcheck: %lu sent, %lu intact, %lu corrupted, %lu duplicated, "
           "%lu lost (seed %llu)\n",
           tally.sent, tally.intact, tally.corrupted, tally.duplicated, lost,
           o.seed);
    return tally.intact == o.count && tally.corrupted == 0 &&
                   tally.duplicated == 0
               ? 0
               : 1;
}
