/* mem_option.c: the guest's memory from --mem=MiB, the unikernel's TGN1
 * note or the default, the same for both targets' monitors. */
#include <string.h>

#include "messages.h"
#include "guest_check.h"
#include "mem_option.h"

#define MIB (1ULL << 20)

/* --mem is a positive decimal number of MiB, nothing else (solo5's %zd
 * parse accepts "64abc" and wraps negative values). */
static uint64_t parse_mem(const char *s)
{
    uint64_t v;

    if (guest_parse_number(s, strlen(s), &v) < 0)
        mon_fatal("malformed argument to --mem: `%s' (a number of MiB, "
                  "2 to 4096)",
                  s);
    if (v == 0 || v > GUEST_MAX_MEM / MIB)
        mon_fatal("--mem=%s out of range (2 to 4096 MiB)", s);
    return v * MIB;
}

uint64_t mon_guest_mem(const char *opt, uint64_t note_mem)
{
    uint64_t mem = opt ? parse_mem(opt) : note_mem ? note_mem : MON_DEFAULT_MEM;
    uint64_t rounded = mem & ~(2 * MIB - 1);

    if (rounded == 0)
        rounded = 2 * MIB;
    if (rounded != mem)
        mon_warn("adjusting memory to %llu bytes", (unsigned long long)rounded);
    return rounded;
}
