/* guest_check.c: the one checker of unikernel files and memory sizes (see
 * guest_check.h). Everything in the file is untrusted: each offset and size
 * is checked, with overflow, before it is used, and fields are read byte by
 * byte, since the file promises no alignment. */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "guest_check.h"

/* One check of one file. seen[kind] is 1 + the phdr of its first note. */
struct gc_walk {
    const uint8_t *buf;
    size_t len;
    const struct guest_rules *rules;
    struct guest_notes *out;
    char *why;
    size_t why_size;
    unsigned seen[3];
};

/* The little-endian field of (bytes) bytes at (p). */
static uint64_t gc_rd(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;

    while (bytes--)
        v = v << 8 | p[bytes];
    return v;
}

#define GC_FIELD(type, p, f)                                                   \
    gc_rd((p) + offsetof(type, f), sizeof(((type *)0)->f))
#define GC_EH(f) GC_FIELD(Elf64_Ehdr, w->buf, f)
#define GC_PH(ph, f) GC_FIELD(Elf64_Phdr, ph, f)

__attribute__((format(printf, 2, 3))) static int
gc_refuse(const struct gc_walk *w, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(w->why, w->why_size, fmt, ap);
    va_end(ap);
    return -1;
}

/* ELF header fields with one valid value (docs/hvt-abi.md §1.1). */
static const struct gc_field {
    unsigned off, size, want;
    const char *what;
} gc_fields[] = {
    {EI_CLASS, 1, ELFCLASS64, "not a 64-bit ELF file (EI_CLASS"},
    {EI_DATA, 1, ELFDATA2LSB, "not a little-endian ELF file (EI_DATA"},
    {EI_VERSION, 1, EV_CURRENT, "unsupported ELF version (EI_VERSION"},
    {20, 4, EV_CURRENT, "unsupported ELF version (e_version"},
    {16, 2, ET_EXEC, "not a static executable (e_type"},
    {18, 2, EM_X86_64, "not an x86_64 executable (e_machine"},
    {52, 2, sizeof(Elf64_Ehdr), "bad ELF header size (e_ehsize"},
    {54, 2, sizeof(Elf64_Phdr), "bad program header size (e_phentsize"},
};

static int gc_check_ehdr(const struct gc_walk *w)
{
    if (w->len < SELFMAG || memcmp(w->buf, ELFMAG, SELFMAG) != 0)
        return gc_refuse(w, "not an ELF file (bad magic)");
    if (w->len < sizeof(Elf64_Ehdr))
        return gc_refuse(w, "file too short for an ELF header");
    if (GC_EH(e_type) == ET_DYN)
        return gc_refuse(w, "position-independent executable (ET_DYN): not "
                            "a static executable");
    for (size_t i = 0; i < sizeof(gc_fields) / sizeof(gc_fields[0]); i++) {
        const struct gc_field *f = &gc_fields[i];
        uint64_t v = gc_rd(w->buf + f->off, f->size);
        if (v != f->want)
            return gc_refuse(w, "%s %llu, expected %u)", f->what,
                             (unsigned long long)v, f->want);
    }
    uint64_t phoff = GC_EH(e_phoff), phnum = GC_EH(e_phnum);
    if (phnum == 0)
        return gc_refuse(w, "no program headers");
    if (phoff > w->len || (w->len - phoff) / sizeof(Elf64_Phdr) < phnum)
        return gc_refuse(w, "program header table extends beyond the file");
    if (phoff % 8 != 0) /* the monitor's loader reads it in place */
        return gc_refuse(w, "program header table is misaligned");
    return 0;
}

/* Those with file bytes, and executable ones from 1 MiB up even without
 * (their pages become executable). Guest memory starts zeroed, writable
 * and no-execute, so other empty ones need nothing; below 1 MiB they are
 * ignored (Solo5's images may have an empty TLS segment at address 0). */
int guest_segment_loads(const uint8_t *ph)
{
    return GC_PH(ph, p_type) == PT_LOAD &&
           (GC_PH(ph, p_filesz) != 0 ||
            ((GC_PH(ph, p_flags) & PF_X) && GC_PH(ph, p_memsz) != 0 &&
             GC_PH(ph, p_vaddr) >= GUEST_MIN_BASE));
}

/* One loaded segment (docs/hvt-abi.md §1.2); *end is where the previous
 * one ended, page aligned, and becomes this one's end. */
