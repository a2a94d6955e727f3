/* udpsend.c: sends UDP datagrams of given sizes with random payloads to a
 * UDP echo service and checks each echo byte for byte, with its IPv4 and
 * UDP checksums, within a time limit. Used by the udp-echo test and by
 * bench/net (which reads the rate it prints).
 *
 * usage: udpsend [OPTIONS] ADDR PORT [SIZE...]
 *   --random=N     also N sizes drawn from 0..--max (default 1472)
 *   --count=N      send the size list N times (default 1)
 *   --window=N     keep up to N datagrams in flight (default 1)
 *   --checksum=K   normal (the kernel's), zero (none, RFC 768) or bad (one
 *                  bit off); zero and bad are sent through a raw socket
 *   --expect=E     echo (default: every datagram comes back intact, in
 *                  order) or none (nothing may come back)
 *   --timeout=MS   how long to wait for each echo, or for nothing under
 *                  --expect=none (default 2000)
 *   --seed=N       payloads and random sizes (default: from the clock;
 *                  printed, so that a failure can be replayed)
 *
 * Echoes are read from a raw IPPROTO_UDP socket, which sees datagrams
 * before the kernel checks their UDP checksum, so a wrong or missing
 * checksum in an echo is reported rather than silently dropped. A UDP
 * socket bound to the same port keeps the kernel from answering echoes
 * with "port unreachable". Exit status 0 when every check held, 1
 * otherwise, 2 for bad usage. Needs CAP_NET_RAW. */
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

#define MAX_SIZES 4096
#define MAX_PAYLOAD 65507 /* the largest UDP payload over IPv4 */
#define MAX_WINDOW 256
#define UDP_HLEN 8

enum checksum_kind { SUM_NORMAL, SUM_ZERO, SUM_BAD };

struct options {
    struct sockaddr_in peer;
    size_t sizes[MAX_SIZES];
    unsigned nsizes;
    unsigned long count, window, timeout_ms, max;
    unsigned long long seed;
    enum checksum_kind sum;
    int expect_none;
};

struct sockets {
    int udp, raw;
    struct sockaddr_in local;
};

/* One datagram in flight: its payload, to compare the echo with. */
struct flight {
    uint8_t data[MAX_PAYLOAD];
    size_t len;
};

static struct flight flights[MAX_WINDOW];
static uint64_t rng;

static uint64_t next_random(void)
{
    /* xorshift64*: reproducible from the seed, good enough for payloads */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int usage(const char *why)
{
    fprintf(stderr,
            "udpsend: %s\nusage: udpsend [--random=N] [--max=N] "
            "[--count=N] [--window=N] [--checksum=normal|zero|bad] "
            "[--expect=echo|none] [--timeout=MS] [--seed=N] ADDR PORT "
            "[SIZE...]\n",
            why);
    return 2;
}

/* "--NAME=" followed by a decimal number of at most (max). */
static int number_option(const char *arg, const char *name, unsigned long max,
                         unsigned long *v)
{
    size_t n = strlen(name);
    char *end;

    if (strncmp(arg, name, n) != 0)
        return 0;
    errno = 0;
    *v = strtoul(arg + n, &end, 10);
    if (errno || end == arg + n || *end || *v > max)
        return -1;
    return 1;
}

static int parse_word(struct options *o, const char *a)
{
    unsigned long v;
    int r;

    if ((r = number_option(a, "--random=", MAX_SIZES, &v)) != 0) {
        for (unsigned long i = 0; r > 0 && i < v; i++) {
            if (o->nsizes == MAX_SIZES)
                return -1;
            o->sizes[o->nsizes++] = (size_t)(next_random() % (o->max + 1));
        }
        return r;
    }
    if ((r = number_option(a, "--max=", MAX_PAYLOAD, &o->max)) != 0 ||
        (r = number_option(a, "--count=", 100000000, &o->count)) != 0 ||
        (r = number_option(a, "--window=", MAX_WINDOW, &o->window)) != 0 ||
        (r = number_option(a, "--timeout=", 600000, &o->timeout_ms)) != 0)
        return r;
    if (strcmp(a, "--checksum=normal") == 0)
        o->sum = SUM_NORMAL;
    else if (strcmp(a, "--checksum=zero") == 0)
        o->sum = SUM_ZERO;
    else if (strcmp(a, "--checksum=bad") == 0)
        o->sum = SUM_BAD;
    else if (strcmp(a, "--expect=echo") == 0)
        o->expect_none = 0;
    else if (strcmp(a, "--expect=none") == 0)
        o->expect_none = 1;
    else
        return -1;
    return 1;
}

/* --seed first, since --random uses it. */
static void find_seed(struct options *o, int argc, char **argv)
{
    o->seed = (unsigned long long)now_us() ^ (unsigned long long)getpid();
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--seed=", 7) == 0)
            o->seed = strtoull(argv[i] + 7, NULL, 10);
    rng = o->seed | 1;
}

static int parse(struct options *o, int argc, char **argv)
{
    unsigned long v;
    int i;

    o->count = 1;
    o->window = 1;
    o->timeout_ms = 2000;
    o->max = 1472;
    find_seed(o, argc, argv);
    for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++)
        if (strncmp(argv[i], "--seed=", 7) != 0 && parse_word(o, argv[i]) < 0)
            return usage(argv[i]);
    if (argc - i < 2)
        return usage("ADDR and PORT are required");
    o->peer.sin_family = AF_INET;
    if (inet_pton(AF_INET, argv[i], &o->peer.sin_addr) != 1)
        return usage(argv[i]);
    if (number_option(argv[i + 1], "", 65535, &v) != 1 || v == 0)
        return usage(argv[i + 1]);
    o->peer.sin_port = htons((uint16_t)v);
    for (i += 2; i < argc; i++) {
        if (number_option(argv[i], "", MAX_PAYLOAD, &v) != 1 ||
            o->nsizes == MAX_SIZES)
            return usage(argv[i]);
        o->sizes[o->nsizes++] = v;
    }
    if (o->nsizes == 0)
        return usage("no sizes given");
    return 0;
}

