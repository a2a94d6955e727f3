/* msr.c: reads or writes one model-specific register named on its command
 * line. The monitor's MSR filter lets a guest use the segment bases and
 * read the TSC; any other RDMSR/WRMSR must fault in the guest (#GP), never
 * reach the host's MSRs.
 *   read-tsc      rdmsr IA32_TSC (allowed): prints "msr: tsc ok", exits 0
 *   write-gsbase  wrmsr GS_BASE (allowed): prints "msr: gs_base ok"
 *   read-apic     rdmsr IA32_APIC_BASE (0x1b): #GP
 *   write-star    wrmsr STAR (0xc0000081): #GP
 *   write-tsc     wrmsr IA32_TSC: #GP (the TSC is read-only to guests) */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "solo5.h"

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr"
                         :
                         : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                         : "memory");
}

int solo5_app_main(const struct solo5_start_info *si)
{
    const char *op = si->cmdline;

    if (strcmp(op, "read-tsc") == 0) {
        printf("msr: tsc %s\n", rdmsr(0x10) ? "ok" : "zero");
    } else if (strcmp(op, "write-gsbase") == 0) {
        wrmsr(0xc0000101, 0x1000);
        printf("msr: gs_base %s\n", rdmsr(0xc0000101) == 0x1000 ? "ok" : "bad");
    } else if (strcmp(op, "read-apic") == 0) {
        printf("msr: apic base 0x%llx\n", (unsigned long long)rdmsr(0x1b));
    } else if (strcmp(op, "write-star") == 0) {
        wrmsr(0xc0000081, 0);
        printf("msr: star written\n");
    } else if (strcmp(op, "write-tsc") == 0) {
        wrmsr(0x10, 0);
        printf("msr: tsc written\n");
    } else {
        printf("msr: unknown operation '%s'\n", op);
        return SOLO5_EXIT_FAILURE;
    }
    return SOLO5_EXIT_SUCCESS;
}