static int gc_check_segment(const struct gc_walk *w, const uint8_t *ph,
                            unsigned i, uint64_t *end)
{
    uint64_t align = GC_PH(ph, p_align), vaddr = GC_PH(ph, p_vaddr);
    uint64_t memsz = GC_PH(ph, p_memsz), flags = GC_PH(ph, p_flags);
    uint64_t start = vaddr & ~(align - 1), off = GC_PH(ph, p_offset);
    const char *bad = NULL;

    if (align == 0 || (align & (align - 1)) != 0)
        bad = "p_align is not a power of two";
    else if (start < GUEST_MIN_BASE || start % 4096 != 0)
        bad = "segment starts below 1 MiB or is not page aligned";
    else if (start < *end)
        bad = "segment overlaps or precedes an earlier one";
    else if (memsz < GC_PH(ph, p_filesz))
        bad = "p_memsz is smaller than p_filesz";
    else if (vaddr >= GUEST_MAX_MEM || memsz > GUEST_MAX_MEM - vaddr)
        bad = "segment reaches beyond 4 GiB";
    else if ((flags & PF_W) && (flags & PF_X))
        bad = "segment is both writable and executable";
    else if (off > w->len || GC_PH(ph, p_filesz) > w->len - off)
        bad = "segment extends beyond the file";
    *end = (vaddr + memsz + 4095) & ~4095ULL;
    return bad ? gc_refuse(w, "phdr[%u]: %s", i, bad) : 0;
}

static int gc_check_segments(const struct gc_walk *w, const uint8_t *phdrs,
                             unsigned phnum)
{
    unsigned exec = 0, ro = 0;
    uint64_t end = 0;

    for (const uint8_t *ph = phdrs; ph < phdrs + phnum * 56; ph += 56) {
        exec += guest_segment_loads(ph) && (GC_PH(ph, p_flags) & PF_X);
        ro += guest_segment_loads(ph) && !(GC_PH(ph, p_flags) & PF_W);
    }
    /* Executable ones first: they are read-only too, and the more specific
     * message is the one to give. */
    if (exec > GUEST_MAX_EXEC)
        return gc_refuse(w, "too many executable loadable segments (at most "
                            "15)");
    if (ro > GUEST_MAX_RO)
        return gc_refuse(w, "too many read-only loadable segments");
    for (unsigned i = 0; i < phnum; i++)
        if (guest_segment_loads(phdrs + i * 56) &&
            gc_check_segment(w, phdrs + i * 56, i, &end) < 0)
            return -1;
    if (end == 0)
        return gc_refuse(w, "no loadable segment");
    if (GC_EH(e_entry) < GUEST_MIN_BASE)
        return gc_refuse(w, "entry point outside guest memory");
    return 0;
}

/* Entry (i) of struct mft (docs/hvt-abi.md §2.2): entry 0 is the reserved
 * one; devices have unique alphanumeric names (docs/manifest.md) and a
 * type the caller knows. */
static const char *gc_entry_problem(const struct gc_walk *w, const uint8_t *mft,
                                    unsigned i)
{
    const uint8_t *e = mft + MFT_SIZE(i);
    const char *name = (const char *)e;
    uint32_t type = (uint32_t)GC_FIELD(struct mft_entry, e, type);

    if (e[MFT_NAME_MAX] != 0)
        return "name is not NUL-terminated within 68 bytes";
    if (e[offsetof(struct mft_entry, attached)] != 0)
        return "'attached' is set in the file";
    if (i == 0)
        return type == MFT_RESERVED_FIRST && !name[0]
                   ? NULL
                   : "must be the reserved entry (type 0x40000000, no name)";
    if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789") != strlen(name) ||
        !name[0])
        return "device name is empty or not alphanumeric";
    for (unsigned j = 1; j < i; j++)
        if (strcmp((const char *)mft + MFT_SIZE(j), name) == 0)
            return "device name is declared more than once";
    if (w->rules->type_known && !w->rules->type_known(w->rules->ctx, type))
        return "unknown device type";
    return NULL;
}

/* struct mft (docs/hvt-abi.md §2.3). */
static int gc_read_mft1(struct gc_walk *w, const uint8_t *d, size_t size)
{
    uint64_t entries = size < 8 ? 0 : gc_rd(d + 4, 4);
    const char *bad;

    if (size < 8 || gc_rd(d, 4) != MFT_VERSION)
        return gc_refuse(w, "manifest is not version 1");
    if (entries == 0 || entries > MFT_MAX_ENTRIES || size != MFT_SIZE(entries))
        return gc_refuse(w, "manifest size does not match its entry count");
    for (unsigned i = 0; i < entries; i++)
        if ((bad = gc_entry_problem(w, d, i)) != NULL)
            return gc_refuse(w, "manifest entry %u: %s", i, bad);
    w->out->mft = d;
    w->out->mft_size = size;
    return 0;
}

