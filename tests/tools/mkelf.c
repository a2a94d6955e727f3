/* mkelf.c: writes small x86_64 unikernel ELFs, valid or with one defect, as
 * fixtures for tender-gen's ELF front end and the monitors' ELF loaders,
 * for the hvt target or (--target=spt) the spt one. */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/hvt_abi.h"
#include "../../include/mft_abi.h"
#include "../../include/spt_abi.h"

/* Structures are copied into the image as they are in memory, which is the
 * file's byte order only on a little-endian host (x86_64, as everything
 * here). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mkelf writes little-endian ELFs from host structs"
#endif

#define PAGE 0x1000UL
#define TEXT_OFF PAGE /* file offset of the code page */
#define RODATA_OFF (2 * PAGE)
#define TEXT_VADDR HVT_GUEST_MIN_BASE
#define RODATA_VADDR (HVT_GUEST_MIN_BASE + PAGE)
#define MAX_PHDRS 8
#define MAX_ENTRIES (MFT_MAX_ENTRIES + 2) /* room for the defect variants */
#define NHDR 12                           /* Elf64_Nhdr */
#define ABI1_NOTE_SIZE (SOLO5_NOTE_HDR_SIZE + sizeof(struct abi1_info))
#define TGN1_NOTE_HDR 24 /* Elf64_Nhdr + "TenderGen\0" padded to 4 */
#define TGN1_NOTE_SIZE (TGN1_NOTE_HDR + sizeof(struct tgn1_info))
#define MFT1_PAD 4 /* so that struct mft is 8-aligned in the note */
#define MAX_RODATA                                                             \
    (ABI1_NOTE_SIZE + 8 + SOLO5_NOTE_HDR_SIZE + MFT1_PAD +                     \
     MFT_SIZE(MAX_ENTRIES) + 8 + 8 + TGN1_NOTE_SIZE)
#define MAX_FILE (RODATA_OFF + MAX_RODATA + 2 * PAGE)

/* Each variant is one defect (or none: "ok", "no-tgn"). */
enum variant {
    V_OK,
    V_NO_TGN,
    V_TRUNCATED_HEADER,
    V_TRUNCATED_PHDRS,
    V_BAD_MAGIC,
    V_ELF32,
    V_BIG_ENDIAN,
    V_WRONG_MACHINE,
    V_DYN,
    V_NO_PHDRS,
    V_EMPTY_NOTE,
    V_SHORT_NOTE,
    V_NO_ABI,
    V_ABI_WRONG_TARGET,
    V_ABI_WRONG_VERSION,
    V_ABI_DESCSZ_HUGE,
    V_NO_MFT,
    V_MFT_DESCSZ_1,
    V_MFT_WRONG_SIZE,
    V_MFT_BAD_VERSION,
    V_MFT_TOO_MANY,
    V_MFT_NO_RESERVED,
    V_MFT_NAME_UNTERMINATED,
    V_MFT_ATTACHED,
    V_MFT_BAD_TYPE,
    V_MFT_DUP_NAME,
    V_MFT_BAD_NAME,
    V_NOTE_OFFSET_BEYOND_FILE,
    V_TGN_BAD_MEM,
    V_SEGMENT_OVERLAP,
    V_SEGMENT_DESCENDING,
    V_SEGMENT_RWX,
    V_SEGMENT_BELOW_1M,
    V_ENTRY_BELOW_1M,
    V_HUGE_FILESZ,
    V_COUNT
};

static const char *const variant_names[V_COUNT] = {
    "ok",
    "no-tgn",
    "truncated-header",
    "truncated-phdrs",
    "bad-magic",
    "elf32",
    "big-endian",
    "wrong-machine",
    "dyn",
    "no-phdrs",
    "empty-note",
    "short-note",
    "no-abi",
    "abi-wrong-target",
    "abi-wrong-version",
    "abi-descsz-huge",
    "no-mft",
    "mft-descsz-1",
    "mft-wrong-size",
    "mft-bad-version",
    "mft-too-many",
    "mft-no-reserved",
    "mft-name-unterminated",
    "mft-attached",
    "mft-bad-type",
    "mft-dup-name",
    "mft-bad-name",
    "note-offset-beyond-file",
    "tgn-bad-mem",
    "segment-overlap",
    "segment-descending",
    "segment-rwx",
    "segment-below-1m",
    "entry-below-1m",
    "huge-filesz",
};

