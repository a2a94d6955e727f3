/* elf_load.c: the guest ELF loader. Everything in the file is untrusted: each
 * offset and size is checked, with overflow, before it is used. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor.h"
#include "mon_internal.h"

#define ELF_MAX_FILE_SIZE (1ULL << 30) /* no unikernel is near 1 GiB */

static _Noreturn void bad_elf(const struct mon_elf *elf, const char *why)
{
    mon_fatal("%s: error: %s", elf->path, why);
}

static void read_file(struct mon_elf *elf)
{
    struct stat st;
    /* No O_CLOEXEC anywhere in the monitor: it never execs, and musl backs
     * the flag with an fcntl that orchestrators' filters (urunc's) forbid. */
    int fd = open(elf->path, O_RDONLY);

    if (fd < 0)
        mon_fatal("%s: could not open: %s", elf->path, strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        mon_fatal("%s: not a regular file", elf->path);
    if ((unsigned long long)st.st_size > ELF_MAX_FILE_SIZE)
        bad_elf(elf, "file larger than 1 GiB");
    elf->size = (size_t)st.st_size;
    elf->data = malloc(elf->size ? elf->size : 1);
    if (!elf->data)
        mon_fatal("out of memory reading %s", elf->path);
    for (size_t done = 0; done < elf->size;) {
        ssize_t n = read(fd, elf->data + done, elf->size - done);
        if (n <= 0)
            mon_fatal("%s: read failed", elf->path);
        done += (size_t)n;
    }
    close(fd);
}

/* True when [off, off + len) lies inside the file. */
static int in_file(const struct mon_elf *elf, uint64_t off, uint64_t len)
{
    return off <= elf->size && len <= elf->size - off;
}

static const Elf64_Ehdr *check_header(const struct mon_elf *elf)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;

    if (elf->size < sizeof(*eh))
        bad_elf(elf, "file too short for an ELF header");
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        bad_elf(elf, "not an ELF file (bad magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_version != EV_CURRENT)
        bad_elf(elf, "not a 64-bit little-endian ELF (version 1)");
    if (eh->e_type != ET_EXEC)
        bad_elf(elf, "not a static executable (e_type is not ET_EXEC)");
    if (eh->e_machine != EM_X86_64)
        bad_elf(elf, "not an x86_64 executable");
    if (eh->e_ehsize != sizeof(Elf64_Ehdr) ||
        eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0)
        bad_elf(elf, "bad ELF header sizes or no program headers");
    if (!in_file(elf, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        bad_elf(elf, "program header table extends beyond the file");
    if (eh->e_phoff % 8 != 0)
        bad_elf(elf, "program header table is misaligned");
    return eh;
}

static const Elf64_Phdr *phdrs(const struct mon_elf *elf)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;
    return (const Elf64_Phdr *)(elf->data + eh->e_phoff);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

struct note_spec {
    const char *name;
    uint32_t namesz;
    uint32_t type;
    uint64_t align;
    uint64_t max_descsz;
};

/* Finds the note described by (spec) by the rule every hvt monitor uses
 * (docs/hvt-abi.md §1.3): only the first note of each PT_NOTE is looked at, and
 * a PT_NOTE too small for a note header rejects the file. Returns the
 * descriptor and sets *size, or returns NULL when there is no such note. */
static const uint8_t *find_note(const struct mon_elf *elf,
                                const struct note_spec *spec, size_t *size)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;
    const Elf64_Phdr *ph = phdrs(elf);
    uint64_t hdr = 12 + align_up(spec->namesz, 4);
    uint64_t desc_off = align_up(hdr, spec->align);

    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_NOTE)
            continue;
        if (ph[i].p_filesz < 12)
            bad_elf(elf, "note does not fall within valid size (a PT_NOTE "
                         "is smaller than a note header)");
        if (!in_file(elf, ph[i].p_offset, ph[i].p_filesz))
            bad_elf(elf, "a PT_NOTE extends beyond the file");
        if (ph[i].p_filesz < hdr)
            continue;
        const uint8_t *n = elf->data + ph[i].p_offset;
        uint32_t namesz, descsz, type;
        memcpy(&namesz, n, 4);
        memcpy(&descsz, n + 4, 4);
        memcpy(&type, n + 8, 4);
        if (namesz != spec->namesz || type != spec->type ||
            memcmp(n + 12, spec->name, namesz) != 0)
            continue;
        if (descsz == 0 || descsz > spec->max_descsz ||
            ph[i].p_filesz < hdr + descsz || descsz <= desc_off - hdr)
            bad_elf(elf, "note does not fall within valid size");
        *size = descsz - (desc_off - hdr);
        if (ph[i].p_filesz < desc_off + *size)
            bad_elf(elf, "note does not fall within valid size");
        return n + desc_off;
    }
    return NULL;
}

