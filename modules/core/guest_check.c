/* guest_check.c: the one checker of unikernel files and memory sizes (see
 * guest_check.h). Everything in the file is untrusted: each offset and size
 * is checked, with overflow, before it is used, and fields are read byte by
 * byte, since the file promises no alignment. */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "guest_check.h"

/* Elf64_Nhdr, the part every note has. */
#define GC_NHDR_SIZE 12
/* Elf64_Nhdr + "TenderGen\0" padded to 4 bytes. */
#define GC_TGN1_NOTE_HDR_SIZE 24
/* Room for later TGN1 versions; version 1 uses exactly 16 bytes. */
#define GC_TGN1_NOTE_MAX_DESCSZ 256
#define GC_ABI1_MIN_DESC 8       /* abi_target and abi_version */
#define GC_MEM_STEP (2ULL << 20) /* guest memory is mapped in 2 MiB pages */

static const char *const gc_texts[GUEST_NREASONS] = {
    [GUEST_OK] = "no problem",
    [GUEST_NOT_ELF] = "not an ELF file (bad magic)",
    [GUEST_SHORT_EHDR] = "file too short for an ELF header",
    [GUEST_CLASS] = "not a 64-bit ELF file",
    [GUEST_DATA] = "not a little-endian ELF file",
    [GUEST_IDENT_VERSION] = "unsupported ELF version in e_ident",
    [GUEST_VERSION] = "unsupported ELF version",
    [GUEST_TYPE_DYN] = "position-independent executable (ET_DYN); "
                       "unikernels are static executables (ET_EXEC)",
    [GUEST_TYPE] = "not a static executable (e_type is not ET_EXEC)",
    [GUEST_MACHINE] = "not an x86_64 executable",
    [GUEST_EHSIZE] = "unexpected ELF header size",
    [GUEST_PHENTSIZE] = "unexpected program header entry size",
    [GUEST_NO_PHDRS] = "no program headers (e_phnum is 0)",
    [GUEST_PHDRS_BEYOND] =
        "program header table extends beyond the end of the file",
    [GUEST_PHDRS_MISALIGNED] = "program header table is misaligned",
    [GUEST_NOTE_TINY] = "note does not fall within valid size",
    [GUEST_NOTE_BEYOND] = "PT_NOTE extends beyond the end of the file",
    [GUEST_NOTE_TWICE] = "appears twice",
    [GUEST_DESC_SIZE] = "does not fall within valid size",
    [GUEST_DESC_FILESZ] = "does not fall within valid size",
    [GUEST_DESC_PADDING] = "does not fall within valid size",
    [GUEST_NO_ABI] = "no Solo5 ABI information found in executable",
    [GUEST_ABI_SHORT] =
        "descriptor is too small for abi_target and abi_version",
    [GUEST_ABI_TARGET] = "executable is not for this target",
    [GUEST_ABI_VERSION] = "executable requests an unsupported ABI version",
    [GUEST_NO_MFT] = "no Solo5 manifest found in executable",
    [GUEST_MFT_SHORT] = "manifest is too small for its header",
    [GUEST_MFT_VERSION] = "manifest version is not supported",
    [GUEST_MFT_NO_ENTRIES] =
        "manifest has no entries (entry 0 must be the reserved entry)",
    [GUEST_MFT_TOO_MANY] = "manifest has more than 64 entries (63 devices "
                           "and the reserved entry)",
    [GUEST_MFT_SIZE] = "manifest size does not match its number of entries",
    [GUEST_RESERVED_TYPE] = "must be the reserved entry",
    [GUEST_RESERVED_NAME] = "the reserved entry must have an empty name",
    [GUEST_NAME_UNTERMINATED] = "name is not NUL-terminated within 68 bytes",
    [GUEST_ATTACHED] = "'attached' is set in the file (it must be 0 until a "
                       "monitor attaches the device)",
    [GUEST_NAME_EMPTY] = "empty device name",
    [GUEST_NAME_CHARS] = "device name must be alphanumeric",
    [GUEST_NAME_TWICE] = "device name is declared more than once",
    [GUEST_TYPE_UNKNOWN] = "unknown device type",
    [GUEST_TGN_SHORT] = "does not fall within valid size",
    [GUEST_TGN_VERSION] = "TenderGen note version is not supported",
    [GUEST_TGN_SIZE] = "does not fall within valid size",
    [GUEST_TGN_MODULES] = "TenderGen note asks for unknown modules",
    [GUEST_TGN_MEMORY] = "TenderGen note: memory",
    [GUEST_MEM_SMALL] = "is less than the minimum 2M",
    [GUEST_MEM_LARGE] = "is more than the maximum 4G",
    [GUEST_MEM_STEP] = "is not a multiple of 2M",
};

