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

#include "guest_check.h"
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

static const Elf64_Phdr *phdrs(const struct mon_elf *elf)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;
    return (const Elf64_Phdr *)(elf->data + eh->e_phoff);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* A manifest entry's type is known when tender-gen knew it. */
static int type_known(const void *ctx, uint32_t type)
{
    const struct mon_config *cfg = ctx;

    for (size_t t = 0; t < cfg->ndevtypes; t++)
        if (cfg->devtypes[t].mft_type == type)
            return 1;
    return 0;
}

void mon_elf_open(struct mon *m, struct mon_elf *elf, const char *path)
{
    memset(elf, 0, sizeof(*elf));
    elf->path = path;
    read_file(elf);
    mon_elf_check(m, elf);
}

/* The header and the notes, by the rules tender-gen applies too
 * (guest_check.c); the manifest is copied to an aligned buffer. */
void mon_elf_check(struct mon *m, struct mon_elf *elf)
{
    const struct guest_rules rules = {HVT_ABI_TARGET, HVT_ABI_VERSION,
                                      type_known, m->cfg, UINT32_MAX};
    struct guest_notes notes;
    struct guest_problem why;
    char text[160];

    if (guest_check_elf(elf->data, elf->size, &rules, &notes, &why) < 0)
        bad_elf(elf, guest_why(&why, text, sizeof(text)));
    m->mft = malloc(notes.mft_size);
    if (!m->mft)
        mon_fatal("out of memory");
    memcpy(m->mft, notes.mft, notes.mft_size);
    m->mft_size = notes.mft_size;
    elf->entry = notes.entry;
    elf->note_mem_size = notes.mem_size;
    elf->note_modules = notes.modules;
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
        snprintf(why, sizeof(why), __VA_ARGS__);                               \
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