struct options {
    const char *out;
    enum variant v;
    int spt; /* --target=spt */
    uint64_t mem;
    uint32_t modules;
    unsigned nentries; /* entry 0 included */
    struct mft_entry e[MAX_ENTRIES];
};

/* The file being built, and where its parts are. */
struct image {
    unsigned char *buf;
    size_t len;
    Elf64_Ehdr eh;
    Elf64_Phdr ph[MAX_PHDRS];
    unsigned nph;
    size_t abi, mft, tgn; /* note offsets in buf; 0: not present */
    size_t mft_len;
};

static void usage(void)
{
    fprintf(stderr, "usage: mkelf OUT [--target=hvt|spt] [--mem=BYTES] "
                    "[--modules=gdb,dumpcore] [--variant=NAME] "
                    "[net:NAME|block:NAME ...]\n"
                    "       mkelf --list-variants\n");
    exit(2);
}

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "mkelf: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

static enum variant parse_variant(const char *name)
{
    for (int v = 0; v < V_COUNT; v++)
        if (strcmp(name, variant_names[v]) == 0)
            return (enum variant)v;
    die("unknown variant", name);
    return V_OK;
}

/* BYTES, or a number with a K, M or G (binary) suffix. */
static uint64_t parse_mem(const char *s)
{
    char *end;
    uint64_t n;

    errno = 0;
    n = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        die("bad --mem", s);
    if (*end == 'K')
        n <<= 10, end++;
    else if (*end == 'M')
        n <<= 20, end++;
    else if (*end == 'G')
        n <<= 30, end++;
    if (*end)
        die("bad --mem", s);
    return n;
}

static uint32_t parse_modules(const char *s)
{
    uint32_t m = 0;
    char buf[128], *tok;

    if (strlen(s) >= sizeof buf)
        die("bad --modules", s);
    strcpy(buf, s);
    for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
        if (strcmp(tok, "gdb") == 0)
            m |= 1U << 0; /* note_bit in modules/gdb/module.yml */
        else if (strcmp(tok, "dumpcore") == 0)
            m |= 1U << 1; /* note_bit in modules/dumpcore/module.yml */
        else
            die("unknown module", tok);
    return m;
}

static void add_entry(struct options *o, const char *name, uint32_t type)
{
    struct mft_entry *e;

    if (o->nentries >= MAX_ENTRIES)
        die("too many devices", name);
    if (strlen(name) > MFT_NAME_MAX)
        die("device name longer than 67 characters", name);
    e = &o->e[o->nentries++];
    memset(e, 0, sizeof *e);
    strcpy(e->name, name);
    e->type = type;
}

static void add_device(struct options *o, const char *arg)
{
    if (strncmp(arg, "net:", 4) == 0)
        add_entry(o, arg + 4, MFT_DEV_NET_BASIC);
    else if (strncmp(arg, "block:", 6) == 0)
        add_entry(o, arg + 6, MFT_DEV_BLOCK_BASIC);
    else
        die("expected net:NAME or block:NAME", arg);
    if (o->nentries > MFT_MAX_ENTRIES)
        die("more than 63 devices (use --variant=mft-too-many)", arg);
}

static void parse_args(int argc, char **argv, struct options *o)
{
    if (argc == 2 && strcmp(argv[1], "--list-variants") == 0) {
        for (int v = 0; v < V_COUNT; v++)
            puts(variant_names[v]);
        exit(0);
    }
    if (argc < 2 || argv[1][0] == '-')
        usage();
    o->out = argv[1];
    add_entry(o, "", MFT_RESERVED_FIRST);
    for (int i = 2; i < argc; i++) {
        if (strncmp(argv[i], "--mem=", 6) == 0)
            o->mem = parse_mem(argv[i] + 6);
        else if (strncmp(argv[i], "--modules=", 10) == 0)
            o->modules = parse_modules(argv[i] + 10);
        else if (strncmp(argv[i], "--variant=", 10) == 0)
            o->v = parse_variant(argv[i] + 10);
        else if (strcmp(argv[i], "--target=spt") == 0)
            o->spt = 1;
        else if (strcmp(argv[i], "--target=hvt") == 0)
            o->spt = 0;
        else if (argv[i][0] == '-')
            usage();
        else
            add_device(o, argv[i]);
    }
}