static void read_abi_note(const struct mon_elf *elf)
{
    static const struct note_spec spec = {SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ,
                                          SOLO5_NOTE_ABI, ABI1_NOTE_ALIGN,
                                          ABI1_NOTE_MAX_DESCSZ};
    struct abi1_info abi;
    size_t size;
    const uint8_t *d = find_note(elf, &spec, &size);

    if (!d)
        bad_elf(elf, "no Solo5 ABI information found in executable");
    if (size < sizeof(abi))
        bad_elf(elf, "note does not fall within valid size (ABI1)");
    memcpy(&abi, d, sizeof(abi));
    if (abi.abi_target != HVT_ABI_TARGET)
        bad_elf(elf, "executable is not for the solo5-hvt target");
    if (abi.abi_version != HVT_ABI_VERSION)
        mon_fatal("%s: error: executable requests unsupported ABI version %u",
                  elf->path, abi.abi_version);
}

/* The manifest rules of docs/hvt-abi.md §2.3. */
static int mft_valid(const struct mft *mft, size_t size)
{
    if (size < sizeof(*mft) || mft->version != MFT_VERSION ||
        mft->entries == 0 || mft->entries > MFT_MAX_ENTRIES ||
        size != MFT_SIZE(mft->entries))
        return 0;
    if (mft->e[0].type != MFT_RESERVED_FIRST || mft->e[0].name[0] != 0)
        return 0;
    for (uint32_t i = 0; i < mft->entries; i++)
        if (mft->e[i].name[MFT_NAME_MAX] != 0 || mft->e[i].attached != 0)
            return 0;
    return 1;
}

static void read_mft_note(struct mon *m, const struct mon_elf *elf)
{
    static const struct note_spec spec = {SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ,
                                          SOLO5_NOTE_MANIFEST, MFT1_NOTE_ALIGN,
                                          MFT1_NOTE_MAX_DESCSZ};
    size_t size;
    const uint8_t *d = find_note(elf, &spec, &size);

    if (!d)
        bad_elf(elf, "no Solo5 manifest found in executable");
    /* Copied to an aligned buffer: the file gives no alignment guarantee. */
    m->mft = malloc(size);
    if (!m->mft)
        mon_fatal("out of memory");
    memcpy(m->mft, d, size);
    m->mft_size = size;
    if (!mft_valid(m->mft, size))
        bad_elf(elf, "Solo5 manifest is invalid");
}

static void read_tgn_note(struct mon_elf *elf)
{
    static const struct note_spec spec = {TGN1_NOTE_NAME, TGN1_NOTE_NAMESZ,
                                          TGN1_NOTE_TYPE, TGN1_NOTE_ALIGN,
                                          sizeof(struct tgn1_info)};
    struct tgn1_info tgn;
    size_t size;
    const uint8_t *d = find_note(elf, &spec, &size);

    if (!d)
        return; /* a Solo5-built guest: no default memory */
    if (size < sizeof(tgn))
        bad_elf(elf, "note does not fall within valid size (TGN1)");
    memcpy(&tgn, d, sizeof(tgn));
    if (tgn.version != TGN1_VERSION)
        bad_elf(elf, "unsupported TenderGen note version");
    /* The same rule as a manifest's memory: 0 (none) or 2 MiB..4 GiB in
     * steps of 2 MiB. */
    if (tgn.mem_size != 0 &&
        (tgn.mem_size % (2ULL << 20) != 0 || tgn.mem_size > HVT_MAX_MEM_SIZE))
        bad_elf(elf, "TenderGen note: memory is not a multiple of 2 MiB "
                     "between 2 MiB and 4 GiB");
    elf->note_mem_size = tgn.mem_size;
    elf->note_modules = tgn.modules;
}

void mon_elf_open(struct mon *m, struct mon_elf *elf, const char *path)
{
    memset(elf, 0, sizeof(*elf));
    elf->path = path;
    read_file(elf);
    mon_elf_check(m, elf);
}

void mon_elf_check(struct mon *m, struct mon_elf *elf)
{
    const Elf64_Ehdr *eh = check_header(elf);
    elf->entry = eh->e_entry;
    read_abi_note(elf);
    read_mft_note(m, elf);
    read_tgn_note(elf);
}

/* True for the PT_LOADs the loader checks, places and protects: those with
 * file bytes, and executable ones from 1 MiB up even without any (their
 * pages become executable). An empty segment that is not executable needs
 * nothing: guest memory starts zeroed, writable and no-execute. Empty ones
 * below 1 MiB are ignored (Solo5's images may carry an empty TLS segment
 * at address 0). */
