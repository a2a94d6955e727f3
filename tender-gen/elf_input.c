/* elf_input.c: the unikernel ELF front end (ABI1, MFT1 and TGN1 notes). */
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/hvt_abi.h"
#include "../include/mft_abi.h"
#include "../include/spt_abi.h"
#include "diag.h"
#include "frontend.h"
#include "memsize.h"
#include "registry.h"

/* Elf64_Nhdr: n_namesz, n_descsz, n_type. A PT_NOTE smaller than this makes
 * solo5-hvt reject the whole file (docs/hvt-abi.md §1.3), so we do too. */
#define NHDR_SIZE 12
/* Elf64_Nhdr + "TenderGen\0" padded to 4 bytes; also the descriptor offset,
 * since 24 is already 8-aligned. */
#define TGN1_NOTE_HDR_SIZE 24
/* Room for later TGN1 versions; version 1 uses exactly 16 bytes. */
#define TGN1_NOTE_MAX_DESCSZ 256
#define ABI1_MIN_DESC 8 /* abi_target and abi_version */

#define ESCAPED_NAME_SIZE (4 * MFT_NAME_SIZE + 1) /* every byte as \xNN */

/* State of one read: the input and what the notes yielded so far. Note
 * fields hold 1 + the phdr index of the first note seen (0: none). */
struct elf_ctx {
    struct tg_loc loc;
    const unsigned char *buf;
    size_t len;
    struct tg_devset *out;
    unsigned abi_seen, mft_seen, tgn_seen;
    unsigned bad_notes; /* PT_NOTEs we could not look into */
};

/* How a kind of note is framed: header size (up to the descriptor, before
 * alignment), descriptor alignment from the note start, maximum n_descsz,
 * and what that maximum means, for the message. */
struct note_kind {
    const char *what;
    uint32_t hdr, align, max;
    const char *max_means;
};

static const struct note_kind abi1_kind = {
    "ABI1", SOLO5_NOTE_HDR_SIZE, ABI1_NOTE_ALIGN, ABI1_NOTE_MAX_DESCSZ, ""};
static const struct note_kind mft1_kind = {
    "MFT1", SOLO5_NOTE_HDR_SIZE, MFT1_NOTE_ALIGN, MFT1_NOTE_MAX_DESCSZ,
    ": at most 64 entries, 63 devices and the reserved one"};
static const struct note_kind tgn1_kind = {
    "TGN1", TGN1_NOTE_HDR_SIZE, TGN1_NOTE_ALIGN, TGN1_NOTE_MAX_DESCSZ, ""};

/* The first note of one PT_NOTE segment, its header already read. */
struct note {
    unsigned phdr;
    uint64_t off;
    uint64_t filesz;
    uint32_t namesz, descsz, type;
};

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

int tg_is_elf(const unsigned char *buf, size_t len)
{
    return len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

/* Writes (name), at most MFT_NAME_SIZE bytes and stopping at a NUL, into
 * (dst) with every byte that is not printable ASCII, and '"' and '\', as
 * \xNN: manifest names come from an untrusted file and end up on a
 * terminal. */
static const char *escape_name(const char *name, char *dst)
{
    char *d = dst;

    for (size_t i = 0; i < MFT_NAME_SIZE && name[i]; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\')
            d += sprintf(d, "\\x%02x", ch);
        else
            *d++ = (char)ch;
    }
    *d = '\0';
    return dst;
}

/* ASCII only, whatever the locale: names end up in file names and C. */
static int is_alnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9');
}

static int name_char_ok(char ch)
{
    return is_alnum(ch) || ch == '.' || ch == '_' || ch == '-';
}

/* The service name: the input's base name without ".hvt" or ".spt", reduced to
 * characters that are safe in the output file names made from it. */
static void set_service_name(struct tg_devset *out, const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n, k = 0;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n >= 4 && (strcmp(base + n - 4, ".hvt") == 0 ||
                   strcmp(base + n - 4, ".spt") == 0))
        n -= 4;
    for (size_t i = 0; i < n && k < TG_NAME_MAX; i++)
        if (name_char_ok(base[i]))
            out->name[k++] = base[i];
    out->name[k] = '\0';
    if (k == 0)
        strcpy(out->name, "unikernel");
}

