/* elfcore.c: an ELF core file of the guest in the layout gdb reads for
 * x86-64 Linux cores: an ET_CORE header, a PT_NOTE with NT_PRSTATUS (the
 * signal, the pid and the registers as struct user_regs_struct) and
 * NT_PRPSINFO (the guest's name), then one PT_LOAD per range of guest
 * memory at its guest-physical address, which is also the guest's virtual
 * address (the hvt page tables map memory one to one).
 *
 * The file is sparse: pages that are all zeros, as most of a guest's memory
 * is, are not written. Guest memory is read through /proc/self/mem, where a
 * page the host maps without read access (a PT_LOAD with no permissions)
 * gives an error, and becomes a hole, instead of crashing the monitor.
 *
 * System calls: pread64 on /proc/self/mem, pwrite64 on the core file. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dumpcore.h"

#define MOD_DUMPCORE_PAGE 4096ULL
#define MOD_DUMPCORE_CHUNK (1U << 20)
#define MOD_DUMPCORE_MAX_RANGES 4

_Static_assert(sizeof(struct elf_prstatus) == 336, "x86-64 Linux prstatus");
_Static_assert(sizeof(struct elf_prpsinfo) == 136, "x86-64 Linux prpsinfo");
_Static_assert(sizeof(struct user_regs_struct) == sizeof(elf_gregset_t),
               "x86-64 Linux general registers");

/* One chunk of guest memory on its way to the file (bss: costs nothing
 * until a core is written). */
static uint64_t mod_dumpcore_buf[MOD_DUMPCORE_CHUNK / 8];