/* The manifest defects: applied to the entry list before it is written. */
static void apply_mft_variant(struct options *o)
{
    char name[16];

    if (o->v == V_MFT_TOO_MANY) {
        o->nentries = 1;
        for (int i = 0; i < MFT_MAX_ENTRIES; i++) {
            snprintf(name, sizeof name, "net%d", i);
            add_entry(o, name, MFT_DEV_NET_BASIC);
        }
        return;
    }
    if (o->v >= V_MFT_NO_RESERVED && o->v <= V_MFT_BAD_NAME && o->nentries == 1)
        add_entry(o, "service", MFT_DEV_NET_BASIC); /* a device to break */
    switch (o->v) {
    case V_MFT_NO_RESERVED:
        memmove(&o->e[0], &o->e[1], --o->nentries * sizeof o->e[0]);
        break;
    case V_MFT_NAME_UNTERMINATED:
        memset(o->e[1].name, 'a', MFT_NAME_SIZE);
        break;
    case V_MFT_ATTACHED:
        o->e[1].attached = 1;
        break;
    case V_MFT_BAD_TYPE:
        o->e[1].type = 3;
        break;
    case V_MFT_DUP_NAME:
        o->e[o->nentries++] = o->e[1];
        break;
    case V_MFT_BAD_NAME:
        strcpy(o->e[1].name, "my-net");
        break;
    default:
        break;
    }
}

static size_t align_up(size_t n, size_t a)
{
    return (n + a - 1) & ~(a - 1);
}

/* Writes an ELF note header and its name at (off); returns the offset just
 * after the name, padded to 4 as the ELF note format wants. */
static size_t put_note_hdr(struct image *im, size_t off, const char *name,
                           uint32_t namesz, uint32_t descsz, uint32_t type)
{
    uint32_t h[3] = {namesz, descsz, type};

    memcpy(im->buf + off, h, sizeof h);
    memcpy(im->buf + off + NHDR, name, namesz);
    return off + NHDR + align_up(namesz, 4);
}

static size_t put_abi1(struct image *im, size_t off, const struct options *o)
{
    struct abi1_info info = {HVT_ABI_TARGET, HVT_ABI_VERSION, 0, 0};
    uint32_t descsz = sizeof info;

    if (o->spt)
        info.abi_target = SPT_ABI_TARGET; /* and SPT_ABI_VERSION, also 2 */
    if (o->v == V_ABI_WRONG_TARGET)
        info.abi_target = 3; /* virtio */
    if (o->v == V_ABI_WRONG_VERSION)
        info.abi_version = 1;
    if (o->v == V_ABI_DESCSZ_HUGE)
        descsz = 0x1000;
    im->abi = off;
    off = put_note_hdr(im, off, SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ, descsz,
                       SOLO5_NOTE_ABI);
    memcpy(im->buf + off, &info, sizeof info);
    return off + sizeof info;
}

/* MFT1: 20-byte header, 4 bytes of padding, then struct mft (docs/hvt-abi.md
 * §2.1); n_descsz counts the padding. */
static size_t put_mft1(struct image *im, size_t off, const struct options *o)
{
    uint32_t hdr[2] = {MFT_VERSION, o->nentries};
    size_t body = MFT_SIZE(o->nentries);
    uint32_t descsz;

    if (o->v == V_MFT_BAD_VERSION)
        hdr[0] = 2;
    if (o->v == V_MFT_WRONG_SIZE)
        body += 8; /* 8 bytes that no entry accounts for */
    descsz = (uint32_t)(MFT1_PAD + body);
    if (o->v == V_MFT_DESCSZ_1)
        descsz = 1; /* like Solo5's buggyelf.hvt */
    off = align_up(off, 8);
    im->mft = off;
    off = put_note_hdr(im, off, SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ, descsz,
                       SOLO5_NOTE_MANIFEST);
    off += MFT1_PAD;
    memcpy(im->buf + off, hdr, sizeof hdr);
    memcpy(im->buf + off + sizeof hdr, o->e, o->nentries * sizeof o->e[0]);
    im->mft_len = SOLO5_NOTE_HDR_SIZE + MFT1_PAD + body;
    return off + body;
}

