/* digits.c: integers to text, two digits a step from tables.
 *
 * On hosts that emulate every guest instruction (docs/hvt-abi.md §9) each
 * instruction costs about a microsecond, and the boot banner's addresses
 * were most of a small unikernel's boot: a digit a step took nine
 * instructions, a pair a step takes the same nine for two. */
#include "digits.h"

/* "00".."99", and "00".."ff". */
static const char dec_pairs[] = "00010203040506070809"
                                "10111213141516171819"
                                "20212223242526272829"
                                "30313233343536373839"
                                "40414243444546474849"
                                "50515253545556575859"
                                "60616263646566676869"
                                "70717273747576777879"
                                "80818283848586878889"
                                "90919293949596979899";

static const char hex_pairs[] = "000102030405060708090a0b0c0d0e0f"
                                "101112131415161718191a1b1c1d1e1f"
                                "202122232425262728292a2b2c2d2e2f"
                                "303132333435363738393a3b3c3d3e3f"
                                "404142434445464748494a4b4c4d4e4f"
                                "505152535455565758595a5b5c5d5e5f"
                                "606162636465666768696a6b6c6d6e6f"
                                "707172737475767778797a7b7c7d7e7f"
                                "808182838485868788898a8b8c8d8e8f"
                                "909192939495969798999a9b9c9d9e9f"
                                "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
                                "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                                "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
                                "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
                                "e0e1e2e3e4e5e6e7e8e9eaebecedeeef"
                                "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

/* An odd number of digits leaves a leading zero from its pair: dropped,
 * unless it is the only digit. */
static char *drop_zero(char *p, const char *end)
{
    return p[0] == '0' && end - p > 1 ? p + 1 : p;
}

char *tg_digits_dec(unsigned long long v, char *end)
{
    char *p = end;

    do {
        p -= 2;
        /* The builtin is two moves; -ffreestanding would make it a call.
         * v % 100 and v / 100 are multiplies, not div. */
        __builtin_memcpy(p, dec_pairs + 2 * (v % 100), 2);
    } while ((v /= 100) != 0);
    return drop_zero(p, end);
}

char *tg_digits_hex(unsigned long long v, char *end)
{
    char *p = end;

    do {
        p -= 2;
        __builtin_memcpy(p, hex_pairs + 2 * (v & 255), 2);
    } while ((v >>= 8) != 0);
    return drop_zero(p, end);
}
