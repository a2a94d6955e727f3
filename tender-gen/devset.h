/* devset.h: the device set, the one model both front ends (YAML manifest,
 * unikernel ELF) produce and every back end (note, monitor, --print) reads. */
#ifndef TG_DEVSET_H
#define TG_DEVSET_H

#include <stdint.h>

#include "../include/mft_abi.h"

#define TG_MAX_DEVICES (MFT_MAX_ENTRIES - 1) /* entry 0 is reserved */
#define TG_NAME_MAX 128                      /* service name, from name: */

/* Where a value came from, for diagnostics. line/col are 1-based; 0 means
 * "no position" (ELF input). */
struct tg_loc {
    const char *file;
    unsigned line;
    unsigned col;
};

struct tg_device {
    char name[MFT_NAME_SIZE];
    unsigned type; /* index into the registry's device types */
    struct tg_loc loc;
};

/* The monitor kind a unikernel is built for: Solo5's ABI1 note says which
 * (hvt: a KVM virtual machine; spt: a process under a seccomp filter). */
enum tg_target { TG_TARGET_HVT, TG_TARGET_SPT, TG_NTARGETS };

struct tg_devset {
    char name[TG_NAME_MAX + 1]; /* "" when the input names no service */
    unsigned target;            /* enum tg_target; hvt unless told */
    int target_from_note;       /* target came from an ELF's ABI1 note */
    uint64_t mem_size;          /* bytes; 0 when the input gives none */
    uint32_t modules;           /* TGN1 note bits of opt-in modules */
    unsigned ndevices;
    struct tg_device devices[TG_MAX_DEVICES]; /* in manifest (handle) order */
};

/* "hvt", "spt". */
const char *tg_target_name(unsigned target);

/* The target named (name), or -1. */
int tg_target_named(const char *name);

/* Type name as written in YAML manifests ("net", "block"). */
const char *tg_dev_type_name(unsigned type);

/* Solo5 type name ("NET_BASIC", "BLOCK_BASIC"). */
const char *tg_dev_type_solo5_name(unsigned type);

/* Number of devices of (type) in (set). */
unsigned tg_devset_count(const struct tg_devset *set, unsigned type);

#endif /* TG_DEVSET_H */