/* e_ident: what libelf would silently convert or read in another layout. */
static int check_ident(const struct elf_ctx *c)
{
    const unsigned char *id = c->buf;
    int ok = 1;

    if (id[EI_CLASS] != ELFCLASS64) {
        tg_error(&c->loc, "not a 64-bit ELF file (EI_CLASS %u, expected %u)",
                 id[EI_CLASS], ELFCLASS64);
        ok = 0;
    }
    if (id[EI_DATA] != ELFDATA2LSB) {
        tg_error(&c->loc,
                 "not a little-endian ELF file (EI_DATA %u, expected %u)",
                 id[EI_DATA], ELFDATA2LSB);
        ok = 0;
    }
    if (id[EI_VERSION] != EV_CURRENT) {
        tg_error(&c->loc, "unsupported ELF version %u in e_ident",
                 id[EI_VERSION]);
        ok = 0;
    }
    return ok;
}

/* The rest of the header (docs/hvt-abi.md §1.1). Returns 0 when the program
 * headers cannot be read; problems that leave them readable are reported
 * and the notes are still checked. */
static int check_ehdr(const struct elf_ctx *c, const GElf_Ehdr *eh)
{
    if (eh->e_version != EV_CURRENT)
        tg_error(&c->loc, "unsupported ELF version %u", eh->e_version);
    if (eh->e_type == ET_DYN)
        tg_error(&c->loc, "position-independent executable (ET_DYN); "
                          "unikernels are static executables (ET_EXEC)");
    else if (eh->e_type != ET_EXEC)
        tg_error(&c->loc, "ELF type %u is not an executable (ET_EXEC)",
                 eh->e_type);
    if (eh->e_machine != EM_X86_64)
        tg_error(&c->loc, "ELF machine %u is not x86_64 (EM_X86_64, %u)",
                 eh->e_machine, EM_X86_64);
    if (eh->e_ehsize != sizeof(Elf64_Ehdr))
        tg_error(&c->loc, "ELF header size %u, expected %zu", eh->e_ehsize,
                 sizeof(Elf64_Ehdr));
    if (eh->e_phentsize != sizeof(Elf64_Phdr)) {
        tg_error(&c->loc, "program header entry size %u, expected %zu",
                 eh->e_phentsize, sizeof(Elf64_Phdr));
        return 0;
    }
    if (eh->e_phnum == 0) {
        tg_error(&c->loc, "no program headers (e_phnum is 0)");
        return 0;
    }
    return 1;
}

/* Checks the framing of a note's descriptor as solo5-hvt does (docs/hvt-abi.md
 * §1.3): n_descsz in 1..max, inside p_filesz after the header, and
 * something left once the descriptor is aligned from the note start. Sets
 * *desc and *size to the usable part. */
static int note_desc(const struct elf_ctx *c, const struct note *n,
                     const struct note_kind *k, const unsigned char **desc,
                     size_t *size)
{
    uint32_t pad = ((k->hdr + k->align - 1) & ~(k->align - 1)) - k->hdr;

    if (n->descsz < 1 || n->descsz > k->max) {
        tg_error(&c->loc,
                 "phdr[%u]: %s note does not fall within valid size "
                 "(n_descsz %u, valid 1..%u%s)",
                 n->phdr, k->what, n->descsz, k->max, k->max_means);
        return 0;
    }
    if (n->filesz < (uint64_t)k->hdr + n->descsz) {
        tg_error(&c->loc,
                 "phdr[%u]: %s note does not fall within valid size "
                 "(p_filesz %llu < %u + n_descsz %u)",
                 n->phdr, k->what, (unsigned long long)n->filesz, k->hdr,
                 n->descsz);
        return 0;
    }
    if (n->descsz <= pad) {
        tg_error(&c->loc,
                 "phdr[%u]: %s note does not fall within valid size "
                 "(n_descsz %u leaves nothing after %u bytes of padding)",
                 n->phdr, k->what, n->descsz, pad);
        return 0;
    }
    *desc = c->buf + n->off + k->hdr + pad;
    *size = n->descsz - pad;
    return 1;
}