/* How a kind of note is framed (docs/hvt-abi.md §1.3): header size up to
 * the descriptor, descriptor alignment from the note start, maximum
 * n_descsz. */
struct gc_note_kind {
    const char *what;
    uint32_t hdr, align, max;
};

enum { GC_ABI1, GC_MFT1, GC_TGN1 };
static const struct gc_note_kind gc_kinds[] = {
    [GC_ABI1] = {"ABI1", SOLO5_NOTE_HDR_SIZE, ABI1_NOTE_ALIGN,
                 ABI1_NOTE_MAX_DESCSZ},
    [GC_MFT1] = {"MFT1", SOLO5_NOTE_HDR_SIZE, MFT1_NOTE_ALIGN,
                 MFT1_NOTE_MAX_DESCSZ},
    [GC_TGN1] = {"TGN1", GC_TGN1_NOTE_HDR_SIZE, TGN1_NOTE_ALIGN,
                 GC_TGN1_NOTE_MAX_DESCSZ},
};

/* One check of one file. seen[kind] is 1 + the phdr of its first note. */
struct gc_walk {
    const uint8_t *buf;
    size_t len;
    const struct guest_rules *rules;
    struct guest_notes *out;
    struct guest_problem *why;
    unsigned seen[3];
};

static uint32_t gc_rd16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t gc_rd32(const uint8_t *p)
{
    return gc_rd16(p) | gc_rd16(p + 2) << 16;
}

static uint64_t gc_rd64(const uint8_t *p)
{
    return (uint64_t)gc_rd32(p) | (uint64_t)gc_rd32(p + 4) << 32;
}

static int gc_refuse(struct guest_problem *why, enum guest_reason reason,
                     int phdr, const char *note, uint64_t a, uint64_t b,
                     uint64_t c)
{
    *why = (struct guest_problem){reason, phdr, -1, note, GUEST_OK, {a, b, c}};
    return -1;
}

static int gc_refuse_entry(struct guest_problem *why, enum guest_reason reason,
                           unsigned entry, uint64_t a)
{
    *why = (struct guest_problem){reason, -1,       (int)entry,
                                  NULL,   GUEST_OK, {a, 0, 0}};
    return -1;
}

#define GC_EH(field) (buf + offsetof(Elf64_Ehdr, field))

/* The ELF header (docs/hvt-abi.md §1.1). */
static int gc_check_ehdr(const uint8_t *buf, size_t len,
                         struct guest_problem *w)
{
    if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
        return gc_refuse(w, GUEST_NOT_ELF, -1, NULL, 0, 0, 0);
    if (len < sizeof(Elf64_Ehdr))
        return gc_refuse(w, GUEST_SHORT_EHDR, -1, NULL, len, 0, 0);
    if (buf[EI_CLASS] != ELFCLASS64)
        return gc_refuse(w, GUEST_CLASS, -1, NULL, buf[EI_CLASS], 0, 0);
    if (buf[EI_DATA] != ELFDATA2LSB)
        return gc_refuse(w, GUEST_DATA, -1, NULL, buf[EI_DATA], 0, 0);
    if (buf[EI_VERSION] != EV_CURRENT)
        return gc_refuse(w, GUEST_IDENT_VERSION, -1, NULL, buf[EI_VERSION], 0,
                         0);
    if (gc_rd32(GC_EH(e_version)) != EV_CURRENT)
        return gc_refuse(w, GUEST_VERSION, -1, NULL, gc_rd32(GC_EH(e_version)),
                         0, 0);
    if (gc_rd16(GC_EH(e_type)) == ET_DYN)
        return gc_refuse(w, GUEST_TYPE_DYN, -1, NULL, 0, 0, 0);
    if (gc_rd16(GC_EH(e_type)) != ET_EXEC)
        return gc_refuse(w, GUEST_TYPE, -1, NULL, gc_rd16(GC_EH(e_type)), 0, 0);
    if (gc_rd16(GC_EH(e_machine)) != EM_X86_64)
        return gc_refuse(w, GUEST_MACHINE, -1, NULL, gc_rd16(GC_EH(e_machine)),
                         0, 0);
    if (gc_rd16(GC_EH(e_ehsize)) != sizeof(Elf64_Ehdr))
        return gc_refuse(w, GUEST_EHSIZE, -1, NULL, gc_rd16(GC_EH(e_ehsize)), 0,
                         0);
    if (gc_rd16(GC_EH(e_phentsize)) != sizeof(Elf64_Phdr))
        return gc_refuse(w, GUEST_PHENTSIZE, -1, NULL,
                         gc_rd16(GC_EH(e_phentsize)), 0, 0);
    uint64_t phoff = gc_rd64(GC_EH(e_phoff)), phnum = gc_rd16(GC_EH(e_phnum));
    if (phnum == 0)
        return gc_refuse(w, GUEST_NO_PHDRS, -1, NULL, 0, 0, 0);
    if (phoff > len || (len - phoff) / sizeof(Elf64_Phdr) < phnum)
        return gc_refuse(w, GUEST_PHDRS_BEYOND, -1, NULL, phoff, phnum, len);
    /* The monitor's loader reads the table in place. */
    if (phoff % 8 != 0)
        return gc_refuse(w, GUEST_PHDRS_MISALIGNED, -1, NULL, phoff, 0, 0);
    return 0;
}

