/* rspclient.c: a small GDB remote protocol client, for testing the gdb
 * module's stub at the packet level, where gdb itself hides what the stub
 * answered.
 *
 *   rspclient ADDRESS STEP...
 *
 * connects to ADDRESS, a Unix socket's path when it has a '/', else
 * 127.0.0.1:ADDRESS (retrying for 10 s while the monitor starts: no such
 * socket file yet, connection refused), and runs the steps in order,
 * printing one line per packet:
 *   DATA      send the packet DATA, print "> DATA", wait for the reply and
 *             print "< REPLY" (console output packets, O..., are printed
 *             as "< O..." and waited past)
 *   &DATA     send DATA without waiting (c: the guest runs on)
 *   ^C        send the interrupt byte 0x03, print "> ^C"
 *   wait      wait for one reply and print it (the stop after ^C)
 *   sleep=MS  sleep MS milliseconds
 * Exits 0 when every step was done, 1 when the connection failed (a line
 * "cannot connect to ADDRESS: ERROR" says why) or closed early (a line
 * "closed" says so), 2 for bad usage. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAXPKT 8192

static int conn = -1;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* One attempt: a connected socket, or -1 with errno set. */
static int connect_once(const char *address)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    struct sockaddr_in in = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)atoi(address)),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int is_unix = strchr(address, '/') != NULL;
    struct sockaddr *a =
        is_unix ? (struct sockaddr *)&un : (struct sockaddr *)&in;
    socklen_t alen = is_unix ? sizeof(un) : sizeof(in);

    if (is_unix && strlen(address) >= sizeof(un.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strncpy(un.sun_path, address, sizeof(un.sun_path) - 1);
    int s = socket(is_unix ? AF_UNIX : AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        return -1;
    if (connect(s, a, alen) == 0)
        return s;
    int e = errno;
    close(s);
    errno = e;
    return -1;
}

static int connect_to(const char *address)
{
    for (int i = 0; i < 100; i++) {
        int s = connect_once(address);
        if (s >= 0 || (errno != ENOENT && errno != ECONNREFUSED))
            return s;
        sleep_ms(100);
    }
    return -1;
}

static int get_byte(void)
{
    unsigned char c;
    ssize_t n;

    do
        n = read(conn, &c, 1);
    while (n < 0 && errno == EINTR);
    return n == 1 ? c : -1;
}

static int put(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(conn, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Sends one packet and waits for the stub's '+'. */
static int send_packet(const char *data)
{
    static char frame[MAXPKT + 8];
    unsigned sum = 0;
    size_t n = strlen(data);
    int c;

    for (size_t i = 0; i < n; i++)
        sum += (unsigned char)data[i];
    snprintf(frame, sizeof(frame), "$%s#%02x", data, sum & 0xff);
    if (put(frame, strlen(frame)) < 0)
        return -1;
    while ((c = get_byte()) != '+')
        if (c < 0 || c == '-')
            return -1;
    return 0;
}

/* Reads one packet, checks its checksum, acknowledges it. */
static int recv_packet(char *buf, size_t size)
{
    unsigned sum = 0, want;
    size_t n = 0;
    int c;
    char cs[3] = {0};

    while ((c = get_byte()) != '$')
        if (c < 0)
            return -1;
    while ((c = get_byte()) != '#') {
        if (c < 0 || n + 1 >= size)
            return -1;
        buf[n++] = (char)c;
        sum += (unsigned)c;
    }
    buf[n] = 0;
    if ((c = get_byte()) < 0)
        return -1;
    cs[0] = (char)c;
    if ((c = get_byte()) < 0)
        return -1;
    cs[1] = (char)c;
    want = (unsigned)strtoul(cs, NULL, 16);
    if (want != (sum & 0xff)) {
        printf("bad checksum\n");
        return -1;
    }
    return put("+", 1);
}

/* Prints replies until one that is not console output. */
static int show_reply(void)
{
    static char buf[MAXPKT];

    do {
        if (recv_packet(buf, sizeof(buf)) < 0)
            return -1;
        printf("< %s\n", buf);
        fflush(stdout);
    } while (buf[0] == 'O' && buf[1] != 'K' && buf[1] != 0);
    return 0;
}

static int step(const char *s)
{
    if (strcmp(s, "^C") == 0) {
        printf("> ^C\n");
        return put("\x03", 1);
    }
    if (strcmp(s, "wait") == 0)
        return show_reply();
    if (strncmp(s, "sleep=", 6) == 0) {
        sleep_ms(atol(s + 6));
        return 0;
    }
    printf("> %s\n", s[0] == '&' ? s + 1 : s);
    fflush(stdout);
    if (send_packet(s[0] == '&' ? s + 1 : s) < 0)
        return -1;
    return s[0] == '&' ? 0 : show_reply();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: rspclient ADDRESS STEP...\n");
        return 2;
    }
    /* A stub that closes the connection is reported ("closed"), not
     * fatal. */
    signal(SIGPIPE, SIG_IGN);
    conn = connect_to(argv[1]);
    if (conn < 0) {
        printf("cannot connect to %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    for (int i = 2; i < argc; i++)
        if (step(argv[i]) < 0) {
            printf("closed\n");
            return 1;
        }
    return 0;
}