static const char *abi_target_name(uint32_t target)
{
    static const char *const names[] = {"",     "hvt",    "spt", "virtio",
                                        "muen", "genode", "xen"};

    return target < sizeof names / sizeof names[0] ? names[target] : "";
}

static void read_abi1(const struct elf_ctx *c, const struct note *n)
{
    const unsigned char *d;
    size_t size;
    uint32_t target, version;

    if (!note_desc(c, n, &abi1_kind, &d, &size))
        return;
    if (size < ABI1_MIN_DESC) {
        tg_error(&c->loc,
                 "phdr[%u]: ABI1 note descriptor is %zu bytes, too small "
                 "for abi_target and abi_version (%d)",
                 n->phdr, size, ABI1_MIN_DESC);
        return;
    }
    target = rd32(d);
    version = rd32(d + 4);
    if (target == HVT_ABI_TARGET)
        c->out->target = TG_TARGET_HVT;
    else if (target == SPT_ABI_TARGET)
        c->out->target = TG_TARGET_SPT;
    else
        tg_error(&c->loc,
                 "executable is not for the solo5-hvt or solo5-spt target "
                 "(ABI1 target %u%s%s)",
                 target, *abi_target_name(target) ? ", " : "",
                 abi_target_name(target));
    c->out->target_from_note = 1;
    /* Both targets speak version 2 of their ABI. */
    if (version != HVT_ABI_VERSION)
        tg_error(&c->loc,
                 "executable requests unsupported ABI version %u (%s speaks "
                 "version %d)",
                 version, tg_target_name(c->out->target), HVT_ABI_VERSION);
}

/* Entry 0 is reserved (docs/hvt-abi.md §2.2). */
static void check_reserved_entry(const struct elf_ctx *c,
                                 const unsigned char *e, int name_ok)
{
    char esc[ESCAPED_NAME_SIZE];
    uint32_t type = rd32(e + offsetof(struct mft_entry, type));

    if (type != MFT_RESERVED_FIRST)
        tg_error(&c->loc,
                 "manifest entry 0 must be the reserved entry (type 0x%x), "
                 "found type 0x%x",
                 MFT_RESERVED_FIRST, type);
    if (name_ok && e[0] != '\0')
        tg_error(&c->loc,
                 "manifest entry 0 (reserved) must have an empty name, "
                 "found \"%s\"",
                 escape_name((const char *)e, esc));
}

/* Device names: 1..67 alphanumeric characters, unique (docs/manifest.md).
 * solo5-hvt does not check this; a name it would accept but a manifest could
 * not declare is an error here, so ELF and YAML input agree. */
static void check_device_name(const struct elf_ctx *c, unsigned i,
                              const char *name)
{
    const struct tg_devset *out = c->out;
    char esc[ESCAPED_NAME_SIZE];

    if (name[0] == '\0') {
        tg_error(&c->loc, "manifest entry %u has an empty device name", i);
        return;
    }
    for (const char *p = name; *p; p++) {
        if (!is_alnum(*p)) {
            tg_error(&c->loc,
                     "device name \"%s\" (manifest entry %u) must be "
                     "alphanumeric",
                     escape_name(name, esc), i);
            break;
        }
    }
    for (unsigned j = 1; j < i; j++) {
        if (strcmp(out->devices[j - 1].name, name) == 0) {
            tg_error(&c->loc,
                     "device name \"%s\" is declared more than once "
                     "(manifest entries %u and %u)",
                     escape_name(name, esc), j, i);
            break;
        }
    }
}

/* "1: block, 2: net": the device types' MFT1 numbers, for messages. */
static const char *known_types(void)
{
    static char list[256];
    const struct tg_registry *r = tg_registry();
    size_t o = 0;

    for (unsigned t = 0; t < r->ndevtypes && o < sizeof(list); t++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%u: %s",
                              t ? ", " : "", r->devtypes[t].mft,
                              r->devtypes[t].name);
    return list;
}