static int gc_read_abi1(struct gc_walk *w, const uint8_t *d, size_t size)
{
    uint32_t target = size < 8 ? 0 : (uint32_t)gc_rd(d, 4);

    if (target == 0 ||
        (target != w->rules->abi_target && target != w->rules->abi_target_alt))
        return gc_refuse(w, "executable is not for the solo5-%s target",
                         w->rules->target);
    w->out->abi_target = target;
    if (gc_rd(d + 4, 4) != w->rules->abi_version)
        return gc_refuse(w, "executable requests unsupported ABI version %llu",
                         (unsigned long long)gc_rd(d + 4, 4));
    return 0;
}

static int gc_read_tgn1(struct gc_walk *w, const uint8_t *d, size_t size)
{
    if (size != sizeof(struct tgn1_info) || gc_rd(d, 4) != TGN1_VERSION)
        return gc_refuse(w, "TenderGen note is not version 1 (16 bytes)");
    w->out->modules = (uint32_t)gc_rd(d + 4, 4);
    w->out->mem_size = gc_rd(d + 8, 8);
    if (w->out->modules & ~w->rules->known_modules)
        return gc_refuse(w, "TenderGen note: unknown module bits 0x%x",
                         w->out->modules & ~w->rules->known_modules);
    if (w->out->mem_size && guest_mem_problem(w->out->mem_size))
        return gc_refuse(w, "TenderGen note: memory of %llu bytes %s",
                         (unsigned long long)w->out->mem_size,
                         guest_mem_problem(w->out->mem_size));
    return 0;
}

/* How a kind of note is framed (docs/hvt-abi.md §1.3): header size up to
 * the descriptor, descriptor alignment from the note start, maximum
 * n_descsz (TGN1: room for later versions). */
enum { GC_ABI1, GC_MFT1, GC_TGN1 };
static const struct gc_note_kind {
    const char *what;
    uint32_t hdr, align, max;
} gc_kinds[] = {
    [GC_ABI1] = {"ABI1", SOLO5_NOTE_HDR_SIZE, 4, ABI1_NOTE_MAX_DESCSZ},
    [GC_MFT1] = {"MFT1", SOLO5_NOTE_HDR_SIZE, 8, MFT1_NOTE_MAX_DESCSZ},
    [GC_TGN1] = {"TGN1", 24, 8, 256},
};

/* A note of a kind we read: only the first one counts (a second is a
 * broken link, though solo5-hvt would use the first), its descriptor
 * framed as solo5-hvt frames it, then its contents. */
static int gc_read_note(struct gc_walk *w, unsigned phdr, int kind,
                        const uint8_t *n, uint64_t filesz)
{
    const struct gc_note_kind *k = &gc_kinds[kind];
    uint64_t descsz = gc_rd(n + 4, 4);
    uint32_t pad = ((k->hdr + k->align - 1) & ~(k->align - 1)) - k->hdr;

    if (w->seen[kind])
        return gc_refuse(w, "phdr[%u]: a second %s note", phdr, k->what);
    w->seen[kind] = phdr + 1;
    if (descsz <= pad || descsz > k->max || filesz < k->hdr + descsz)
        return gc_refuse(w,
                         "phdr[%u]: %s note does not fall within valid "
                         "size",
                         phdr, k->what);
    n += k->hdr + pad;
    if (kind == GC_ABI1)
        return gc_read_abi1(w, n, descsz - pad);
    if (kind == GC_MFT1)
        return gc_read_mft1(w, n, descsz - pad);
    return gc_read_tgn1(w, n, descsz - pad);
}

/* One PT_NOTE: only its first note is looked at (docs/hvt-abi.md §1.3);
 * one too small for a note header rejects the file, as in solo5-hvt. */
static int gc_check_pt_note(struct gc_walk *w, unsigned phdr, const uint8_t *ph)
{
    uint64_t off = GC_PH(ph, p_offset), filesz = GC_PH(ph, p_filesz);

    if (filesz < 12)
        return gc_refuse(w, "phdr[%u]: note does not fall within valid size",
                         phdr);
    if (off > w->len || w->len - off < filesz)
        return gc_refuse(w, "phdr[%u]: PT_NOTE extends beyond the file", phdr);
    if (filesz < SOLO5_NOTE_HDR_SIZE)
        return 0; /* too small for any note we read: skipped, as solo5-hvt */
    const uint8_t *n = w->buf + off;
    uint64_t namesz = gc_rd(n, 4), type = gc_rd(n + 8, 4);
    if (namesz == SOLO5_NOTE_NAMESZ && !memcmp(n + 12, "Solo5", 6))
        return type == SOLO5_NOTE_ABI
                   ? gc_read_note(w, phdr, GC_ABI1, n, filesz)
               : type == SOLO5_NOTE_MANIFEST
                   ? gc_read_note(w, phdr, GC_MFT1, n, filesz)
                   : 0;
    if (namesz == TGN1_NOTE_NAMESZ && filesz >= 24 && type == TGN1_NOTE_TYPE &&
        !memcmp(n + 12, TGN1_NOTE_NAME, TGN1_NOTE_NAMESZ))
        return gc_read_note(w, phdr, GC_TGN1, n, filesz);
    return 0;
}

