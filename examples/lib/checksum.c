/* checksum.c: the Internet checksum (RFC 1071), summed eight bytes at a
 * time.
 *
 * The sum is independent of byte order (RFC 1071 §2(B)), so whole native
 * words are added and the result is native order; a 64-bit ones'-complement
 * sum folds to the 16-bit one because 2^16 - 1 divides 2^64 - 1. Every
 * guest instruction costs about a microsecond on a host that emulates
 * them, and a full-size datagram is summed on every echo, so the loop adds
 * into 128 bits (one add and one add-with-carry per word) and carries are
 * folded once at the end. */
#include "exnet.h"

/* Guests build freestanding, where memcpy is a call; the builtin makes a
 * fixed-size copy one load. */
#define LOAD64(w, p) __builtin_memcpy(&(w), (p), 8)

static uint16_t fold64(uint64_t s)
{
    s = (s & 0xffffffff) + (s >> 32);
    s = (s & 0xffffffff) + (s >> 32);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

uint16_t exnet_sum(const uint8_t *p, size_t len, uint16_t sum)
{
    unsigned __int128 acc = sum;
    uint64_t w0, w1, w2, w3, lo, hi;
    uint32_t w32;
    uint16_t w16;

    for (; len >= 32; p += 32, len -= 32) {
        LOAD64(w0, p);
        LOAD64(w1, p + 8);
        LOAD64(w2, p + 16);
        LOAD64(w3, p + 24);
        acc += w0;
        acc += w1;
        acc += w2;
        acc += w3;
    }
    for (; len >= 8; p += 8, len -= 8) {
        LOAD64(w0, p);
        acc += w0;
    }
    /* The last 0..7 bytes. Where a 16-bit word sits in the 64-bit sum
     * does not matter (2^16 = 1 modulo 2^16 - 1), only that it starts at
     * an even offset; a trailing odd byte is the high byte of a zero-padded
     * word in network order, the low byte in native order. */
    if (len & 4) {
        __builtin_memcpy(&w32, p, 4);
        acc += w32;
        p += 4;
    }
    if (len & 2) {
        __builtin_memcpy(&w16, p, 2);
        acc += w16;
        p += 2;
    }
    if (len & 1)
        acc += *p;
    lo = (uint64_t)acc;
    hi = (uint64_t)(acc >> 64);
    lo += hi;
    return fold64(lo + (lo < hi)); /* end-around carry */
}