/* A user device, entry (i) >= 1: validated and added to the set. */
static void read_device_entry(const struct elf_ctx *c, unsigned i,
                              const unsigned char *e, int name_ok)
{
    struct tg_device *dev = &c->out->devices[i - 1];
    uint32_t type = rd32(e + offsetof(struct mft_entry, type));
    char esc[ESCAPED_NAME_SIZE];

    if (name_ok) {
        memcpy(dev->name, e, MFT_NAME_SIZE);
        check_device_name(c, i, dev->name);
    }
    int t = tg_devtype_of_mft(type);
    if (t >= 0)
        dev->type = (unsigned)t;
    else
        tg_error(&c->loc,
                 "device \"%s\" (manifest entry %u) has unknown device type "
                 "0x%x (%s)",
                 escape_name(dev->name, esc), i, type, known_types());
    dev->loc = c->loc;
    c->out->ndevices = i;
}

static void read_entry(const struct elf_ctx *c, unsigned i,
                       const unsigned char *e)
{
    int name_ok = e[MFT_NAME_MAX] == '\0';

    if (!name_ok)
        tg_error(&c->loc,
                 "manifest entry %u: name is not NUL-terminated within %d "
                 "bytes",
                 i, MFT_NAME_SIZE);
    if (e[offsetof(struct mft_entry, attached)] != 0)
        tg_error(&c->loc,
                 "manifest entry %u: 'attached' is set in the file (it must "
                 "be 0 until a monitor attaches the device)",
                 i);
    if (i == 0)
        check_reserved_entry(c, e, name_ok);
    else
        read_device_entry(c, i, e, name_ok);
}

/* struct mft header checks (docs/hvt-abi.md §2.3). Returns how many entries can
 * be read, 0 if none. */
static uint32_t check_mft_header(const struct elf_ctx *c, const struct note *n,
                                 const unsigned char *d, size_t size)
{
    uint32_t version, entries, avail;

    if (size < MFT_SIZE(0)) {
        tg_error(&c->loc,
                 "phdr[%u]: manifest is %zu bytes, too small for its header",
                 n->phdr, size);
        return 0;
    }
    version = rd32(d);
    entries = rd32(d + 4);
    if (version != MFT_VERSION) {
        tg_error(&c->loc, "manifest version %u is not supported (expected %d)",
                 version, MFT_VERSION);
        return 0; /* the rest of an unknown version means nothing to us */
    }
    if (entries == 0)
        tg_error(&c->loc, "manifest has no entries (entry 0 must be the "
                          "reserved entry)");
    if (entries > MFT_MAX_ENTRIES)
        tg_error(&c->loc,
                 "manifest has %u entries, maximum %d (%d devices and the "
                 "reserved entry)",
                 entries, MFT_MAX_ENTRIES, TG_MAX_DEVICES);
    if (size != MFT_SIZE(entries))
        tg_error(&c->loc,
                 "manifest is %zu bytes, but %u entries need 8 + 104 * %u = "
                 "%zu",
                 size, entries, entries, MFT_SIZE(entries));
    avail = (uint32_t)((size - MFT_SIZE(0)) / sizeof(struct mft_entry));
    if (avail > MFT_MAX_ENTRIES)
        avail = MFT_MAX_ENTRIES;
    return entries < avail ? entries : avail;
}

static void read_mft1(const struct elf_ctx *c, const struct note *n)
{
    const unsigned char *d;
    size_t size;
    uint32_t count;

    if (!note_desc(c, n, &mft1_kind, &d, &size))
        return;
    count = check_mft_header(c, n, d, size);
    for (uint32_t i = 0; i < count; i++)
        read_entry(c, i, d + MFT_SIZE(i));
}

/* Same rule as the manifest's memory: key (docs/design.md decision 9). */
static void check_mem_size(const struct elf_ctx *c, uint64_t mem)
{
    char why[96];
    const char *problem = mem ? tg_mem_problem(mem, why, sizeof(why)) : NULL;

    if (problem)
        tg_error(&c->loc, "TenderGen note: memory of %llu bytes %s",
                 (unsigned long long)mem, problem);
}