static size_t put_tgn1(struct image *im, size_t off, const struct options *o)
{
    struct tgn1_info info = {TGN1_VERSION, o->modules, o->mem};

    if (o->v == V_TGN_BAD_MEM)
        info.mem_size = 3 * 1024 * 1024; /* not a multiple of 2 MiB */
    off = align_up(off, 8);
    im->tgn = off;
    off = put_note_hdr(im, off, TGN1_NOTE_NAME, TGN1_NOTE_NAMESZ, sizeof info,
                       TGN1_NOTE_TYPE);
    memcpy(im->buf + off, &info, sizeof info);
    return off + sizeof info;
}

/* One page of code: the HALT hypercall with exit status 0 (docs/hvt-abi.md §5),
 * so a monitor that loads the ok variants runs them to a clean exit. Its
 * struct hvt_hc_halt (cookie NULL, status 0) lives in the same page. An spt
 * guest makes the exit_group(0) call itself (docs/spt-abi.md). */
static void put_text(struct image *im, const struct options *o)
{
    static const unsigned char code[] = {
        0xb8, 0,    0,    0,    0, /* mov $halt_gpa, %eax (patched below) */
        0x66, 0xba, 0x08, 0x05,    /* mov $0x508, %dx: HVT_HYPERCALL_HALT */
        0xef,                      /* out %eax, (%dx) */
        0xf4,                      /* hlt, never reached */
        0xeb, 0xfd,                /* jmp back to the hlt */
    };
    static const unsigned char spt_code[] = {
        0xb8, 0xe7, 0, 0, 0, /* mov $231, %eax: exit_group */
        0x31, 0xff,          /* xor %edi, %edi: status 0 */
        0x0f, 0x05,          /* syscall */
    };
    const uint32_t halt_off = PAGE / 2;
    uint32_t halt_gpa = (uint32_t)(TEXT_VADDR + halt_off);
    unsigned char *text = im->buf + TEXT_OFF;

    _Static_assert(HVT_HYPERCALL_PIO_BASE + HVT_HYPERCALL_HALT == 0x508,
                   "halt port");
    memset(text, 0xcc, PAGE); /* int3 filler */
    if (o->spt) {
        memcpy(text, spt_code, sizeof spt_code);
        return;
    }
    memcpy(text, code, sizeof code);
    memcpy(text + 1, &halt_gpa, sizeof halt_gpa);
    memset(text + halt_off, 0, sizeof(struct hvt_hc_halt));
}

static Elf64_Phdr *add_phdr(struct image *im, uint32_t type, uint32_t flags,
                            uint64_t off, uint64_t vaddr, uint64_t size,
                            uint64_t align)
{
    Elf64_Phdr *ph = &im->ph[im->nph++];

    *ph = (Elf64_Phdr){.p_type = type,
                       .p_flags = flags,
                       .p_offset = off,
                       .p_vaddr = vaddr,
                       .p_paddr = vaddr,
                       .p_filesz = size,
                       .p_memsz = size,
                       .p_align = align};
    return ph;
}

static void add_note_phdr(struct image *im, size_t off, size_t size,
                          uint64_t align)
{
    add_phdr(im, PT_NOTE, PF_R, off, RODATA_VADDR + (off - RODATA_OFF), size,
             align);
}

/* Program headers in the order kernel/hvt/hvt.ld gives them: text, rodata,
 * then one PT_NOTE per note; (ro_end) is where the rodata contents end. */
