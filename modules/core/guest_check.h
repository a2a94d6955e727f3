/* guest_check.h: the rules a unikernel file follows (its ELF header, the
 * ABI1, MFT1 and TGN1 notes and the manifest in MFT1, docs/hvt-abi.md §1-§2)
 * and the guest memory size rule. tender-gen and every generated monitor
 * compile this one checker, so the two cannot disagree on what they accept
 * or on why they refuse. Pure functions over bytes: nothing is printed,
 * allocated or kept. */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/hvt_abi.h"
#include "../../include/mft_abi.h"

/* Why a file or a size is refused; guest_why() gives the words. */
enum guest_reason {
    GUEST_OK,
    GUEST_NOT_ELF,
    GUEST_SHORT_EHDR,
    GUEST_CLASS,
    GUEST_DATA,
    GUEST_IDENT_VERSION,
    GUEST_VERSION,
    GUEST_TYPE_DYN,
    GUEST_TYPE,
    GUEST_MACHINE,
    GUEST_EHSIZE,
    GUEST_PHENTSIZE,
    GUEST_NO_PHDRS,
    GUEST_PHDRS_BEYOND,
    GUEST_PHDRS_MISALIGNED,
    GUEST_NOTE_TINY,    /* a PT_NOTE smaller than a note header */
    GUEST_NOTE_BEYOND,  /* a PT_NOTE past the end of the file */
    GUEST_NOTE_TWICE,   /* a second note of one kind */
    GUEST_DESC_SIZE,    /* n_descsz outside 1..the kind's maximum */
    GUEST_DESC_FILESZ,  /* the descriptor runs past its PT_NOTE */
    GUEST_DESC_PADDING, /* nothing left after the alignment padding */
    GUEST_NO_ABI,
    GUEST_ABI_SHORT,
    GUEST_ABI_TARGET,
    GUEST_ABI_VERSION,
    GUEST_NO_MFT,
    GUEST_MFT_SHORT,
    GUEST_MFT_VERSION,
    GUEST_MFT_NO_ENTRIES,
    GUEST_MFT_TOO_MANY,
    GUEST_MFT_SIZE,
    GUEST_RESERVED_TYPE,
    GUEST_RESERVED_NAME,
    GUEST_NAME_UNTERMINATED,
    GUEST_ATTACHED,
    GUEST_NAME_EMPTY,
    GUEST_NAME_CHARS,
    GUEST_NAME_TWICE,
    GUEST_TYPE_UNKNOWN,
    GUEST_TGN_SHORT,
    GUEST_TGN_VERSION,
    GUEST_TGN_SIZE,
    GUEST_TGN_MODULES,
    GUEST_TGN_MEMORY, /* mem_size breaks the memory rule: see .mem */
    GUEST_MEM_SMALL,
    GUEST_MEM_LARGE,
    GUEST_MEM_STEP,
    GUEST_NREASONS
};

/* The first thing wrong with a file, where it is, and the numbers a
 * detailed message shows (which ones, per reason, in guest_check.c). */
struct guest_problem {
    enum guest_reason reason;
    int phdr;              /* the program header, or -1 */
    int entry;             /* the manifest entry, or -1 */
    const char *note;      /* "ABI1", "MFT1", "TGN1", or NULL */
    enum guest_reason mem; /* for GUEST_TGN_MEMORY: how the size is wrong */
    uint64_t value[3];
};

/* What the caller accepts. abi_target is the ABI1 target a monitor runs
 * (HVT_ABI_TARGET; Solo5's process tender, spt, is 2). type_known says
 * whether a manifest entry's type is a device type the caller knows;
 * known_modules holds the TGN1 opt-in module bits it knows. */
struct guest_rules {
    uint32_t abi_target;
    uint32_t abi_version;
    int (*type_known)(const void *ctx, uint32_t mft_type);
    const void *ctx;
    uint32_t known_modules;
};

/* What an accepted file's notes say. mft points into the caller's buffer
 * (no alignment promised): mft_size bytes of struct mft. When a manifest
 * entry is refused, mft already points at that manifest. */
struct guest_notes {
    uint64_t entry;
    const uint8_t *mft;
    size_t mft_size;
    uint32_t modules;  /* TGN1 opt-in bits, 0 without the note */
    uint64_t mem_size; /* TGN1 default memory, 0 without */
};

/* Checks the ELF header and the notes of (buf, len) by (rules). Returns 0
 * and fills (out), or -1 and describes the first problem in (why). */
int guest_check_elf(const uint8_t *buf, size_t len,
                    const struct guest_rules *rules, struct guest_notes *out,
                    struct guest_problem *why);

/* The memory rule (docs/design.md decision 9): 2 MiB to 4 GiB in steps of
 * 2 MiB. Returns GUEST_OK, GUEST_MEM_SMALL, GUEST_MEM_LARGE or
 * GUEST_MEM_STEP. */
enum guest_reason guest_mem_check(uint64_t bytes);

/* Parses a memory size: DIGITS and a K, M or G suffix when (unit) is 0,
 * else DIGITS alone, counted in (unit) bytes. Saturates at UINT64_MAX.
 * Returns 0, or -1 when (s, len) has not that form. */
int guest_parse_size(const char *s, size_t len, uint64_t unit, uint64_t *bytes);

/* What is wrong, in words: "phdr[3]: ABI1 note does not fall within valid
 * size". Callers may add the problem's numbers after it. */
const char *guest_why(const struct guest_problem *p, char *buf, size_t size);

/* "hvt", "spt"...: the name of an ABI1 target, or "". */
const char *guest_target_name(uint64_t target);

/* The words for a reason alone ("is not a multiple of 2M"). */
const char *guest_reason_text(enum guest_reason reason);

#endif /* GUEST_CHECK_H */
