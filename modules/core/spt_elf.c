/* spt_elf.c: reading the guest's ELF, checking it as the hvt loader does,
 * and loading it into guest memory, which in a process monitor is part of
 * the monitor's own address space: every offset and size in the file is
 * checked, with overflow, before it is used, and each segment's pages get
 * exactly its permissions, never both writable and executable. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spt.h"

#define SPT_ELF_MAX_FILE_SIZE (1ULL << 30)
#define SPT_PAGE 4096ULL

/* The file, read once; freed (wiped first) once the guest is loaded. */
static struct {
    const char *path;
    uint8_t *data;
    size_t size;
} elf;

static _Noreturn void bad_elf(const char *why)
{
    mon_fatal("%s: error: %s", elf.path, why);
}

static int in_file(uint64_t off, uint64_t len)
{
    return off <= elf.size && len <= elf.size - off;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static void read_file(void)
{
    struct stat st;
    int fd = open(elf.path, O_RDONLY);

    if (fd < 0)
        mon_fatal("%s: could not open: %s", elf.path, strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        mon_fatal("%s: not a regular file", elf.path);
    if ((unsigned long long)st.st_size > SPT_ELF_MAX_FILE_SIZE)
        bad_elf("file larger than 1 GiB");
    elf.size = (size_t)st.st_size;
    elf.data = malloc(elf.size ? elf.size : 1);
    if (!elf.data)
        mon_fatal("out of memory reading %s", elf.path);
    for (size_t done = 0; done < elf.size;) {
        ssize_t n = read(fd, elf.data + done, elf.size - done);
        if (n <= 0)
            mon_fatal("%s: read failed", elf.path);
        done += (size_t)n;
    }
    close(fd);
}

static const Elf64_Ehdr *header(void)
{
    return (const Elf64_Ehdr *)elf.data;
}

static const Elf64_Phdr *phdrs(void)
{
    return (const Elf64_Phdr *)(elf.data + header()->e_phoff);
}

static void check_header(void)
{
    const Elf64_Ehdr *eh = header();

    if (elf.size < sizeof(*eh))
        bad_elf("file too short for an ELF header");
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        bad_elf("not an ELF file (bad magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_version != EV_CURRENT)
        bad_elf("not a 64-bit little-endian ELF (version 1)");
    if (eh->e_type != ET_EXEC)
        bad_elf("not a static executable (e_type is not ET_EXEC)");
    if (eh->e_machine != EM_X86_64)
        bad_elf("not an x86_64 executable");
    if (eh->e_ehsize != sizeof(Elf64_Ehdr) ||
        eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0)
        bad_elf("bad ELF header sizes or no program headers");
    if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        bad_elf("program header table extends beyond the file");
    if (eh->e_phoff % 8 != 0)
        bad_elf("program header table is misaligned");
}

/* The descriptor of the first note of some PT_NOTE that has (name) and
 * (type), with its size in *size, or NULL: the rule of the hvt monitors
 * and of Solo5's tenders. */
static const uint8_t *find_note(const char *name, uint32_t namesz,
                                uint32_t type, uint64_t align,
                                uint64_t max_descsz, size_t *size)
{
    const Elf64_Phdr *ph = phdrs();
    uint64_t hdr = 12 + align_up(namesz, 4);
    uint64_t desc_off = align_up(hdr, align);

    for (unsigned i = 0; i < header()->e_phnum; i++) {
        if (ph[i].p_type != PT_NOTE)
            continue;
        if (ph[i].p_filesz < 12)
            bad_elf("note does not fall within valid size (a PT_NOTE is "
                    "smaller than a note header)");
        if (!in_file(ph[i].p_offset, ph[i].p_filesz))
            bad_elf("a PT_NOTE extends beyond the file");
        if (ph[i].p_filesz < hdr)
            continue;
        const uint8_t *n = elf.data + ph[i].p_offset;
        uint32_t nsz, dsz, t;
        memcpy(&nsz, n, 4);
        memcpy(&dsz, n + 4, 4);
        memcpy(&t, n + 8, 4);
        if (nsz != namesz || t != type || memcmp(n + 12, name, namesz) != 0)
            continue;
        if (dsz == 0 || dsz > max_descsz || ph[i].p_filesz < hdr + dsz ||
            dsz <= desc_off - hdr)
            bad_elf("note does not fall within valid size");
        *size = dsz - (desc_off - hdr);
        if (ph[i].p_filesz < desc_off + *size)
            bad_elf("note does not fall within valid size");
        return n + desc_off;
    }
    return NULL;
}

static void read_abi_note(void)
{
    struct abi1_info abi;
    size_t size;
    const uint8_t *d =
        find_note(SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ, SOLO5_NOTE_ABI,
                  ABI1_NOTE_ALIGN, ABI1_NOTE_MAX_DESCSZ, &size);

    if (!d)
        bad_elf("no Solo5 ABI information found in executable");
    if (size < sizeof(abi))
        bad_elf("note does not fall within valid size (ABI1)");
    memcpy(&abi, d, sizeof(abi));
    if (abi.abi_target != SPT_ABI_TARGET)
        bad_elf("executable is not for the solo5-spt target");
    if (abi.abi_version != SPT_ABI_VERSION)
        mon_fatal("%s: error: executable requests unsupported ABI version %u",
                  elf.path, abi.abi_version);
}

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

static void read_mft_note(struct spt *s)
{
    size_t size;
    const uint8_t *d =
        find_note(SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ, SOLO5_NOTE_MANIFEST,
                  MFT1_NOTE_ALIGN, MFT1_NOTE_MAX_DESCSZ, &size);

    if (!d)
        bad_elf("no Solo5 manifest found in executable");
    s->mft = malloc(size);
    if (!s->mft)
        mon_fatal("out of memory");
    memcpy(s->mft, d, size);
    s->mft_size = size;
    if (!mft_valid(s->mft, size))
        bad_elf("Solo5 manifest is invalid");
}

/* The unikernel's own memory size (TenderGen note), or 0. */
static uint64_t read_tgn_note(void)
{
    struct tgn1_info tgn;
    size_t size;
    const uint8_t *d =
        find_note(TGN1_NOTE_NAME, TGN1_NOTE_NAMESZ, TGN1_NOTE_TYPE,
                  TGN1_NOTE_ALIGN, sizeof(struct tgn1_info), &size);

    if (!d)
        return 0;
    if (size < sizeof(tgn))
        bad_elf("note does not fall within valid size (TGN1)");
    memcpy(&tgn, d, sizeof(tgn));
    if (tgn.version != TGN1_VERSION)
        bad_elf("unsupported TenderGen note version");
    if (tgn.mem_size != 0 &&
        (tgn.mem_size % (2ULL << 20) != 0 || tgn.mem_size > (4ULL << 30)))
        bad_elf("TenderGen note: memory is not a multiple of 2 MiB between "
                "2 MiB and 4 GiB");
    if (tgn.modules != 0)
        bad_elf("TenderGen note: asks for modules a process monitor does "
                "not have");
    return tgn.mem_size;
}

void spt_elf_read(struct spt *s, const char *path, uint64_t *note_mem)
{
    elf.path = path;
    read_file();
    check_header();
    read_abi_note();
    read_mft_note(s);
    *note_mem = read_tgn_note();
}

/* The PT_LOADs placed in memory: those with file bytes or memory. */
static int loads(const Elf64_Phdr *ph)
{
    return ph->p_type == PT_LOAD && ph->p_memsz != 0 &&
           (ph->p_filesz != 0 || ph->p_vaddr >= SPT_GUEST_MIN_BASE);
}

static int prot_of(uint32_t flags)
{
    return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
           (flags & PF_X ? PROT_EXEC : 0);
}

static void load_segment(const struct spt *s, const Elf64_Phdr *ph, unsigned i,
                         uint64_t *e_end)
{
    char why[160];
    uint64_t start, end;

#define REJECT(...)                                                            \
    do {                                                                       \
        snprintf(why, sizeof(why), __VA_ARGS__);                               \
        bad_elf(why);                                                          \
    } while (0)
    if (ph->p_align == 0 || (ph->p_align & (ph->p_align - 1)) != 0)
        REJECT("phdr[%u]: p_align is not a power of two", i);
    start = ph->p_vaddr & ~(ph->p_align - 1);
    if (start < SPT_GUEST_MIN_BASE || start % SPT_PAGE != 0)
        REJECT("phdr[%u]: segment starts below 1 MiB or is not page aligned",
               i);
    if (start < *e_end)
        REJECT("phdr[%u]: segment overlaps or precedes an earlier one", i);
    if (ph->p_memsz < ph->p_filesz)
        REJECT("phdr[%u]: p_memsz is smaller than p_filesz", i);
    if (ph->p_vaddr >= s->mem_size || ph->p_memsz > s->mem_size - ph->p_vaddr)
        REJECT("phdr[%u]: segment reaches beyond guest memory (%llu MiB)", i,
               (unsigned long long)(s->mem_size >> 20));
    end = align_up(ph->p_vaddr + ph->p_memsz, SPT_PAGE);
    if (end > s->mem_size)
        REJECT("phdr[%u]: segment reaches beyond guest memory", i);
    if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
        REJECT("phdr[%u]: segment is both writable and executable", i);
    if (!in_file(ph->p_offset, ph->p_filesz))
        REJECT("phdr[%u]: segment extends beyond the file", i);
#undef REJECT
    memcpy(spt_at(ph->p_vaddr), elf.data + ph->p_offset, ph->p_filesz);
    if (mprotect(spt_at(start), end - start, prot_of(ph->p_flags)) < 0)
        mon_fatal("%s: phdr[%u]: cannot protect the segment: %s", elf.path, i,
                  strerror(errno));
    *e_end = end;
}

void spt_elf_load(struct spt *s, uint64_t *entry, uint64_t *kernel_end)
{
    const Elf64_Phdr *ph = phdrs();
    uint64_t e_end = 0;

    *entry = header()->e_entry;
    if (*entry < SPT_GUEST_MIN_BASE || *entry >= s->mem_size)
        bad_elf("entry point outside guest memory");
    for (unsigned i = 0; i < header()->e_phnum; i++)
        if (loads(&ph[i]))
            load_segment(s, &ph[i], i, &e_end);
    if (e_end == 0)
        bad_elf("no loadable segment");
    *kernel_end = e_end;
    /* The file stays in the monitor's heap, which the guest can read. */
    memset(elf.data, 0, elf.size);
    free(elf.data);
    elf.data = NULL;
}

void spt_memory_map(struct spt *s, uint64_t mem_size)
{
    extern const char __executable_start[];
    uint64_t image = (uint64_t)(uintptr_t)__executable_start;

    /* The monitor's image is placed by the kernel (static PIE, high): the
     * guest's memory must end below it. */
    if (image < (1ULL << 32) || mem_size > image)
        mon_fatal("the monitor's image (at %#llx) lies inside the guest's "
                  "memory (%llu MiB): this monitor must be built as a static "
                  "PIE",
                  (unsigned long long)image,
                  (unsigned long long)(mem_size >> 20));
    /* Nothing may be there already: MAP_FIXED_NOREPLACE refuses to replace
     * a mapping of the monitor's. */
    void *p = mmap((void *)SPT_HOST_MEM_BASE, mem_size - SPT_HOST_MEM_BASE,
                   PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || p != (void *)SPT_HOST_MEM_BASE)
        mon_fatal("cannot map guest memory (%llu MiB) at %#llx: %s",
                  (unsigned long long)(mem_size >> 20),
                  (unsigned long long)SPT_HOST_MEM_BASE,
                  p == MAP_FAILED ? strerror(errno) : "placed elsewhere");
    s->mem_size = mem_size;
}
