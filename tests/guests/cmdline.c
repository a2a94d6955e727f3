/* cmdline.c: prints the length of its command line and its POSIX cksum
 * (CRC-32 over the bytes, then the length), so that a test can check that
 * a long command line arrived intact:
 *     printf %s "$ARGS" | cksum   prints the same "CRC LENGTH". */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "solo5.h"

#define CRC32_POLY 0x04c11db7U /* POSIX cksum: MSB first, not reflected */

static uint32_t crc_table[256];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;

        for (int bit = 0; bit < 8; bit++)
            c = (c & 0x80000000U) ? (c << 1) ^ CRC32_POLY : c << 1;
        crc_table[i] = c;
    }
}

static uint32_t crc_byte(uint32_t crc, uint8_t b)
{
    return (crc << 8) ^ crc_table[(crc >> 24) ^ b];
}

static uint32_t posix_cksum(const char *s, size_t len)
{
    uint32_t crc = 0;

    for (size_t i = 0; i < len; i++)
        crc = crc_byte(crc, (uint8_t)s[i]);
    for (size_t n = len; n != 0; n >>= 8)
        crc = crc_byte(crc, (uint8_t)n);
    return ~crc;
}

int solo5_app_main(const struct solo5_start_info *si)
{
    size_t len = strlen(si->cmdline);

    make_table();
    printf("cmdline: length %zu\n", len);
    printf("cmdline: cksum %u %zu\n", posix_cksum(si->cmdline, len), len);
    return SOLO5_EXIT_SUCCESS;
}