static void build_phdrs(struct image *im, const struct options *o,
                        size_t ro_end)
{
    Elf64_Phdr *text, *ro;

    text = add_phdr(im, PT_LOAD, PF_R | PF_X, TEXT_OFF, TEXT_VADDR, PAGE, PAGE);
    ro = add_phdr(im, PT_LOAD, PF_R, RODATA_OFF, RODATA_VADDR,
                  ro_end - RODATA_OFF, PAGE);
    if (o->v == V_EMPTY_NOTE)
        add_note_phdr(im, RODATA_OFF, 0, 4);
    if (im->abi)
        add_note_phdr(im, im->abi, o->v == V_SHORT_NOTE ? 16 : ABI1_NOTE_SIZE,
                      ABI1_NOTE_ALIGN);
    if (im->mft)
        add_note_phdr(im, im->mft, im->mft_len, MFT1_NOTE_ALIGN);
    if (im->tgn)
        add_note_phdr(im, im->tgn, TGN1_NOTE_SIZE, TGN1_NOTE_ALIGN);
    if (o->v == V_SEGMENT_OVERLAP)
        ro->p_vaddr = ro->p_paddr = TEXT_VADDR;
    if (o->v == V_SEGMENT_DESCENDING)
        text->p_vaddr = text->p_paddr = 2 * HVT_GUEST_MIN_BASE;
    if (o->v == V_SEGMENT_RWX)
        text->p_flags = PF_R | PF_W | PF_X;
    if (o->v == V_SEGMENT_BELOW_1M)
        text->p_vaddr = text->p_paddr = PAGE;
    if (o->v == V_HUGE_FILESZ)
        text->p_filesz = 1ULL << 63;
}

static void build_ehdr(struct image *im, const struct options *o)
{
    Elf64_Ehdr *eh = &im->eh;

    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = o->v == V_ELF32 ? ELFCLASS32 : ELFCLASS64;
    eh->e_ident[EI_DATA] = o->v == V_BIG_ENDIAN ? ELFDATA2MSB : ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    if (o->v == V_BAD_MAGIC)
        eh->e_ident[EI_MAG3] = 'G';
    eh->e_type = o->v == V_DYN ? ET_DYN : ET_EXEC;
    eh->e_machine = o->v == V_WRONG_MACHINE ? EM_AARCH64 : EM_X86_64;
    eh->e_version = EV_CURRENT;
    /* the hlt at the start of the text; segment-below-1m moves only the
     * segment, so that the loader's entry check still passes */
    eh->e_entry = o->v == V_SEGMENT_DESCENDING ? im->ph[0].p_vaddr : TEXT_VADDR;
    if (o->v == V_ENTRY_BELOW_1M)
        eh->e_entry = PAGE;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = o->v == V_NO_PHDRS ? 0 : (Elf64_Half)im->nph;
    eh->e_shentsize = sizeof(Elf64_Shdr); /* no section headers */
}

/* Lays the file out: headers, the code page, then rodata holding the notes
 * (ABI1, MFT1, TGN1, each 4- or 8-aligned as a linker places them). */
static void build(struct image *im, const struct options *o)
{
    size_t off = RODATA_OFF;

    put_text(im, o);
    if (o->v != V_NO_ABI)
        off = put_abi1(im, off, o);
    if (o->v != V_NO_MFT)
        off = put_mft1(im, off, o);
    if (o->v != V_NO_TGN)
        off = put_tgn1(im, off, o);
    build_phdrs(im, o, off);
    im->len = off;
    if (o->v == V_NOTE_OFFSET_BEYOND_FILE)
        for (unsigned i = 0; i < im->nph; i++)
            if (im->ph[i].p_offset == im->mft && im->ph[i].p_type == PT_NOTE)
                im->ph[i].p_offset = im->len + PAGE;
    build_ehdr(im, o);
    memcpy(im->buf, &im->eh, sizeof im->eh);
    memcpy(im->buf + sizeof im->eh, im->ph, im->nph * sizeof im->ph[0]);
    if (o->v == V_TRUNCATED_HEADER)
        im->len = 30;
    if (o->v == V_TRUNCATED_PHDRS)
        im->len = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + 20;
}

static int write_file(const char *path, const unsigned char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL || fwrite(buf, 1, len, f) != len) {
        perror(path);
        if (f)
            fclose(f);
        return 1;
    }
    if (fclose(f) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static struct options o;
    static struct image im;
    static unsigned char buf[MAX_FILE];
    int rc;

    parse_args(argc, argv, &o);
    apply_mft_variant(&o);
    im.buf = buf;
    build(&im, &o);
    rc = write_file(o.out, im.buf, im.len);
    return rc;
}
