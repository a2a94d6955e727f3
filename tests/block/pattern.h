/* pattern.h: the bytes the block test guest writes (blk_guest_byte) and the
 * bytes the host fills an image with first (blk_host_byte). The guest and
 * the host tool blkfile both include it, so the host can compute exactly
 * what the image must hold after a run. Cheap to compute: on this host every
 * guest instruction costs about 1 us. */
#ifndef BLK_PATTERN_H
#define BLK_PATTERN_H

#include <stdint.h>

/* Byte (i) of block (block) as the guest writes it with (seed). */
static inline uint8_t blk_guest_byte(uint64_t block, uint64_t i, uint32_t seed)
{
    return (uint8_t)(block * 29U + i * 7U + (i >> 8) + seed);
}

/* Byte at offset (pos) of a fresh image made with (seed). */
static inline uint8_t blk_host_byte(uint64_t pos, uint32_t seed)
{
    return (uint8_t)(((pos >> 9) * 13U + pos * 3U + seed) ^ 0x5aU);
}

#endif /* BLK_PATTERN_H */
