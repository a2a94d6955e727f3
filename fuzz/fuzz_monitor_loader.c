/* fuzz_monitor_loader.c: libFuzzer harness for the monitor's own ELF
 * loader (modules/core/elf_load.c): reading the parts the checks need,
 * header and note checks (the shared checker, guest_check.c), then segment
 * loading from the file into a small guest memory. The
 * loader ends the monitor on bad input through mon_fatal(); here mon_fatal()
 * jumps back instead, so one process can try many inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../modules/core/elf_load.c"

#define GUEST_MEM (8u << 20)

/* The device types of a generated monitor: the note checks refuse others. */
static const struct mon_devtype devtypes[] = {
    {MFT_DEV_BLOCK_BASIC, "block", 1, 0}, {MFT_DEV_NET_BASIC, "net", 1, 0}};
static const struct mon_config config = {.devtypes = devtypes, .ndevtypes = 2};

static jmp_buf on_fatal;

_Noreturn void mon_fatal(const char *fmt, ...)
{
    (void)fmt;
    longjmp(on_fatal, 1);
}

void mon_warn(const char *fmt, ...)
{
    (void)fmt;
}

/* mon_util.c's, less the bookkeeping the loader does not read back; the
 * table must never overflow, which the loader's own segment count
 * guarantees. */
void mon_protect_ro(struct mon *m, uint64_t start, uint64_t end)
{
    if (m->nro == MON_MAX_RO ||
        mprotect(m->mem + start, end - start, PROT_READ) < 0)
        abort();
    m->nro++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Static, so their values are defined after a longjmp back here. */
    static uint8_t *mem;
    static struct mon m;
    static struct mon_elf elf;

    m = (struct mon){.cfg = &config};
    elf = (struct mon_elf){.path = "fuzz.hvt"};
    if (!mem) {
        mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED)
            abort();
    }
    /* The loader reads a file: the input, in one it may close. */
    int fd = memfd_create("fuzz.hvt", 0);
    if (fd < 0)
        abort();
    if (size && write(fd, data, size) != (ssize_t)size)
        abort();
    elf.fd = fd;
    elf.size = size;
    m.mem = mem;
    m.mem_size = GUEST_MEM;
    if (setjmp(on_fatal) == 0) {
        read_parts(&elf);
        mon_elf_check(&m, &elf);
        mon_elf_load(&m, &elf);
    }
    /* Segments may have made parts of guest memory read-only. */
    mprotect(mem, GUEST_MEM, PROT_READ | PROT_WRITE);
    mon_elf_close(&elf);
    free(m.mft);
    return 0;
}