/* The mem_size rule, shared with manifests and --mem. */
enum guest_reason guest_mem_check(uint64_t bytes)
{
    if (bytes < GC_MEM_STEP)
        return GUEST_MEM_SMALL;
    if (bytes > HVT_MAX_MEM_SIZE)
        return GUEST_MEM_LARGE;
    return bytes % GC_MEM_STEP ? GUEST_MEM_STEP : GUEST_OK;
}

static int gc_is_alnum(uint8_t ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9');
}

/* A device's name: 1..67 alphanumeric characters, unique
 * (docs/manifest.md), and a type the caller knows. */
static int gc_check_device(const struct gc_walk *w, const uint8_t *mft,
                           unsigned i)
{
    const uint8_t *e = mft + MFT_SIZE(i);
    uint32_t type = gc_rd32(e + offsetof(struct mft_entry, type));

    if (e[0] == 0)
        return gc_refuse_entry(w->why, GUEST_NAME_EMPTY, i, 0);
    for (const uint8_t *p = e; *p; p++)
        if (!gc_is_alnum(*p))
            return gc_refuse_entry(w->why, GUEST_NAME_CHARS, i, 0);
    for (unsigned j = 1; j < i; j++)
        if (strcmp((const char *)mft + MFT_SIZE(j), (const char *)e) == 0)
            return gc_refuse_entry(w->why, GUEST_NAME_TWICE, i, j);
    if (w->rules->type_known && !w->rules->type_known(w->rules->ctx, type))
        return gc_refuse_entry(w->why, GUEST_TYPE_UNKNOWN, i, type);
    return 0;
}

/* One entry; entry 0 is the reserved one (docs/hvt-abi.md §2.2). */
static int gc_check_entry(const struct gc_walk *w, const uint8_t *mft,
                          unsigned i)
{
    const uint8_t *e = mft + MFT_SIZE(i);
    uint32_t type = gc_rd32(e + offsetof(struct mft_entry, type));

    if (e[MFT_NAME_MAX] != 0)
        return gc_refuse_entry(w->why, GUEST_NAME_UNTERMINATED, i, 0);
    if (e[offsetof(struct mft_entry, attached)] != 0)
        return gc_refuse_entry(w->why, GUEST_ATTACHED, i, 0);
    if (i > 0)
        return gc_check_device(w, mft, i);
    if (type != MFT_RESERVED_FIRST)
        return gc_refuse_entry(w->why, GUEST_RESERVED_TYPE, i, type);
    if (e[0] != 0)
        return gc_refuse_entry(w->why, GUEST_RESERVED_NAME, i, 0);
    return 0;
}

/* struct mft (docs/hvt-abi.md §2.3). */
static int gc_read_mft1(struct gc_walk *w, const uint8_t *d, size_t size)
{
    if (size < MFT_SIZE(0))
        return gc_refuse(w->why, GUEST_MFT_SHORT, -1, NULL, size, 0, 0);
    uint32_t version = gc_rd32(d), entries = gc_rd32(d + 4);
    if (version != MFT_VERSION)
        return gc_refuse(w->why, GUEST_MFT_VERSION, -1, NULL, version, 0, 0);
    if (entries == 0)
        return gc_refuse(w->why, GUEST_MFT_NO_ENTRIES, -1, NULL, 0, 0, 0);
    if (entries > MFT_MAX_ENTRIES)
        return gc_refuse(w->why, GUEST_MFT_TOO_MANY, -1, NULL, entries, 0, 0);
    if (size != MFT_SIZE(entries))
        return gc_refuse(w->why, GUEST_MFT_SIZE, -1, NULL, size, entries,
                         MFT_SIZE(entries));
    w->out->mft = d; /* for the caller's message if an entry is refused */
    w->out->mft_size = size;
    for (unsigned i = 0; i < entries; i++)
        if (gc_check_entry(w, d, i) < 0)
            return -1;
    return 0;
}

