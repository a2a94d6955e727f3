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

/* Reads all (size) bytes at (off), as the file holds them now. */
static int read_at(void *ctx, uint8_t *dst, size_t size, uint64_t off)
{
    const struct mon_elf *elf = ctx;

    while (size) {
        ssize_t n = pread(elf->fd, dst, size, (off_t)off);
        if (n <= 0)
            return -1;
        dst += n, size -= (size_t)n, off += (uint64_t)n;
    }
    return 0;
}

/* A buffer of the file's size, of fresh pages that cost nothing until
 * touched: only what the checker reads is read into it (guest_check.h),
 * and the segments go from the file straight to guest memory. */
static void read_parts(struct mon_elf *elf)
{
    void *p = mmap(NULL, elf->size ? elf->size : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        mon_fatal("out of memory reading %s", elf->path);
    elf->data = p;
    if (guest_read_parts(elf->data, elf->size, read_at, elf) < 0)
        mon_fatal("%s: read failed", elf->path);
}

void mon_elf_read(struct mon_elf *elf)
{
    struct stat st;
    /* No O_CLOEXEC anywhere in the monitor: it never execs, and musl backs
     * the flag with an fcntl that orchestrators' filters (urunc's) forbid. */
    elf->fd = open(elf->path, O_RDONLY);
    if (elf->fd < 0)
        mon_fatal("%s: could not open: %s", elf->path, strerror(errno));
    if (fstat(elf->fd, &st) < 0 || !S_ISREG(st.st_mode))
        mon_fatal("%s: not a regular file", elf->path);
    if ((unsigned long long)st.st_size > ELF_MAX_FILE_SIZE)
        bad_elf(elf, "file larger than 1 GiB");
    elf->size = (size_t)st.st_size;
    read_parts(elf);
}

/* Done with the file: its parts and its descriptor. */
void mon_elf_close(struct mon_elf *elf)
{
    if (elf->data)
        munmap(elf->data, elf->size ? elf->size : 1);
    elf->data = NULL;
    if (elf->fd >= 0)
        close(elf->fd);
    elf->fd = -1;
}

static const Elf64_Phdr *phdrs(const struct mon_elf *elf)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;
    return (const Elf64_Phdr *)(elf->data + eh->e_phoff);
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
    mon_elf_read(elf);
    mon_elf_check(m, elf);
}

/* The rules tender-gen applies too (guest_check.c); the manifest is copied
 * to an aligned buffer. */
void mon_elf_check(struct mon *m, struct mon_elf *elf)
{
    const struct guest_rules rules = {
        .abi_target = HVT_ABI_TARGET,
        .abi_target_alt = elf->abi_target_alt,
        .target = elf->abi_target_alt ? "hvt or solo5-spt" : "hvt",
        .abi_version = HVT_ABI_VERSION,
        /* The drop-in has no configuration: it checks types itself. */
        .type_known = m->cfg ? type_known : NULL,
        .ctx = m->cfg,
        /* The drop-in has none either: its monitors check the bits. */
        .known_modules = m->cfg ? m->cfg->modules_known : UINT32_MAX,
    };
    struct guest_notes notes;
    char why[256];

    if (guest_check_elf(elf->data, elf->size, &rules, &notes, why,
                        sizeof(why)) < 0)
        bad_elf(elf, why);
    m->mft = malloc(notes.mft_size);
    if (!m->mft)
        mon_fatal("out of memory");
    memcpy(m->mft, notes.mft, notes.mft_size);
    m->mft_size = notes.mft_size;
    elf->entry = notes.entry;
    elf->abi_target = notes.abi_target;
    elf->note_mem_size = notes.mem_size;
    elf->note_modules = notes.modules;
}

/* Places a segment guest_check_elf() accepted, now that the guest's memory
 * size is known. */
static void load_segment(struct mon *m, struct mon_elf *elf,
                         const Elf64_Phdr *ph, unsigned i, uint64_t *e_end)
{
    uint64_t start = ph->p_vaddr & ~(ph->p_align - 1);
    uint64_t end = (ph->p_vaddr + ph->p_memsz + 4095) & ~4095ULL;

    if (end > m->mem_size)
        mon_fatal("%s: error: phdr[%u]: segment reaches beyond guest memory "
                  "(%llu MiB)",
                  elf->path, i, (unsigned long long)(m->mem_size >> 20));
    if (read_at(elf, m->mem + ph->p_vaddr, ph->p_filesz, ph->p_offset) < 0)
        mon_fatal("%s: read failed", elf->path);
    /* Guest memory is fresh zero pages: the bss part needs no memset.
     * Execute is never granted on the host: a guest's text only needs to
     * be readable here, and read-only makes guest writes to it fault. */
    if (!(ph->p_flags & PF_W))
        mon_protect_ro(m, start, end);
    if (ph->p_flags & PF_X) { /* the pages it overlaps become executable */
        elf->exec[elf->nexec].start = ph->p_vaddr & ~4095ULL;
        elf->exec[elf->nexec++].end = end;
    }
    *e_end = end;
}

void mon_elf_load(struct mon *m, struct mon_elf *elf)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;
    const Elf64_Phdr *ph = phdrs(elf);
    uint64_t e_end = 0;

    _Static_assert(MON_MAX_EXEC == GUEST_MAX_EXEC &&
                       MON_MAX_RO - 1 == GUEST_MAX_RO,
                   "one range of m->ro is the boot data's");
    if (elf->entry >= m->mem_size)
        bad_elf(elf, "entry point outside guest memory");
    elf->nexec = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (guest_segment_loads((const uint8_t *)&ph[i]))
            load_segment(m, elf, &ph[i], i, &e_end);
    elf->kernel_end = e_end;
    /* Started with a standard descriptor closed, the monitor had the file
     * there while modules made sure 0..2 were open (the dumpcore module's
     * core must not land on one): /dev/null keeps it open. */
    int fd = elf->fd;
    mon_elf_close(elf);
    if (fd <= 2 && open("/dev/null", O_RDWR) != fd)
        mon_fatal("cannot open /dev/null as descriptor %d", fd);
}