static int loads(const Elf64_Phdr *ph)
{
    if (ph->p_type != PT_LOAD)
        return 0;
    return ph->p_filesz != 0 || ((ph->p_flags & PF_X) && ph->p_memsz != 0 &&
                                 ph->p_vaddr >= HVT_GUEST_MIN_BASE);
}

/* Loaded segments with all of (with) and none of (without). */
static unsigned count_segments(const struct mon_elf *elf, uint32_t with,
                               uint32_t without)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;
    const Elf64_Phdr *ph = phdrs(elf);
    unsigned n = 0;

    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (loads(&ph[i]) && (ph[i].p_flags & with) == with &&
            !(ph[i].p_flags & without))
            n++;
    return n;
}

/* Records the pages an executable segment overlaps (its end need not be
 * page aligned); the segment checks keep them ascending and disjoint. */
static void add_exec(struct mon_elf *elf, const Elf64_Phdr *ph, uint64_t end)
{
    elf->exec[elf->nexec].start = ph->p_vaddr & ~4095ULL;
    elf->exec[elf->nexec].end = end;
    elf->nexec++;
}

static void load_segment(struct mon *m, struct mon_elf *elf,
                         const Elf64_Phdr *ph, unsigned i, uint64_t *e_end)
{
    char why[160];
    uint64_t start, end;

#define REJECT(...)                                                            \
    do {                                                                       \
        mon_format(why, sizeof(why), __VA_ARGS__);                             \
        bad_elf(elf, why);                                                     \
    } while (0)
    if (ph->p_align == 0 || (ph->p_align & (ph->p_align - 1)) != 0)
        REJECT("phdr[%u]: p_align is not a power of two", i);
    start = ph->p_vaddr & ~(ph->p_align - 1);
    if (start < HVT_GUEST_MIN_BASE || start % 4096 != 0)
        REJECT("phdr[%u]: segment starts below 1 MiB or is not page "
               "aligned",
               i);
    if (start < *e_end)
        REJECT("phdr[%u]: segment overlaps or precedes an earlier one", i);
    if (ph->p_memsz < ph->p_filesz)
        REJECT("phdr[%u]: p_memsz is smaller than p_filesz", i);
    if (ph->p_vaddr >= m->mem_size || ph->p_memsz > m->mem_size - ph->p_vaddr)
        REJECT("phdr[%u]: segment reaches beyond guest memory (%llu MiB)", i,
               (unsigned long long)(m->mem_size >> 20));
    end = align_up(ph->p_vaddr + ph->p_memsz, 4096);
    if (end > m->mem_size)
        REJECT("phdr[%u]: segment reaches beyond guest memory", i);
    if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
        REJECT("phdr[%u]: segment is both writable and executable", i);
    if (!in_file(elf, ph->p_offset, ph->p_filesz))
        REJECT("phdr[%u]: segment extends beyond the file", i);
#undef REJECT
    memcpy(m->mem + ph->p_vaddr, elf->data + ph->p_offset, ph->p_filesz);
    /* Guest memory is fresh zero pages: the bss part needs no memset.
     * Execute is never granted on the host: a guest's text only needs to
     * be readable here, and read-only makes guest writes to it fault. */
    if (!(ph->p_flags & PF_W))
        mon_protect_ro(m, start, end);
    if (ph->p_flags & PF_X)
        add_exec(elf, ph, end);
    *e_end = end;
}

void mon_elf_load(struct mon *m, struct mon_elf *elf)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;
    const Elf64_Phdr *ph = phdrs(elf);
    uint64_t e_end = 0;

    if (elf->entry < HVT_GUEST_MIN_BASE || elf->entry >= m->mem_size)
        bad_elf(elf, "entry point outside guest memory");
    /* Executable segments first: they are read-only too, and the more
     * specific message is the one to give. */
    _Static_assert(MON_MAX_EXEC == 15, "the message below says 15");
    if (count_segments(elf, PF_X, 0) > MON_MAX_EXEC)
        bad_elf(elf, "too many executable loadable segments (at most 15)");
    /* One range of m->ro is left for the boot data. */
    if (count_segments(elf, 0, PF_W) > MON_MAX_RO - 1)
        bad_elf(elf, "too many read-only loadable segments");
    elf->nexec = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (loads(&ph[i]))
            load_segment(m, elf, &ph[i], i, &e_end);
    if (e_end == 0)
        bad_elf(elf, "no loadable segment");
    elf->kernel_end = e_end;
    free(elf->data);
    elf->data = NULL;
}
