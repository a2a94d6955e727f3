/* gdb_proto.c: the GDB remote serial protocol's framing on the debugger's
 * connection: $data#checksum packets, '+' and '-' acknowledgements until
 * gdb asks for no-ack mode, and the interrupt byte 0x03 (Ctrl-C).
 *
 * System calls: recvfrom (recv, blocking or not) and write on the
 * connection. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/hex.h"
#include "gdb.h"

#define MOD_GDB_INTERRUPT 0x03

static struct {
    int fd;
    int noack;
    uint8_t in[MOD_GDB_PACKET_MAX]; /* received, not yet consumed */
    size_t head, tail;
} mod_gdb_io = {.fd = -1};

void mod_gdb_proto_init(int fd)
{
    mod_gdb_io.fd = fd;
    mod_gdb_io.noack = 0;
    mod_gdb_io.head = mod_gdb_io.tail = 0;
}

void mod_gdb_proto_noack(void)
{
    mod_gdb_io.noack = 1;
}

/* Reads more input, waiting for it unless (flags) has MSG_DONTWAIT.
 * Returns 1 when some arrived, 0 when none was waiting, -1 when the
 * connection is gone. */
static int mod_gdb_fill(int flags)
{
    ssize_t n;

    if (mod_gdb_io.head == mod_gdb_io.tail)
        mod_gdb_io.head = mod_gdb_io.tail = 0;
    if (mod_gdb_io.tail == sizeof(mod_gdb_io.in))
        return 1;
    do
        n = recv(mod_gdb_io.fd, mod_gdb_io.in + mod_gdb_io.tail,
                 sizeof(mod_gdb_io.in) - mod_gdb_io.tail, flags);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    if (n <= 0)
        return -1;
    mod_gdb_io.tail += (size_t)n;
    return 1;
}

/* The next input byte, or -1 when the connection is gone. */
static int mod_gdb_byte(void)
{
    if (mod_gdb_io.head == mod_gdb_io.tail && mod_gdb_fill(0) <= 0)
        return -1;
    return mod_gdb_io.in[mod_gdb_io.head++];
}

/* Reads one packet's body after its '$'. Returns 1 for a good packet, 0
 * for a bad checksum or one too long for (size), -1 when the connection is
 * gone. */
static int mod_gdb_body(char *buf, size_t size, size_t *len)
{
    unsigned sum = 0;
    size_t n = 0;
    int c, hi, lo, fits = 1;

    while ((c = mod_gdb_byte()) != '#') {
        if (c < 0)
            return -1;
        sum += (unsigned)c;
        if (n + 1 < size)
            buf[n++] = (char)c;
        else
            fits = 0;
    }
    if ((hi = mod_gdb_byte()) < 0 || (lo = mod_gdb_byte()) < 0)
        return -1;
    buf[n] = 0;
    *len = n;
    hi = mon_hex_digit(hi);
    lo = mon_hex_digit(lo);
    return fits && hi >= 0 && lo >= 0 && (unsigned)(hi * 16 + lo) == sum % 256;
}

int mod_gdb_recv(char *buf, size_t size, size_t *len)
{
    for (;;) {
        int c = mod_gdb_byte();
        if (c < 0)
            return -1;
        if (c != '$')
            continue; /* acks, a stray interrupt: nothing to answer */
        int ok = mod_gdb_body(buf, size, len);
        if (ok < 0)
            return -1;
        if (!mod_gdb_io.noack &&
            mon_write_all(mod_gdb_io.fd, ok ? "+" : "-", 1) < 0)
            return -1;
        if (ok)
            return 0;
    }
}

int mod_gdb_send(const char *data)
{
    static char frame[MOD_GDB_PACKET_MAX + 8];
    size_t n = strlen(data);
    unsigned sum = 0;

    if (n + 5 > sizeof(frame))
        n = sizeof(frame) - 5; /* never happens: replies are sized for it */
    frame[0] = '$';
    memcpy(frame + 1, data, n);
    for (size_t i = 0; i < n; i++)
        sum += (uint8_t)data[i];
    frame[n + 1] = '#';
    frame[n + 2] = "0123456789abcdef"[(sum >> 4) & 15];
    frame[n + 3] = "0123456789abcdef"[sum & 15];
    for (;;) {
        if (mon_write_all(mod_gdb_io.fd, frame, n + 4) < 0)
            return -1;
        if (mod_gdb_io.noack)
            return 0;
        int c;
        while ((c = mod_gdb_byte()) != '+' && c != '-')
            if (c < 0)
                return -1;
        if (c == '+')
            return 0;
    }
}

int mod_gdb_interrupted(void)
{
    int found = 0, r;

    mod_gdb_io.head = mod_gdb_io.tail = 0;
    while ((r = mod_gdb_fill(MSG_DONTWAIT)) > 0) {
        /* While the guest runs gdb sends nothing but the interrupt; late
         * acknowledgements are dropped with it. */
        for (size_t i = mod_gdb_io.head; i < mod_gdb_io.tail; i++)
            found |= mod_gdb_io.in[i] == MOD_GDB_INTERRUPT;
        mod_gdb_io.head = mod_gdb_io.tail = 0;
    }
    return r < 0 ? -1 : found;
}

int mod_gdb_hex(const char **p, uint64_t *v)
{
    int d, n = 0;

    *v = 0;
    while (n < 16 && (d = mon_hex_digit(**p)) >= 0) {
        *v = *v << 4 | (uint64_t)d;
        (*p)++;
        n++;
    }
    return n ? 0 : -1;
}

void mod_gdb_to_hex(char *out, const uint8_t *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = "0123456789abcdef"[in[i] >> 4];
        out[2 * i + 1] = "0123456789abcdef"[in[i] & 15];
    }
    out[2 * n] = 0;
}

int mod_gdb_from_hex(uint8_t *out, const char *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = mon_hex_digit(in[2 * i]);
        int lo = hi < 0 ? -1 : mon_hex_digit(in[2 * i + 1]);
        if (lo < 0)
            return -1;
        out[i] = (uint8_t)(hi * 16 + lo);
    }
    return 0;
}
