/* memsize.c: parsing, printing and checking guest memory sizes. */
#include <stdio.h>

#include "../modules/core/guest_check.h"
#include "memsize.h"

int tg_parse_size(const char *s, size_t len, uint64_t *bytes)
{
    return guest_parse_size(s, len, 0, bytes);
}

const char *tg_size_text(uint64_t bytes, char *buf, size_t cap)
{
    if (bytes % TG_GIB == 0)
        snprintf(buf, cap, "%lluG", (unsigned long long)(bytes / TG_GIB));
    else
        snprintf(buf, cap, "%lluM", (unsigned long long)(bytes / TG_MIB));
    return buf;
}

/* The monitor's rule (guest_check.c), with the nearest valid values. */
const char *tg_mem_problem(uint64_t bytes, char *buf, size_t cap)
{
    enum guest_reason why = guest_mem_check(bytes);
    char lo[32], hi[32];

    if (why != GUEST_MEM_STEP)
        return why == GUEST_OK ? NULL : guest_reason_text(why);
    snprintf(
        buf, cap, "%s (nearest valid values: %s, %s)", guest_reason_text(why),
        tg_size_text(bytes / TG_MEM_STEP * TG_MEM_STEP, lo, sizeof(lo)),
        tg_size_text((bytes / TG_MEM_STEP + 1) * TG_MEM_STEP, hi, sizeof(hi)));
    return buf;
}
