/* guest_check.h: the rules a unikernel file follows (ELF header, loadable
 * segments, the ABI1, MFT1 and TGN1 notes and the manifest in MFT1,
 * docs/hvt-abi.md §1-§2) and the guest memory size rule. tender-gen and
 * every generated monitor compile this one checker, so they accept the
 * same files and refuse the others with the same words. Pure functions
 * over bytes: nothing is printed, allocated or kept. */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/mft_abi.h"

/* Both targets' guests load from 1 MiB and have at most 4 GiB of memory
 * (HVT_GUEST_MIN_BASE, SPT_GUEST_MIN_BASE, HVT_MAX_MEM_SIZE: tender-gen
 * asserts they agree), so the checker needs neither target's header. */
#define GUEST_MIN_BASE 0x100000ULL
#define GUEST_MAX_MEM 0x100000000ULL

/* Loadable segments a monitor places: executable ones, and ones that are
 * not writable (read-only on the host; one range is the boot data's). */
#define GUEST_MAX_EXEC 15
#define GUEST_MAX_RO 15

/* What the caller accepts. abi_target is the ABI1 target it runs, called
 * (target) in messages (HVT_ABI_TARGET, "hvt"; Solo5's process tender is
 * 2, "spt", and its guests load at 1 MiB too); type_known says
 * whether it knows a manifest entry's device type; known_modules holds
 * the TGN1 opt-in module bits it knows. */
struct guest_rules {
    uint32_t abi_target;
    uint32_t abi_target_alt; /* a second target accepted, or 0 */
    const char *target;      /* names them: "hvt", "hvt or solo5-spt" */
    uint32_t abi_version;
    int (*type_known)(const void *ctx, uint32_t mft_type);
    const void *ctx;
    uint32_t known_modules;
};

/* What an accepted file says. mft points into the caller's buffer (no
 * alignment promised): mft_size bytes of struct mft. */
struct guest_notes {
    uint32_t abi_target; /* the ABI1 note's */
    uint64_t entry;
    const uint8_t *mft;
    size_t mft_size;
    uint32_t modules;  /* TGN1 opt-in bits, 0 without the note */
    uint64_t mem_size; /* TGN1 default memory, 0 without */
};

/* Checks (buf, len) by (rules). Returns 0 and fills (out), or -1 with
 * what is wrong, one line, in (why). */
int guest_check_elf(const uint8_t *buf, size_t len,
                    const struct guest_rules *rules, struct guest_notes *out,
                    char *why, size_t why_size);

/* Reads (size) bytes at file offset (off) into (dst); -1 when it cannot. */
typedef int guest_read_fn(void *ctx, uint8_t *dst, size_t size, uint64_t off);

/* Reads into (buf), the file's (len) bytes, only the parts
 * guest_check_elf() looks at, each at its own offset: the ELF header, the
 * program header table and each PT_NOTE. Parts that do not fit in the file
 * are not read (the checker refuses them); the rest of (buf) is left
 * untouched. Returns -1 when (read) fails. */
int guest_read_parts(uint8_t *buf, size_t len, guest_read_fn *read, void *ctx);

/* True for a program header (56 bytes, little-endian) whose segment the
 * monitor places in guest memory. */
int guest_segment_loads(const uint8_t *ph);

/* NULL when (bytes) follows the memory rule (docs/design.md decision 9:
 * 2M to 4G in steps of 2M); else what is wrong: "is less than the minimum
 * 2M", "is more than the maximum 4G" or "is not a multiple of 2M". */
const char *guest_mem_problem(uint64_t bytes);

/* Parses (s, len), decimal digits only, into (n), saturating at
 * UINT64_MAX. Returns 0, or -1 when it is empty or not all digits. */
int guest_parse_number(const char *s, size_t len, uint64_t *n);

#endif /* GUEST_CHECK_H */
