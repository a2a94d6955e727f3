/* spt_elf.c: reading the guest's ELF and loading it into guest memory,
 * which in a process monitor is part of the monitor's own address space.
 * The file is judged by the checker tender-gen and the hvt monitors use
 * (guest_check.c), so all of them accept the same files; what is left here
 * needs the process: the guest's memory size, the mapping, the copies and
 * each segment's page protection (the checker refuses W+X segments). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_check.h"
#include "spt.h"

#define SPT_ELF_MAX_FILE_SIZE (1ULL << 30)

#define SPT_ELF_MAX_PARTS 16 /* the header, the table and a few notes */

/* The file, open, and the parts the checker reads in (data): a buffer of
 * the file's (size), rounded up to whole (pages), then the manifest's
 * copy, in one mapping; with where each part lies (a count above
 * SPT_ELF_MAX_PARTS: more parts than are kept track of). The file is
 * closed and the parts wiped once the guest is loaded. */
static struct {
    const char *path;
    int fd;
    uint8_t *data;
    size_t size, pages;
    uint64_t entry;
    struct {
        uint8_t *at;
        size_t size;
    } part[SPT_ELF_MAX_PARTS];
    unsigned nparts;
} elf;

static _Noreturn void bad_elf(const char *why)
{
    mon_fatal("%s: error: %s", elf.path, why);
}

/* Reads all (size) bytes at (off), as the file holds them now. */
static int read_at(void *ctx, uint8_t *dst, size_t size, uint64_t off)
{
    (void)ctx;
    while (size) {
        ssize_t n = pread(elf.fd, dst, size, (off_t)off);
        if (n <= 0)
            return -1;
        dst += n, size -= (size_t)n, off += (uint64_t)n;
    }
    return 0;
}

/* read_at() for the checker's parts, noting where each lies. */
static int read_part(void *ctx, uint8_t *dst, size_t size, uint64_t off)
{
    if (elf.nparts < SPT_ELF_MAX_PARTS)
        elf.part[elf.nparts].at = dst, elf.part[elf.nparts].size = size;
    if (elf.nparts <= SPT_ELF_MAX_PARTS)
        elf.nparts++;
    return read_at(ctx, dst, size, off);
}

/* Leaves nothing of the parts read for the guest to read (the manifest's
 * copy stays: the guest is given the manifest). Zeroing them touches only
 * pages the reads touched; unmapping them would cost a TLB flush as well,
 * and is left for files with more parts than are kept track of. */
static void wipe_parts(void)
{
    if (elf.nparts > SPT_ELF_MAX_PARTS) {
        munmap(elf.data, elf.pages);
    } else {
        for (unsigned i = 0; i < elf.nparts; i++)
            explicit_bzero(elf.part[i].at, elf.part[i].size);
    }
    elf.data = NULL;
}

/* The buffer is fresh pages that cost nothing until touched: only what the
 * checker reads is read into it (guest_check.h), and the segments go from
 * the file straight to guest memory. The manifest's copy follows the
 * file's pages: the checker caps it at MFT_SIZE(MFT_MAX_ENTRIES), so
 * it needs no malloc (whose first call costs system calls and page faults
 * before the guest starts), and unlike a static buffer of that size it
 * leaves the C library's variables on the page of the monitor's data,
 * where they fault in with it, not on pages of their own. */
static void read_file(void)
{
    struct stat st;

    elf.fd = open(elf.path, O_RDONLY);
    if (elf.fd < 0)
        mon_fatal("%s: could not open: %s", elf.path, strerror(errno));
    if (fstat(elf.fd, &st) < 0 || !S_ISREG(st.st_mode))
        mon_fatal("%s: not a regular file", elf.path);
    if ((unsigned long long)st.st_size > SPT_ELF_MAX_FILE_SIZE)
        bad_elf("file larger than 1 GiB");
    elf.size = (size_t)st.st_size;
    elf.pages = (elf.size + 4095) & ~(size_t)4095;
    elf.data = mmap(NULL, elf.pages + MFT_SIZE(MFT_MAX_ENTRIES),
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (elf.data == MAP_FAILED)
        mon_fatal("out of memory reading %s", elf.path);
    if (guest_read_parts(elf.data, elf.size, read_part, NULL) < 0)
        mon_fatal("%s: read failed", elf.path);
}

/* A manifest entry's type is known when tender-gen knew it. */
static int type_known(const void *ctx, uint32_t type)
{
    const struct spt_config *cfg = ctx;

    for (size_t t = 0; t < cfg->ndevtypes; t++)
        if (cfg->devtypes[t].mft_type == type)
            return 1;
    return 0;
}

void spt_elf_read(struct spt *s, const char *path, uint64_t *note_mem)
{
    const struct guest_rules rules = {
        .abi_target = SPT_ABI_TARGET,
        .target = "spt",
        .abi_version = SPT_ABI_VERSION,
        .type_known = type_known,
        .ctx = s->cfg,
        /* The note's modules are tender-gen's to build in; an spt monitor
         * has none of them, and refuses only bits tender-gen would. */
        .known_modules = s->cfg->modules_known,
    };
    struct guest_notes notes;
    char why[256];

    elf.path = path;
    read_file();
    if (guest_check_elf(elf.data, elf.size, &rules, &notes, why, sizeof(why)) <
        0)
        bad_elf(why);
    s->mft = (struct mft *)(elf.data + elf.pages);
    memcpy(s->mft, notes.mft, notes.mft_size);
    s->mft_size = notes.mft_size;
    elf.entry = notes.entry;
    *note_mem = notes.mem_size;
}

static int prot_of(uint32_t flags)
{
    return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
           (flags & PF_X ? PROT_EXEC : 0);
}

/* Places a segment guest_check_elf() accepted, now that the guest's memory
 * size is known, and gives its pages the segment's permissions. */
static void load_segment(const struct spt *s, const Elf64_Phdr *ph, unsigned i,
                         uint64_t *e_end)
{
    uint64_t start = ph->p_vaddr & ~(ph->p_align - 1);
    uint64_t end = (ph->p_vaddr + ph->p_memsz + 4095) & ~4095ULL;

    if (end > s->mem_size)
        mon_fatal("%s: error: phdr[%u]: segment reaches beyond guest memory "
                  "(%llu MiB)",
                  elf.path, i, (unsigned long long)(s->mem_size >> 20));
    if (read_at(NULL, spt_at(ph->p_vaddr), ph->p_filesz, ph->p_offset) < 0)
        mon_fatal("%s: read failed", elf.path);
    /* Guest memory is mapped read-write: a read-write segment is already
     * what it should be, and an mprotect would only split the mapping. */
    int prot = prot_of(ph->p_flags);
    if (prot != (PROT_READ | PROT_WRITE) &&
        mprotect(spt_at(start), end - start, prot) < 0)
        mon_fatal("%s: phdr[%u]: cannot protect the segment: %s", elf.path, i,
                  strerror(errno));
    *e_end = end;
}

void spt_elf_load(struct spt *s, uint64_t *entry, uint64_t *kernel_end)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf.data;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf.data + eh->e_phoff);
    uint64_t e_end = 0;

    if (elf.entry >= s->mem_size)
        bad_elf("entry point outside guest memory");
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (guest_segment_loads((const uint8_t *)&ph[i]))
            load_segment(s, &ph[i], i, &e_end);
    *entry = elf.entry;
    *kernel_end = e_end;
    wipe_parts();
    close(elf.fd);
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