static void read_tgn1(const struct elf_ctx *c, const struct note *n)
{
    const unsigned char *d;
    size_t size;
    uint32_t version, modules;

    if (!note_desc(c, n, &tgn1_kind, &d, &size))
        return;
    if (size < sizeof(uint32_t)) {
        tg_error(&c->loc,
                 "phdr[%u]: TGN1 note does not fall within valid size "
                 "(descriptor %zu bytes, too small for its version)",
                 n->phdr, size);
        return;
    }
    version = rd32(d);
    if (version != TGN1_VERSION) {
        tg_error(&c->loc,
                 "TenderGen note version %u is not supported (expected %d)",
                 version, TGN1_VERSION);
        return;
    }
    if (size != sizeof(struct tgn1_info)) {
        tg_error(&c->loc,
                 "phdr[%u]: TGN1 note does not fall within valid size "
                 "(descriptor %zu bytes, version 1 has %zu)",
                 n->phdr, size, sizeof(struct tgn1_info));
        return;
    }
    modules = rd32(d + offsetof(struct tgn1_info, modules));
    uint32_t known = tg_opt_in_known();
    if (modules & ~known)
        tg_error(&c->loc, "TenderGen note: unknown module bits 0x%x",
                 modules & ~known);
    c->out->modules = modules & known;
    c->out->mem_size = rd64(d + offsetof(struct tgn1_info, mem_size));
    check_mem_size(c, c->out->mem_size);
}

/* Only the first note of a kind counts; solo5-hvt would silently use the
 * first, so a second one is a broken link and reported. Returns 1 for the
 * first. */
static int first_of_kind(const struct elf_ctx *c, unsigned *seen,
                         const struct note *n, const char *what)
{
    if (*seen) {
        tg_error(&c->loc,
                 "phdr[%u]: a second %s note (the first is in phdr[%u])",
                 n->phdr, what, *seen - 1);
        return 0;
    }
    *seen = n->phdr + 1;
    return 1;
}

static void dispatch_note(struct elf_ctx *c, const struct note *n)
{
    const unsigned char *name = c->buf + n->off + NHDR_SIZE;

    if (n->namesz == SOLO5_NOTE_NAMESZ &&
        memcmp(name, SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ) == 0) {
        if (n->type == SOLO5_NOTE_ABI &&
            first_of_kind(c, &c->abi_seen, n, "ABI1"))
            read_abi1(c, n);
        else if (n->type == SOLO5_NOTE_MANIFEST &&
                 first_of_kind(c, &c->mft_seen, n, "MFT1"))
            read_mft1(c, n);
    } else if (n->namesz == TGN1_NOTE_NAMESZ &&
               n->filesz >= TGN1_NOTE_HDR_SIZE &&
               memcmp(name, TGN1_NOTE_NAME, TGN1_NOTE_NAMESZ) == 0 &&
               n->type == TGN1_NOTE_TYPE &&
               first_of_kind(c, &c->tgn_seen, n, "TGN1")) {
        read_tgn1(c, n);
    }
}

/* One PT_NOTE: bounds first, then the first note inside it. */
static void read_pt_note(struct elf_ctx *c, unsigned i, const GElf_Phdr *ph)
{
    struct note n = {.phdr = i, .off = ph->p_offset, .filesz = ph->p_filesz};
    const unsigned char *p;

    if (ph->p_filesz < NHDR_SIZE) {
        tg_error(&c->loc,
                 "phdr[%u].p_filesz note does not fall within valid size "
                 "(%llu < %d)",
                 i, (unsigned long long)ph->p_filesz, NHDR_SIZE);
        return;
    }
    if (ph->p_offset > c->len || c->len - ph->p_offset < ph->p_filesz) {
        tg_error(&c->loc,
                 "phdr[%u]: PT_NOTE (offset %llu, %llu bytes) extends "
                 "beyond the end of the file (%zu bytes)",
                 i, (unsigned long long)ph->p_offset,
                 (unsigned long long)ph->p_filesz, c->len);
        c->bad_notes++;
        return;
    }
    if (ph->p_filesz < SOLO5_NOTE_HDR_SIZE)
        return; /* too small for any note we read: skipped, as solo5-hvt */
    p = c->buf + ph->p_offset;
    n.namesz = rd32(p);
    n.descsz = rd32(p + 4);
    n.type = rd32(p + 8);
    dispatch_note(c, &n);
}