static int open_sockets(const struct options *o, struct sockets *s)
{
    socklen_t len = sizeof(s->local);
    int big = 4 << 20;

    s->udp = socket(AF_INET, SOCK_DGRAM, 0);
    s->raw = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
    if (s->udp < 0 || s->raw < 0) {
        perror("udpsend: socket");
        return -1;
    }
    /* connect() picks the local address and port the echoes come back to;
     * the raw socket sends from the same address. */
    if (connect(s->udp, (const struct sockaddr *)&o->peer, sizeof(o->peer)) <
            0 ||
        getsockname(s->udp, (struct sockaddr *)&s->local, &len) < 0) {
        perror("udpsend: connect");
        return -1;
    }
    struct sockaddr_in src = s->local;
    src.sin_port = 0;
    if (bind(s->raw, (const struct sockaddr *)&src, sizeof(src)) < 0) {
        perror("udpsend: bind");
        return -1;
    }
    setsockopt(s->raw, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    return 0;
}

/* The Internet checksum of (p, len) added to (sum), unfolded. */
static uint32_t sum_bytes(const uint8_t *p, size_t len, uint32_t sum)
{
    for (; len >= 2; p += 2, len -= 2)
        sum += (uint32_t)(p[0] << 8 | p[1]);
    if (len)
        sum += (uint32_t)(p[0] << 8);
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

/* The UDP checksum's sum over the pseudo-header and datagram (u, ulen). */
static uint16_t udp_sum(const struct in_addr *src, const struct in_addr *dst,
                        const uint8_t *u, size_t ulen)
{
    uint32_t sum = sum_bytes((const uint8_t *)&src->s_addr, 4, 0);

    sum = sum_bytes((const uint8_t *)&dst->s_addr, 4, sum);
    sum += IPPROTO_UDP + (uint32_t)ulen;
    return fold(sum_bytes(u, ulen, sum));
}

/* Sends (f) with a checksum of (kind) through the raw socket. */
static int send_raw(const struct options *o, const struct sockets *s,
                    const struct flight *f)
{
    static uint8_t d[UDP_HLEN + MAX_PAYLOAD];
    size_t ulen = UDP_HLEN + f->len;
    uint16_t sum;

    memcpy(d, &s->local.sin_port, 2);
    memcpy(d + 2, &o->peer.sin_port, 2);
    d[4] = (uint8_t)(ulen >> 8);
    d[5] = (uint8_t)ulen;
    d[6] = d[7] = 0;
    memcpy(d + UDP_HLEN, f->data, f->len);
    if (o->sum == SUM_BAD) {
        sum =
            (uint16_t)~udp_sum(&s->local.sin_addr, &o->peer.sin_addr, d, ulen);
        /* One bit off. 0 would mean "no checksum": then flip another. */
        sum ^= 0x0100;
        if (sum == 0)
            sum = 0x0300;
        d[6] = (uint8_t)(sum >> 8);
        d[7] = (uint8_t)sum;
    }
    return sendto(s->raw, d, ulen, 0, (const struct sockaddr *)&o->peer,
                  sizeof(o->peer)) == (ssize_t)ulen
               ? 0
               : -1;
}

static int send_one(const struct options *o, const struct sockets *s,
                    struct flight *f, size_t size)
{
    f->len = size;
    for (size_t i = 0; i < size; i++)
        f->data[i] = (uint8_t)next_random();
    if (o->sum != SUM_NORMAL)
        return send_raw(o, s, f);
    return send(s->udp, f->data, size, 0) == (ssize_t)size ? 0 : -1;
}

/* Checks one IPv4 packet (p, n) from the raw socket. Returns 1 when it is
 * the echo of (f), 0 when it is not from the service to us (ignored), -1
 * when it is but is wrong. */
static int check_echo(const struct options *o, const struct sockets *s,
                      const uint8_t *p, size_t n, const struct flight *f)
{
    size_t hlen = (size_t)(p[0] & 0xf) * 4;
    struct in_addr src, dst;

    if (n < 20 || hlen < 20 || n < hlen + UDP_HLEN)
        return 0;
    memcpy(&src, p + 12, 4);
    memcpy(&dst, p + 16, 4);
    const uint8_t *u = p + hlen;
    if (src.s_addr != o->peer.sin_addr.s_addr ||
        memcmp(u, &o->peer.sin_port, 2) != 0 ||
        memcmp(u + 2, &s->local.sin_port, 2) != 0)
        return 0;
    size_t ulen = (size_t)(u[4] << 8 | u[5]);
    if (fold(sum_bytes(p, hlen, 0)) != 0xffff) {
        fprintf(stderr, "udpsend: echo of %zu bytes: bad IPv4 checksum\n",
                f->len);
        return -1;
    }
    if (ulen != n - hlen || ulen != UDP_HLEN + f->len) {
        fprintf(stderr, "udpsend: echo of %zu bytes has %zu\n", f->len,
                n - hlen >= UDP_HLEN ? n - hlen - UDP_HLEN : 0);
        return -1;
    }
    if (u[6] == 0 && u[7] == 0) {
        fprintf(stderr, "udpsend: echo of %zu bytes has no checksum\n", f->len);
        return -1;
    }
    if (udp_sum(&src, &dst, u, ulen) != 0xffff) {
        fprintf(stderr, "udpsend: echo of %zu bytes: bad UDP checksum\n",
                f->len);
        return -1;
    }
    if (memcmp(u + UDP_HLEN, f->data, f->len) != 0) {
        fprintf(stderr, "udpsend: echo of %zu bytes: payload differs\n",
                f->len);
        return -1;
    }
    return 1;
}

/* Waits up to (ms) for a packet from the service; returns 1 and the echo
 * check's verdict in (*verdict), 0 on timeout, -1 on error. */
static int wait_packet(const struct options *o, const struct sockets *s,
                       const struct flight *f, unsigned long ms, int *verdict)
{
    static uint8_t p[65536];
    uint64_t deadline = now_us() + ms * 1000u;
    struct pollfd pfd = {.fd = s->raw, .events = POLLIN};
    uint8_t drain[1];

    for (;;) {
        uint64_t t = now_us();
        if (t >= deadline)
            return 0;
        int r = poll(&pfd, 1, (int)((deadline - t + 999) / 1000));
        if (r < 0 && errno != EINTR)
            return -1;
        if (r <= 0)
            continue;
        ssize_t n = recv(s->raw, p, sizeof(p), 0);
        if (n < 0)
            return -1;
        *verdict = check_echo(o, s, p, (size_t)n, f);
        if (*verdict != 0) {
            /* The UDP socket's copy is not needed. */
            while (recv(s->udp, drain, sizeof(drain), MSG_DONTWAIT) >= 0)
                ;
            return 1;
        }
    }
}

static unsigned long total_datagrams(const struct options *o)
{
    return o->count * o->nsizes;
}

/* Sends every datagram, keeping up to --window in flight, and checks the
 * echoes in order. Returns the number echoed intact. */
static unsigned long run_echo(const struct options *o, const struct sockets *s)
{
    unsigned long total = total_datagrams(o), sent = 0, done = 0;
    int verdict;

    while (done < total) {
        while (sent < total && sent - done < o->window) {
            if (send_one(o, s, &flights[sent % o->window],
                         o->sizes[sent % o->nsizes]) < 0) {
                perror("udpsend: send");
                return done;
            }
            sent++;
        }
        const struct flight *f = &flights[done % o->window];
        int r = wait_packet(o, s, f, o->timeout_ms, &verdict);
        if (r <= 0) {
            fprintf(stderr,
                    "udpsend: no echo of datagram %lu (%zu bytes) "
                    "within %lu ms\n",
                    done + 1, f->len, o->timeout_ms);
            return done;
        }
        if (verdict < 0)
            return done;
        done++;
    }
    return done;
}

static int run_none(const struct options *o, const struct sockets *s)
{
    unsigned long total = total_datagrams(o);
    int verdict;

    for (unsigned long i = 0; i < total; i++)
        if (send_one(o, s, &flights[0], o->sizes[i % o->nsizes]) < 0) {
            perror("udpsend: send");
            return 1;
        }
    if (wait_packet(o, s, &flights[0], o->timeout_ms, &verdict) == 0) {
        printf("udpsend: sent %lu, none came back within %lu ms\n", total,
               o->timeout_ms);
        return 0;
    }
    fprintf(stderr, "udpsend: got a datagram back, expected none\n");
    return 1;
}

int main(int argc, char **argv)
{
    static struct options o;
    struct sockets s;
    int r;

    if ((r = parse(&o, argc, argv)) != 0)
        return r;
    if (open_sockets(&o, &s) < 0)
        return 1;
    if (o.expect_none)
        return run_none(&o, &s);
    uint64_t t0 = now_us();
    unsigned long done = run_echo(&o, &s);
    uint64_t us = now_us() - t0;
    unsigned long total = total_datagrams(&o);
    printf("udpsend: %lu of %lu echoed intact in %llu us (%llu per "
           "second), seed %llu\n",
           done, total, (unsigned long long)us,
           (unsigned long long)(us ? (uint64_t)done * 1000000u / us : 0),
           o.seed);
    return done == total ? 0 : 1;
}
