/* dumpcore.h: what the dumpcore module's files share: the ELF core writer
 * (elfcore.c) that dumpcore.c calls when the guest aborts or faults. */
#ifndef MOD_DUMPCORE_H
#define MOD_DUMPCORE_H

#include <stdint.h>
#include <sys/procfs.h>
#include <sys/types.h>

/* What goes into a core besides guest memory. */
struct mod_dumpcore_info {
    struct user_regs_struct regs; /* the vCPU, as gdb reads x86-64 cores */
    int signal;                   /* SIGABRT for an abort, SIGSEGV a fault */
    pid_t pid;                    /* the monitor's */
    const char *name;             /* the guest's file name, for gdb */
};

/* A range of guest-physical memory and where the monitor maps it. */
struct mod_dumpcore_range {
    uint64_t gpa, size;
    const uint8_t *host;
};

/* Writes an ELF core to descriptor (fd): an NT_PRSTATUS and an NT_PRPSINFO
 * note, then one PT_LOAD per range, read through (memfd) (/proc/self/mem,
 * so a page the host maps unreadable becomes a hole instead of a crash).
 * Pages that are all zeros are left as holes too. Counts the pages
 * written and in all. Returns 0, or -1 with errno set. */
int mod_dumpcore_write(int fd, int memfd, const struct mod_dumpcore_info *info,
                       const struct mod_dumpcore_range *ranges,
                       unsigned nranges, uint64_t *written, uint64_t *total);

#endif /* MOD_DUMPCORE_H */