static void libelf_error(const struct elf_ctx *c, const char *what)
{
    tg_error(&c->loc, "%s: %s", what, elf_errmsg(-1));
}

static void read_phdrs(struct elf_ctx *c, Elf *e, const GElf_Ehdr *eh)
{
    size_t phnum;
    GElf_Phdr ph;

    if (eh->e_phoff > c->len ||
        (c->len - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum) {
        tg_error(&c->loc,
                 "program header table (offset %llu, %u entries) extends "
                 "beyond the end of the file (%zu bytes)",
                 (unsigned long long)eh->e_phoff, eh->e_phnum, c->len);
        return;
    }
    if (elf_getphdrnum(e, &phnum) != 0) {
        libelf_error(c, "cannot count program headers");
        return;
    }
    if (phnum != eh->e_phnum) {
        /* PN_XNUM: the count lives in section 0, which hvt never reads */
        tg_error(&c->loc, "extended program header numbering is not "
                          "supported");
        return;
    }
    for (size_t i = 0; i < phnum; i++) {
        if (gelf_getphdr(e, (int)i, &ph) == NULL) {
            libelf_error(c, "cannot read a program header");
            return;
        }
        if (ph.p_type == PT_NOTE)
            read_pt_note(c, (unsigned)i, &ph);
    }
    if (c->bad_notes)
        return; /* a missing note may be in one we could not read */
    if (!c->abi_seen)
        tg_error(&c->loc, "no Solo5 ABI information found in executable "
                          "(no ABI1 note): not a Solo5 unikernel?");
    if (!c->mft_seen)
        tg_error(&c->loc, "no Solo5 manifest found in executable (no MFT1 "
                          "note)");
}

static void read_elf(struct elf_ctx *c, Elf *e)
{
    GElf_Ehdr eh;

    if (elf_kind(e) != ELF_K_ELF) {
        tg_error(&c->loc, "not an ELF object");
        return;
    }
    if (gelf_getehdr(e, &eh) == NULL) {
        libelf_error(c, "cannot read the ELF header");
        return;
    }
    if (check_ehdr(c, &eh))
        read_phdrs(c, e, &eh);
}

/* libelf wants a writable image, so it gets a copy of the caller's. */
static void read_with_libelf(struct elf_ctx *c)
{
    char *copy;
    Elf *e;

    if (elf_version(EV_CURRENT) == EV_NONE) {
        libelf_error(c, "libelf initialisation failed");
        return;
    }
    copy = malloc(c->len);
    if (copy == NULL) {
        tg_error(&c->loc, "out of memory (%zu bytes)", c->len);
        return;
    }
    memcpy(copy, c->buf, c->len);
    e = elf_memory(copy, c->len);
    if (e == NULL) {
        libelf_error(c, "cannot read ELF file");
    } else {
        read_elf(c, e);
        elf_end(e);
    }
    free(copy);
}

unsigned tg_read_elf(const char *path, const unsigned char *buf, size_t len,
                     struct tg_devset *out)
{
    unsigned before = tg_error_count();
    struct elf_ctx c = {
        .loc = {path, 0, 0}, .buf = buf, .len = len, .out = out};

    memset(out, 0, sizeof *out);
    set_service_name(out, path);
    if (!tg_is_elf(buf, len))
        tg_error(&c.loc, "not an ELF file (bad magic number)");
    else if (len < sizeof(Elf64_Ehdr))
        tg_error(&c.loc,
                 "file too short for an ELF header (%zu bytes, need %zu)", len,
                 sizeof(Elf64_Ehdr));
    else if (check_ident(&c))
        read_with_libelf(&c);
    return tg_error_count() - before;
}
