/* hvt_dev_abi.h: the devices' part of the binary interface between a guest
 * and its monitor (Solo5 hvt, ABI version 2, x86_64): the block and net
 * hypercalls' argument structs, the shared ring of ring I/O, and the host
 * feature bits that offer them. Device modules and the guest side include
 * it; see docs/hvt-abi.md. Every layout here is pinned by _Static_assert. */
#ifndef HVT_DEV_ABI_H
#define HVT_DEV_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "hvt_core_abi.h"

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

_Static_assert(sizeof(struct hvt_ring_entry) == 32, "ring entry layout");
_Static_assert(offsetof(struct hvt_ring_entry, len) == 16, "ring entry len");
_Static_assert(sizeof(struct hvt_ring_commit) == 16, "ring commit layout");
_Static_assert(offsetof(struct hvt_ring, ent_head) == 64, "ring ent_head");
_Static_assert(offsetof(struct hvt_ring, entries) == 128, "ring entries");
_Static_assert(offsetof(struct hvt_ring, commits) == 32896, "ring commits");
_Static_assert(sizeof(struct hvt_ring) == 49280, "ring layout");
_Static_assert(sizeof(struct hvt_ring) <= HVT_RING_RESERVE, "ring reserve");
_Static_assert(sizeof(struct hvt_ring_tg_frame) == 16, "tg frame layout");
_Static_assert(sizeof(struct hvt_hc_block_write) == 40, "block write layout");
_Static_assert(offsetof(struct hvt_hc_block_write, ret) == 32, "blkw ret");
_Static_assert(sizeof(struct hvt_hc_block_read) == 40, "block read layout");
_Static_assert(sizeof(struct hvt_hc_net_write) == 32, "net write layout");
_Static_assert(offsetof(struct hvt_hc_net_write, ret) == 24, "netw ret");
_Static_assert(sizeof(struct hvt_hc_net_read) == 32, "net read layout");

#endif /* HVT_DEV_ABI_H */
