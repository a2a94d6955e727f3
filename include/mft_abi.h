/* mft_abi.h: the ELF notes a unikernel carries: Solo5's ABI1 and MFT1 notes
 * (docs/hvt-abi.md §1.3-§2) and tender-gen's own TGN1 note (docs/design.md
 * decision 1). Shared by tender-gen, modules/ and kernel/; needs only C11
 * headers. */
#ifndef MFT_ABI_H
#define MFT_ABI_H

#include <stddef.h>
#include <stdint.h>

/* Every Solo5 note is named "Solo5\0" and is the first note of its own
 * PT_NOTE segment. The 20-byte header is the ELF note header followed by the
 * name padded to 8 bytes. */
#define SOLO5_NOTE_NAME "Solo5"
#define SOLO5_NOTE_NAMESZ 6
#define SOLO5_NOTE_HDR_SIZE 20
#define SOLO5_NOTE_ABI 0x31494241      /* "ABI1" */
#define SOLO5_NOTE_MANIFEST 0x3154464d /* "MFT1" */

#define ABI1_NOTE_ALIGN 4
#define ABI1_NOTE_MAX_DESCSZ 32
struct abi1_info {
    uint32_t abi_target;
    uint32_t abi_version;
    uint32_t reserved0;
    uint32_t reserved1;
};
_Static_assert(sizeof(struct abi1_info) == 16, "abi1_info layout");

#define MFT_VERSION 1
#define MFT_MAX_ENTRIES 64 /* entry 0 is reserved: 63 user devices */
#define MFT_NAME_SIZE 68   /* 67 characters and a NUL */
#define MFT_NAME_MAX 67
#define MFT1_NOTE_ALIGN 8
/* descsz = 4 bytes of padding + struct mft with MFT_MAX_ENTRIES entries */
#define MFT1_NOTE_MAX_DESCSZ (12 + 104 * MFT_MAX_ENTRIES)

enum mft_type {
    MFT_DEV_BLOCK_BASIC = 1,
    MFT_DEV_NET_BASIC = 2,
    MFT_RESERVED_FIRST = 0x40000000 /* entry 0's type */
};

struct mft_block_basic {
    uint64_t capacity;
    uint16_t block_size;
};

struct mft_net_basic {
    uint8_t mac[6];
    uint16_t mtu;
};

struct mft_entry {
    char name[MFT_NAME_SIZE];
    uint32_t type; /* enum mft_type; an enum is 4 bytes in Solo5's ABI */
    union {
        struct mft_block_basic block_basic;
        struct mft_net_basic net_basic;
    } u;
    union {
        int hostfd; /* monitor-private; the guest sees the host's value */
        uint64_t data;
    } b;
    uint8_t attached; /* a bool in Solo5's ABI; 0 in the file */
};

struct mft {
    uint32_t version;
    uint32_t entries;
    struct mft_entry e[]; /* entries, e[0] reserved */
};

_Static_assert(sizeof(struct mft_entry) == 104, "mft_entry layout");
_Static_assert(offsetof(struct mft_entry, type) == 68, "mft_entry type");
_Static_assert(offsetof(struct mft_entry, u) == 72, "mft_entry u");
_Static_assert(offsetof(struct mft_entry, b) == 88, "mft_entry b");
_Static_assert(offsetof(struct mft_entry, attached) == 96, "attached");
_Static_assert(sizeof(struct mft) == 8, "mft header layout");

/* Size in bytes of a struct mft with n entries (reserved one included). */
#define MFT_SIZE(n) (8 + 104 * (size_t)(n))

/* tender-gen's own note, in its own PT_NOTE (solo5-hvt skips it: wrong
 * name). It carries what the MFT1 note cannot: the manifest's default
 * memory and opt-in modules, so ELF and YAML input give the same monitor. */
#define TGN1_NOTE_NAME "TenderGen"
#define TGN1_NOTE_NAMESZ 10
#define TGN1_NOTE_TYPE 0x314e4754 /* "TGN1" */
#define TGN1_NOTE_ALIGN 8
#define TGN1_VERSION 1
struct tgn1_info {
    uint32_t version;  /* TGN1_VERSION */
    uint32_t modules;  /* the manifest's modules: each opt-in module's
                          note_bit (modules/NAME/module.yml) */
    uint64_t mem_size; /* default guest memory in bytes; 0: none given */
};
_Static_assert(sizeof(struct tgn1_info) == 16, "tgn1_info layout");

#endif /* MFT_ABI_H */
