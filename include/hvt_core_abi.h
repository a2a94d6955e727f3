/* hvt_core_abi.h: the part of the binary interface between a guest and its
 * monitor (Solo5 hvt, ABI version 2, x86_64) that every monitor serves: the
 * notes' ABI numbers, the guest's memory map and boot info, the hypercall
 * numbers, and the hypercalls of the core and the console.
 * hvt_dev_abi.h holds the devices' part; hvt_abi.h includes both, for the
 * guest side (kernel/); see docs/hvt-abi.md. Needs only C11 freestanding
 * headers. Every layout here is pinned by _Static_assert: changing one
 * breaks Solo5 compatibility in both directions. */
#ifndef HVT_CORE_ABI_H
#define HVT_CORE_ABI_H

#include <stddef.h>
#include <stdint.h>

#define HVT_ABI_TARGET 1  /* abi_target of the ABI1 note: hvt */
#define HVT_ABI_VERSION 2 /* abi_version of the ABI1 note */

/* Guest physical memory map (identity-mapped, docs/hvt-abi.md §3.2). */
#define HVT_GUEST_MIN_BASE 0x100000ULL /* lowest address an ELF may load at */
#define HVT_BOOT_INFO_BASE 0x10000ULL  /* boot info, manifest, cmdline */
#define HVT_CMDLINE_SIZE 8192          /* including the terminating NUL */
#define HVT_GDT_BASE 0x1000ULL
#define HVT_PML4_BASE 0x2000ULL
#define HVT_PDPT_BASE 0x3000ULL
#define HVT_PD_BASE 0x4000ULL /* four page directories, one per GiB */
#define HVT_PT0_BASE 0x8000ULL
#define HVT_MAX_MEM_SIZE 0x100000000ULL /* 4 GiB: only four PDs exist */

/* Hypercalls: a 4-byte OUT to HVT_HYPERCALL_PIO_BASE + nr, with the low 32
 * bits of the argument struct's guest physical address in EAX. */
#define HVT_HYPERCALL_PIO_BASE 0x500
enum hvt_hypercall {
    HVT_HYPERCALL_WALLTIME = 1,
    HVT_HYPERCALL_PUTS = 2,
    HVT_HYPERCALL_POLL = 3,
    HVT_HYPERCALL_BLOCK_WRITE = 4,
    HVT_HYPERCALL_BLOCK_READ = 5,
    HVT_HYPERCALL_NET_WRITE = 6,
    HVT_HYPERCALL_NET_READ = 7,
    HVT_HYPERCALL_HALT = 8,
    /* tender-gen's, offered with HVT_FEATURE_TG_BLOCK_MULTI (Solo5 stops at
     * 8): BLOCK_WRITE and BLOCK_READ, with the same argument structs, of
     * any whole number of blocks. */
    HVT_HYPERCALL_TG_BLOCK_WRITE = 9,
    HVT_HYPERCALL_TG_BLOCK_READ = 10,
    HVT_HYPERCALL_MAX = 11 /* one past the last */
};

typedef uint64_t hvt_gpa_t;

struct hvt_boot_info {
    uint64_t mem_size;       /* guest-usable RAM, also top of the stack */
    uint64_t kernel_end;     /* end of every loaded PT_LOAD: heap start */
    uint64_t cpu_cycle_freq; /* TSC frequency in Hz */
    hvt_gpa_t cmdline;       /* NUL-terminated command line */
    hvt_gpa_t mft;           /* the host's copy of the manifest */
    uint32_t host_features;  /* HVT_FEATURE_* offered by the monitor */
    uint32_t guest_features; /* written 0, read by nobody */
    hvt_gpa_t net_ring;      /* ring GPA, or 0 when no ring is offered */
};

struct hvt_hc_walltime {
    uint64_t nsecs; /* OUT: nanoseconds since the Unix epoch */
};

struct hvt_hc_puts {
    hvt_gpa_t data; /* IN */
    size_t len;     /* IN */
};

struct hvt_hc_poll {
    uint64_t timeout_nsecs; /* IN */
    uint64_t ready_set;     /* OUT: bit h set when handle h is readable */
    int ret;                /* OUT: number of ready devices */
};

/* A non-NULL cookie is checked as a HVT_HALT_COOKIE_MAX-byte range. */
#define HVT_HALT_COOKIE_MAX 512
struct hvt_hc_halt {
    hvt_gpa_t cookie; /* IN */
    int exit_status;  /* IN */
};

_Static_assert(sizeof(struct hvt_boot_info) == 56, "hvt_boot_info layout");
_Static_assert(offsetof(struct hvt_boot_info, net_ring) == 48, "net_ring");
_Static_assert(sizeof(struct hvt_hc_walltime) == 8, "walltime layout");
_Static_assert(sizeof(struct hvt_hc_puts) == 16, "puts layout");
_Static_assert(sizeof(struct hvt_hc_poll) == 24, "poll layout");
_Static_assert(offsetof(struct hvt_hc_poll, ret) == 16, "poll ret");
_Static_assert(sizeof(struct hvt_hc_halt) == 16, "halt layout");
_Static_assert(offsetof(struct hvt_hc_halt, exit_status) == 8, "halt status");

#endif /* HVT_CORE_ABI_H */
