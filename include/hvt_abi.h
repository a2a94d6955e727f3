/* hvt_abi.h: the binary interface between a guest and its monitor (Solo5 hvt,
 * ABI version 2, x86_64). Shared by kernel/ (guest side) and modules/ (monitor
 * side); see docs/hvt-abi.md. Needs only C11 freestanding headers.
 * Every layout here is pinned by _Static_assert: changing one breaks Solo5
 * compatibility in both directions. */
#ifndef HVT_ABI_H
#define HVT_ABI_H

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

/* Ring I/O kick port and feature bit (docs/hvt-abi.md §6). */
#define HVT_RING_KICK_PIO_BASE 0x600
#define HVT_FEATURE_RING_IO (1U << 0)

/* tender-gen's extensions, offered in host_features next to Solo5's bit.
 * They use bits 16 and up so that a bit Solo5 may define later cannot
 * collide. Solo5 guests test only bit 0 and never see them; a monitor older
 * than Solo5 0.11 has mft.version (1) at offset 40, so they read 0 there.
 * The boot info is read-only to the guest, so there is no answer: a guest
 * uses an extension only through what exists with its bit (a ring
 * operation, a hypercall), which a monitor without the bit never receives
 * from it.
 *
 * HVT_FEATURE_TG_RING_BATCH: the ring operation HVT_RING_TG_NET_READV
 * (several frames per entry and completion).
 * HVT_FEATURE_TG_BLOCK_MULTI: the HVT_HYPERCALL_TG_BLOCK_WRITE and _READ
 * hypercalls (any whole number of blocks per request). */
#define HVT_FEATURE_TG_RING_BATCH (1U << 16)
#define HVT_FEATURE_TG_BLOCK_MULTI (1U << 17)

/* solo5_result_t values carried in the ret fields. */
enum hvt_result { HVT_OK = 0, HVT_AGAIN = 1, HVT_EINVAL = 2, HVT_EUNSPEC = 3 };

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

/* The shared ring (docs/hvt-abi.md §6): one for all net devices, at GPA
 * bi.mem_size, in the HVT_RING_RESERVE bytes above guest-visible memory.
 * Indices are free-running; slot = index & HVT_RING_MASK. Each half of the
 * header is written by one side only. */
#define HVT_RING_SIZE 1024
#define HVT_RING_MASK (HVT_RING_SIZE - 1)
/* Solo5 guests' per-slot frame buffer; larger frames take the hypercall. */
#define HVT_RING_BUF_SIZE 2048
/* Memory reserved for the ring: sizeof(struct hvt_ring) rounded up to the
 * 2 MiB pages of the guest's page tables. */
#define HVT_RING_RESERVE 0x200000ULL

enum hvt_ring_op {
    HVT_RING_NET_WRITE = 1, /* no completion */
    HVT_RING_NET_READ = 2,  /* exactly one completion, at once */
    /* HVT_FEATURE_TG_RING_BATCH: (data) is the GPA of an array of (len)
     * struct hvt_ring_tg_frame, 1 to HVT_RING_TG_BATCH_MAX. The monitor
     * reads frames into them in order and stops at the first time none is
     * waiting. One completion: len = frames read, ret = OK when len > 0,
     * AGAIN when none, EINVAL for a bad handle or count. */
    HVT_RING_TG_NET_READV = 0x74670001,
};

#define HVT_RING_TG_BATCH_MAX 64
struct hvt_ring_tg_frame {
    hvt_gpa_t data; /* IN: buffer */
    uint32_t len;   /* IN: buffer size; OUT: frame length */
    int32_t ret;    /* OUT: OK, or EINVAL for a frame longer than the
                       buffer (dropped) */
};

struct hvt_ring_entry {
    uint32_t operation; /* enum hvt_ring_op */
    uint32_t handle;
    hvt_gpa_t data; /* frame (write) or buffer (read) */
    uint32_t len;   /* frame length, or buffer size */
    uint32_t id;    /* copied into the completion */
    uint64_t reserved;
};

struct hvt_ring_commit {
    uint32_t id;
    int32_t ret;  /* enum hvt_result */
    uint32_t len; /* frame length for a read */
    uint32_t reserved;
};

struct hvt_ring {
    uint32_t ent_tail; /* guest: entries produced */
    uint32_t com_head; /* guest: completions consumed */
    uint8_t pad0[56];
    uint32_t ent_head;   /* monitor: entries consumed */
    uint32_t com_tail;   /* monitor: completions produced */
    uint32_t needs_kick; /* monitor: about to sleep; kick port 0x600 */
    uint8_t pad1[52];
    struct hvt_ring_entry entries[HVT_RING_SIZE];
    struct hvt_ring_commit commits[HVT_RING_SIZE];
};

_Static_assert(sizeof(struct hvt_boot_info) == 56, "hvt_boot_info layout");
_Static_assert(sizeof(struct hvt_ring_entry) == 32, "ring entry layout");
_Static_assert(offsetof(struct hvt_ring_entry, len) == 16, "ring entry len");
_Static_assert(sizeof(struct hvt_ring_commit) == 16, "ring commit layout");
_Static_assert(offsetof(struct hvt_ring, ent_head) == 64, "ring ent_head");
_Static_assert(offsetof(struct hvt_ring, entries) == 128, "ring entries");
_Static_assert(offsetof(struct hvt_ring, commits) == 32896, "ring commits");
_Static_assert(sizeof(struct hvt_ring) == 49280, "ring layout");
_Static_assert(sizeof(struct hvt_ring) <= HVT_RING_RESERVE, "ring reserve");
_Static_assert(sizeof(struct hvt_ring_tg_frame) == 16, "tg frame layout");
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