int guest_check_elf(const uint8_t *buf, size_t len,
                    const struct guest_rules *rules, struct guest_notes *out,
                    char *why, size_t why_size)
{
    struct gc_walk walk = {buf, len, rules, out, why, why_size, {0}};
    struct gc_walk *w = &walk;

    memset(out, 0, sizeof(*out));
    if (gc_check_ehdr(w) < 0)
        return -1;
    const uint8_t *phdrs = buf + GC_EH(e_phoff);
    for (unsigned i = 0; i < GC_EH(e_phnum); i++)
        if (GC_PH(phdrs + i * 56, p_type) == PT_NOTE &&
            gc_check_pt_note(w, i, phdrs + i * 56) < 0)
            return -1;
    if (!w->seen[GC_ABI1])
        return gc_refuse(w, "no Solo5 ABI information found in executable");
    if (!w->seen[GC_MFT1])
        return gc_refuse(w, "no Solo5 manifest found in executable");
    out->entry = GC_EH(e_entry);
    return gc_check_segments(w, phdrs, (unsigned)GC_EH(e_phnum));
}

/* Reads [off, end) but for the header, [0, 64), and the table, [from, to),
 * which are in (buf) already: a note over them does not read them again.
 * (Bytes of notes over each other are read again, all before the check,
 * which sees the buffer as it ends up.) */
static int gc_read_rest(uint8_t *buf, uint64_t off, uint64_t end,
                        const uint64_t table[2], guest_read_fn *read, void *ctx)
{
    uint64_t start = off < 64 ? 64 : off;
    uint64_t mid = end < table[0] ? end : table[0];

    if (start < mid && read(ctx, buf + start, mid - start, start) < 0)
        return -1;
    start = start < table[1] ? table[1] : start;
    if (start < end && read(ctx, buf + start, end - start, start) < 0)
        return -1;
    return 0;
}

int guest_read_parts(uint8_t *buf, size_t len, guest_read_fn *read, void *ctx)
{
    if (read(ctx, buf, len < 64 ? len : 64, 0) < 0)
        return -1;
    if (len < sizeof(Elf64_Ehdr))
        return 0;
    /* Fields as gc_check_ehdr() reads them: a table it refuses is not read,
     * and one overlapping the header is read from past it. */
    uint64_t phoff = gc_rd(buf + 32, 8), phnum = gc_rd(buf + 56, 2);
    if (phoff > len || (len - phoff) / 56 < phnum)
        return 0;
    uint64_t table[2] = {phoff < 64 ? 64 : phoff, phoff + phnum * 56};
    if (table[0] < table[1] &&
        read(ctx, buf + table[0], table[1] - table[0], table[0]) < 0)
        return -1;
    for (const uint8_t *ph = buf + phoff; ph < buf + table[1]; ph += 56) {
        uint64_t off = GC_PH(ph, p_offset), filesz = GC_PH(ph, p_filesz);
        if (GC_PH(ph, p_type) == PT_NOTE && off <= len && filesz <= len - off &&
            gc_read_rest(buf, off, off + filesz, table, read, ctx) < 0)
            return -1;
    }
    return 0;
}

/* The memory rule (docs/design.md decision 9): 2 MiB pages map guest
 * memory, and the page tables end at 4 GiB. */
const char *guest_mem_problem(uint64_t bytes)
{
    if (bytes < (2ULL << 20))
        return "is less than the minimum 2M";
    if (bytes > GUEST_MAX_MEM)
        return "is more than the maximum 4G";
    return bytes % (2ULL << 20) ? "is not a multiple of 2M" : NULL;
}

int guest_parse_number(const char *s, size_t len, uint64_t *n)
{
    *n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *n = *n > (UINT64_MAX - 9) / 10 ? UINT64_MAX
                                        : *n * 10 + (uint64_t)(s[i] - '0');
    }
    return len ? 0 : -1;
}
