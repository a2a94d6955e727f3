/* memsize.c: guest memory sizes as manifests write them, by the monitor's
 * own rule and number parser (modules/core/guest_check.c). */
#include <stdio.h>
#include <string.h>

#include "../modules/core/guest_check.h"
#include "memsize.h"

int tg_parse_size(const char *s, size_t len, uint64_t *bytes)
{
    static const char units[] = "KMG";
    const char *u = len ? memchr(units, s[len - 1], 3) : NULL;
    uint64_t n;

    if (u == NULL || guest_parse_number(s, len - 1, &n) < 0)
        return -1;
    unsigned shift = 10 * (unsigned)(u - units + 1);
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

/* The rule's words, with the nearest valid values when they help. */
const char *tg_mem_problem(uint64_t bytes, char *buf, size_t cap)
{
    const char *problem = guest_mem_problem(bytes);
    char lo[32], hi[32];

    if (problem == NULL || bytes % TG_MEM_STEP == 0 || bytes > TG_MEM_MAX ||
        bytes < TG_MEM_MIN)
        return problem;
    snprintf(
        buf, cap, "%s (nearest valid values: %s, %s)", problem,
        tg_size_text(bytes / TG_MEM_STEP * TG_MEM_STEP, lo, sizeof(lo)),
        tg_size_text((bytes / TG_MEM_STEP + 1) * TG_MEM_STEP, hi, sizeof(hi)));
    return buf;
}