static int mod_dumpcore_pwrite(int fd, const void *p, size_t n, uint64_t off)
{
    const uint8_t *b = p;

    while (n > 0) {
        ssize_t w = pwrite(fd, b, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        b += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

/* Appends a note named "CORE" at (pos) in (buf); returns the new end. */
static size_t mod_dumpcore_note(uint8_t *buf, size_t pos, uint32_t type,
                                const void *desc, size_t size)
{
    Elf64_Nhdr h = {
        .n_namesz = 5, .n_descsz = (Elf64_Word)size, .n_type = type};

    memcpy(buf + pos, &h, sizeof(h));
    memcpy(buf + pos + sizeof(h), "CORE\0\0\0", 8);
    memcpy(buf + pos + sizeof(h) + 8, desc, size);
    return pos + sizeof(h) + 8 + ((size + 3) & ~(size_t)3);
}

static size_t mod_dumpcore_notes(uint8_t *buf, size_t pos,
                                 const struct mod_dumpcore_info *info)
{
    struct elf_prstatus st;
    struct elf_prpsinfo ps;
    const char *base = strrchr(info->name, '/');

    memset(&st, 0, sizeof(st));
    st.pr_info.si_signo = info->signal;
    st.pr_cursig = (short)info->signal;
    st.pr_pid = info->pid;
    memcpy(st.pr_reg, &info->regs, sizeof(st.pr_reg));
    memset(&ps, 0, sizeof(ps));
    ps.pr_sname = 'R';
    ps.pr_pid = info->pid;
    snprintf(ps.pr_fname, sizeof(ps.pr_fname), "%s",
             base ? base + 1 : info->name);
    snprintf(ps.pr_psargs, sizeof(ps.pr_psargs), "%s", info->name);
    pos = mod_dumpcore_note(buf, pos, NT_PRSTATUS, &st, sizeof(st));
    return mod_dumpcore_note(buf, pos, NT_PRPSINFO, &ps, sizeof(ps));
}

/* ELF header, program headers and notes into (buf); returns their length
 * and sets *data to the page-aligned offset of the first PT_LOAD's bytes. */
static size_t mod_dumpcore_headers(uint8_t *buf,
                                   const struct mod_dumpcore_info *info,
                                   const struct mod_dumpcore_range *r,
                                   unsigned n, uint64_t *data)
{
    Elf64_Ehdr eh = {.e_type = ET_CORE,
                     .e_machine = EM_X86_64,
                     .e_version = EV_CURRENT,
                     .e_phoff = sizeof(Elf64_Ehdr),
                     .e_ehsize = sizeof(Elf64_Ehdr),
                     .e_phentsize = sizeof(Elf64_Phdr),
                     .e_phnum = (Elf64_Half)(n + 1)};
    size_t notes = sizeof(eh) + (n + 1) * sizeof(Elf64_Phdr);
    size_t end = mod_dumpcore_notes(buf, notes, info);
    Elf64_Phdr ph = {.p_type = PT_NOTE,
                     .p_offset = notes,
                     .p_filesz = end - notes,
                     .p_align = 4};

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    memcpy(buf, &eh, sizeof(eh));
    memcpy(buf + sizeof(eh), &ph, sizeof(ph));
    *data = (end + MOD_DUMPCORE_PAGE - 1) & ~(MOD_DUMPCORE_PAGE - 1);
    uint64_t off = *data;
    for (unsigned i = 0; i < n; i++) {
        ph = (Elf64_Phdr){.p_type = PT_LOAD,
                          .p_flags = PF_R | PF_W | PF_X,
                          .p_offset = off,
                          .p_vaddr = r[i].gpa,
                          .p_paddr = r[i].gpa,
                          .p_filesz = r[i].size,
                          .p_memsz = r[i].size,
                          .p_align = MOD_DUMPCORE_PAGE};
        memcpy(buf + sizeof(eh) + (i + 1) * sizeof(ph), &ph, sizeof(ph));
        off += r[i].size;
    }
    return end;
}

static int mod_dumpcore_is_zero(const uint8_t *page)
{
    const uint64_t *q = (const uint64_t *)(const void *)page;

    for (size_t i = 0; i < MOD_DUMPCORE_PAGE / 8; i++)
        if (q[i])
            return 0;
    return 1;
}

/* Writes the runs of non-zero pages among (npages) read pages; returns 0,
 * or -1. */
static int mod_dumpcore_runs(int fd, const uint8_t *buf, size_t npages,
                             uint64_t off, uint64_t *written, uint64_t *end)
{
    for (size_t i = 0; i < npages;) {
        if (mod_dumpcore_is_zero(buf + i * MOD_DUMPCORE_PAGE)) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < npages && !mod_dumpcore_is_zero(buf + j * MOD_DUMPCORE_PAGE))
            j++;
        if (mod_dumpcore_pwrite(fd, buf + i * MOD_DUMPCORE_PAGE,
                                (j - i) * MOD_DUMPCORE_PAGE,
                                off + i * MOD_DUMPCORE_PAGE) < 0)
            return -1;
        *written += j - i;
        *end = off + j * MOD_DUMPCORE_PAGE;
        i = j;
    }
    return 0;
}

static int mod_dumpcore_range(int fd, int memfd,
                              const struct mod_dumpcore_range *r, uint64_t off,
                              uint64_t *written, uint64_t *end)
{
    uint8_t *buf = (uint8_t *)mod_dumpcore_buf;

    for (uint64_t done = 0; done < r->size;) {
        uint64_t want = r->size - done;
        if (want > MOD_DUMPCORE_CHUNK)
            want = MOD_DUMPCORE_CHUNK;
        ssize_t n =
            pread(memfd, buf, (size_t)want, (off_t)(uintptr_t)(r->host + done));
        size_t npages = n > 0 ? (size_t)n / MOD_DUMPCORE_PAGE : 0;
        if (npages == 0) {
            done += MOD_DUMPCORE_PAGE; /* unreadable on the host: a hole */
            continue;
        }
        if (mod_dumpcore_runs(fd, buf, npages, off + done, written, end) < 0)
            return -1;
        done += npages * MOD_DUMPCORE_PAGE;
    }
    return 0;
}

int mod_dumpcore_write(int fd, int memfd, const struct mod_dumpcore_info *info,
                       const struct mod_dumpcore_range *ranges,
                       unsigned nranges, uint64_t *written, uint64_t *total)
{
    static uint8_t head[MOD_DUMPCORE_PAGE];
    uint64_t data, end = 0;

    if (nranges > MOD_DUMPCORE_MAX_RANGES) {
        errno = EINVAL;
        return -1;
    }
    size_t len = mod_dumpcore_headers(head, info, ranges, nranges, &data);
    if (mod_dumpcore_pwrite(fd, head, len, 0) < 0)
        return -1;
    *written = *total = 0;
    for (unsigned i = 0; i < nranges; i++) {
        if (mod_dumpcore_range(fd, memfd, &ranges[i], data, written, &end) < 0)
            return -1;
        *total += ranges[i].size / MOD_DUMPCORE_PAGE;
        data += ranges[i].size;
    }
    /* A file that ends in a hole still needs its full length. */
    if (end < data && mod_dumpcore_pwrite(fd, "", 1, data - 1) < 0)
        return -1;
    return 0;
}
