/* hvt_abi.h: the binary interface between a guest and its monitor (Solo5 hvt,
 * ABI version 2, x86_64). Shared by kernel/ (guest side) and modules/ (monitor
 * side); see shared/docs/hvt-abi.md. Needs only C11 freestanding headers.
 * Every layout here is pinned by _Static_assert: changing one breaks Solo5
 * compatibility in both directions. */
#ifndef HVT_ABI_H
#define HVT_ABI_H

#include <stddef.h>
#include <stdint.h>

#define HVT_ABI_TARGET 1  /* abi_target of the ABI1 note: hvt */
#define HVT_ABI_VERSION 2 /* abi_version of the ABI1 note */

/* Guest physical memory map (identity-mapped, hvt-abi.md §3.2). */
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
    HVT_HYPERCALL_MAX = 9
};

/* Ring I/O kick port and feature bit (hvt-abi.md §6). */
#define HVT_RING_KICK_PIO_BASE 0x600
#define HVT_FEATURE_RING_IO (1U << 0)

/* solo5_result_t values carried in the ret fields. */
enum hvt_result { HVT_OK = 0, HVT_AGAIN = 1, HVT_EINVAL = 2, HVT_EUNSPEC = 3 };

typedef uint64_t hvt_gpa_t;

struct hvt_boot_info {
    uint64_t mem_size;       /* guest-usable RAM, also top of the stack */
    uint64_t kernel_end;     /* end of the loaded non-empty PT_LOADs */
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

struct hvt_hc_block_write {
    uint64_t handle; /* IN */
    uint64_t offset; /* IN */
    hvt_gpa_t data;  /* IN */
    size_t len;      /* IN */
    int ret;         /* OUT */
};

struct hvt_hc_block_read {
    uint64_t handle; /* IN */
    uint64_t offset; /* IN */
    hvt_gpa_t data;  /* IN */
    size_t len;      /* IN */
    int ret;         /* OUT */
};

struct hvt_hc_net_write {
    uint64_t handle; /* IN */
    hvt_gpa_t data;  /* IN */
    size_t len;      /* IN */
    int ret;         /* OUT */
};

struct hvt_hc_net_read {
    uint64_t handle; /* IN */
    hvt_gpa_t data;  /* IN */
    size_t len;      /* IN: buffer size; OUT: frame size */
    int ret;         /* OUT */
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
_Static_assert(sizeof(struct hvt_hc_block_write) == 40, "block write layout");
_Static_assert(offsetof(struct hvt_hc_block_write, ret) == 32, "blkw ret");
_Static_assert(sizeof(struct hvt_hc_block_read) == 40, "block read layout");
_Static_assert(sizeof(struct hvt_hc_net_write) == 32, "net write layout");
_Static_assert(offsetof(struct hvt_hc_net_write, ret) == 24, "netw ret");
_Static_assert(sizeof(struct hvt_hc_net_read) == 32, "net read layout");
_Static_assert(sizeof(struct hvt_hc_halt) == 16, "halt layout");
_Static_assert(offsetof(struct hvt_hc_halt, exit_status) == 8, "halt status");

#endif /* HVT_ABI_H */