static int gc_read_abi1(struct gc_walk *w, unsigned phdr, const uint8_t *d,
                        size_t size)
{
    if (size < GC_ABI1_MIN_DESC)
        return gc_refuse(w->why, GUEST_ABI_SHORT, (int)phdr, "ABI1", size, 0,
                         0);
    if (gc_rd32(d) != w->rules->abi_target)
        return gc_refuse(w->why, GUEST_ABI_TARGET, -1, NULL, gc_rd32(d),
                         w->rules->abi_target, 0);
    if (gc_rd32(d + 4) != w->rules->abi_version)
        return gc_refuse(w->why, GUEST_ABI_VERSION, -1, NULL, gc_rd32(d + 4),
                         w->rules->abi_version, 0);
    return 0;
}

static int gc_read_tgn1(struct gc_walk *w, unsigned phdr, const uint8_t *d,
                        size_t size)
{
    if (size < sizeof(uint32_t))
        return gc_refuse(w->why, GUEST_TGN_SHORT, (int)phdr, "TGN1", size, 0,
                         0);
    if (gc_rd32(d) != TGN1_VERSION)
        return gc_refuse(w->why, GUEST_TGN_VERSION, -1, NULL, gc_rd32(d), 0, 0);
    if (size != sizeof(struct tgn1_info))
        return gc_refuse(w->why, GUEST_TGN_SIZE, (int)phdr, "TGN1", size, 0, 0);
    uint32_t modules = gc_rd32(d + offsetof(struct tgn1_info, modules));
    uint64_t mem = gc_rd64(d + offsetof(struct tgn1_info, mem_size));
    if (modules & ~w->rules->known_modules)
        return gc_refuse(w->why, GUEST_TGN_MODULES, -1, NULL,
                         modules & ~w->rules->known_modules, 0, 0);
    if (mem != 0 && guest_mem_check(mem) != GUEST_OK) {
        gc_refuse(w->why, GUEST_TGN_MEMORY, -1, NULL, mem, 0, 0);
        w->why->mem = guest_mem_check(mem);
        return -1;
    }
    w->out->modules = modules;
    w->out->mem_size = mem;
    return 0;
}

/* A note of a kind we read: its descriptor framed as solo5-hvt frames it
 * (n_descsz in 1..max, inside the PT_NOTE, something left after the
 * alignment padding), then its contents. */
static int gc_read_note(struct gc_walk *w, unsigned phdr, int kind,
                        const uint8_t *n, uint64_t filesz)
{
    const struct gc_note_kind *k = &gc_kinds[kind];
    uint32_t descsz = gc_rd32(n + 4);
    uint32_t pad = ((k->hdr + k->align - 1) & ~(k->align - 1)) - k->hdr;

    if (w->seen[kind])
        return gc_refuse(w->why, GUEST_NOTE_TWICE, (int)phdr, k->what,
                         w->seen[kind] - 1, 0, 0);
    w->seen[kind] = phdr + 1;
    if (descsz < 1 || descsz > k->max)
        return gc_refuse(w->why, GUEST_DESC_SIZE, (int)phdr, k->what, descsz,
                         k->max, 0);
    if (filesz < (uint64_t)k->hdr + descsz)
        return gc_refuse(w->why, GUEST_DESC_FILESZ, (int)phdr, k->what, filesz,
                         k->hdr, descsz);
    if (descsz <= pad)
        return gc_refuse(w->why, GUEST_DESC_PADDING, (int)phdr, k->what, descsz,
                         pad, 0);
    n += k->hdr + pad;
    if (kind == GC_ABI1)
        return gc_read_abi1(w, phdr, n, descsz - pad);
    if (kind == GC_MFT1)
        return gc_read_mft1(w, n, descsz - pad);
    return gc_read_tgn1(w, phdr, n, descsz - pad);
}

