/* sha256.h: SHA-256 (FIPS 180-4), for the content digests that make a
 * monitor's provenance checkable without trusting a clock or a path. */
#ifndef TG_SHA256_H
#define TG_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct tg_sha256 {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    uint8_t buf[64];
    size_t nbuf;
};

void tg_sha256_init(struct tg_sha256 *s);
void tg_sha256_update(struct tg_sha256 *s, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into (hex). */
void tg_sha256_hex(struct tg_sha256 *s, char hex[65]);

#endif /* TG_SHA256_H */
