/* memsize.c: parsing, printing and checking guest memory sizes. */
#include <stdio.h>

#include "memsize.h"

int tg_parse_size(const char *s, size_t len, uint64_t *bytes)
{
    uint64_t n = 0;
    unsigned shift;
    size_t i;

    for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        n = n > (UINT64_MAX - 9) / 10 ? UINT64_MAX
                                      : n * 10 + (uint64_t)(s[i] - '0');
    if (i == 0 || i + 1 != len)
        return -1;
    switch (s[i]) {
    case 'K':
        shift = 10;
        break;
    case 'M':
        shift = 20;
        break;
    case 'G':
        shift = 30;
        break;
    default:
        return -1;
    }
    *bytes = n > (UINT64_MAX >> shift) ? UINT64_MAX : n << shift;
    return 0;
}

const char *tg_size_text(uint64_t bytes, char *buf, size_t cap)
{
    if (bytes % TG_GIB == 0)
        snprintf(buf, cap, "%lluG", (unsigned long long)(bytes / TG_GIB));
    else
        snprintf(buf, cap, "%lluM", (unsigned long long)(bytes / TG_MIB));
    return buf;
}

const char *tg_mem_problem(uint64_t bytes, char *buf, size_t cap)
{
    char lo[32], hi[32];

    if (bytes < TG_MEM_MIN)
        return "is less than the minimum 2M";
    if (bytes > TG_MEM_MAX)
        return "is more than the maximum 4G";
    if (bytes % TG_MEM_STEP == 0)
        return NULL;
    snprintf(
        buf, cap, "is not a multiple of 2M (nearest valid values: %s, %s)",
        tg_size_text(bytes / TG_MEM_STEP * TG_MEM_STEP, lo, sizeof(lo)),
        tg_size_text((bytes / TG_MEM_STEP + 1) * TG_MEM_STEP, hi, sizeof(hi)));
    return buf;
}