/* One PT_NOTE: only its first note is looked at (docs/hvt-abi.md §1.3). */
static int gc_check_pt_note(struct gc_walk *w, unsigned phdr, const uint8_t *ph)
{
    uint64_t off = gc_rd64(ph + offsetof(Elf64_Phdr, p_offset));
    uint64_t filesz = gc_rd64(ph + offsetof(Elf64_Phdr, p_filesz));

    if (filesz < GC_NHDR_SIZE)
        return gc_refuse(w->why, GUEST_NOTE_TINY, (int)phdr, NULL, filesz, 0,
                         0);
    if (off > w->len || w->len - off < filesz)
        return gc_refuse(w->why, GUEST_NOTE_BEYOND, (int)phdr, NULL, off,
                         filesz, w->len);
    if (filesz < SOLO5_NOTE_HDR_SIZE)
        return 0; /* too small for any note we read: skipped, as solo5-hvt */
    const uint8_t *n = w->buf + off;
    uint32_t namesz = gc_rd32(n), type = gc_rd32(n + 8);
    if (namesz == SOLO5_NOTE_NAMESZ &&
        memcmp(n + GC_NHDR_SIZE, SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ) == 0) {
        if (type == SOLO5_NOTE_ABI)
            return gc_read_note(w, phdr, GC_ABI1, n, filesz);
        if (type == SOLO5_NOTE_MANIFEST)
            return gc_read_note(w, phdr, GC_MFT1, n, filesz);
    } else if (namesz == TGN1_NOTE_NAMESZ && filesz >= GC_TGN1_NOTE_HDR_SIZE &&
               type == TGN1_NOTE_TYPE &&
               memcmp(n + GC_NHDR_SIZE, TGN1_NOTE_NAME, TGN1_NOTE_NAMESZ) ==
                   0) {
        return gc_read_note(w, phdr, GC_TGN1, n, filesz);
    }
    return 0;
}

int guest_check_elf(const uint8_t *buf, size_t len,
                    const struct guest_rules *rules, struct guest_notes *out,
                    struct guest_problem *why)
{
    struct gc_walk w = {buf, len, rules, out, why, {0}};

    memset(out, 0, sizeof(*out));
    if (gc_check_ehdr(buf, len, why) < 0)
        return -1;
    out->entry = gc_rd64(GC_EH(e_entry));
    const uint8_t *ph = buf + gc_rd64(GC_EH(e_phoff));
    for (unsigned i = 0; i < gc_rd16(GC_EH(e_phnum));
         i++, ph += sizeof(Elf64_Phdr))
        if (gc_rd32(ph) == PT_NOTE && gc_check_pt_note(&w, i, ph) < 0)
            return -1;
    if (!w.seen[GC_ABI1])
        return gc_refuse(why, GUEST_NO_ABI, -1, NULL, 0, 0, 0);
    if (!w.seen[GC_MFT1])
        return gc_refuse(why, GUEST_NO_MFT, -1, NULL, 0, 0, 0);
    return 0;
}

int guest_parse_size(const char *s, size_t len, uint64_t unit, uint64_t *bytes)
{
    uint64_t n = 0;
    size_t i;

    for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        n = n > (UINT64_MAX - 9) / 10 ? UINT64_MAX
                                      : n * 10 + (uint64_t)(s[i] - '0');
    if (i == 0 || i + (unit == 0) != len)
        return -1;
    if (unit == 0) {
        const char *units = "KMG";
        const char *u = memchr(units, s[i], 3);
        if (u == NULL)
            return -1;
        unit = 1ULL << (10 * (u - units + 1));
    }
    *bytes = n > UINT64_MAX / unit ? UINT64_MAX : n * unit;
    return 0;
}

const char *guest_reason_text(enum guest_reason reason)
{
    return gc_texts[reason];
}

const char *guest_target_name(uint64_t target)
{
    static const char *const names[] = {"",     "hvt",    "spt", "virtio",
                                        "muen", "genode", "xen"};

    return target < sizeof(names) / sizeof(names[0]) ? names[target] : "";
}

const char *guest_why(const struct guest_problem *p, char *buf, size_t size)
{
    char where[32] = "";

    if (p->phdr >= 0)
        snprintf(where, sizeof(where), "phdr[%d]: ", p->phdr);
    else if (p->entry >= 0)
        snprintf(where, sizeof(where), "manifest entry %d: ", p->entry);
    if (p->reason == GUEST_ABI_TARGET)
        snprintf(buf, size, "executable is not for the solo5-%s target",
                 guest_target_name(p->value[1]));
    else if (p->reason == GUEST_TGN_MEMORY)
        snprintf(buf, size, "%s %s", gc_texts[p->reason], gc_texts[p->mem]);
    else
        snprintf(buf, size, "%s%s%s%s", where, p->note ? p->note : "",
                 p->note ? " note " : "", gc_texts[p->reason]);
    return buf;
}
