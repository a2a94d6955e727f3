/* kvm_x86_64.c: the VM, its vCPU and the long-mode entry state of
 * docs/hvt-abi.md §3, set up with as few KVM calls as the ABI allows. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "monitor.h"
#include "mon_internal.h"

/* Control register and EFER bits (Intel SDM vol. 3, 2.5). */
#define X86_CR0_PE_BIT (1ULL << 0)  /* protected mode */
#define X86_CR0_NE_BIT (1ULL << 5)  /* native x87 error reporting */
#define X86_CR0_WP_BIT (1ULL << 16) /* honour read-only pages in ring 0 */
#define X86_CR0_PG_BIT (1ULL << 31) /* paging */
#define X86_CR4_PAE_BIT (1ULL << 5)
#define X86_CR4_OSFXSR_BIT (1ULL << 9)
#define X86_CR4_OSXMMEXCPT_BIT (1ULL << 10)
#define X86_EFER_LME_BIT (1ULL << 8)
#define X86_EFER_LMA_BIT (1ULL << 10)
#define X86_EFER_NXE_BIT (1ULL << 11) /* honour PTE_NX */

/* Page-table entry bits. */
#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)  /* 2 MiB page in a page directory */
#define PTE_NX (1ULL << 63) /* no instruction fetch from the page */

#define PAGE 0x1000ULL
#define MIB2 0x200000ULL

/* Small page tables for the 2 MiB regions above the first (which has PT0)
 * that hold both executable and no-execute pages. Such a region has the
 * start or the end of an executable range strictly inside it, and each of
 * the at most 2 * MON_MAX_EXEC starts and ends lies inside one region at
 * most: so that many tables always suffice. They lie between the boot
 * data and 1 MiB, where the guest's own tables map memory read-only, and
 * stay writable on the host: the CPU sets accessed bits in them. */
#define PT_POOL_BASE 0x20000ULL
#define PT_POOL_PAGES (2 * MON_MAX_EXEC)
_Static_assert(HVT_BOOT_INFO_BASE + sizeof(struct hvt_boot_info) +
                       MFT_SIZE(MFT_MAX_ENTRIES) + HVT_CMDLINE_SIZE <=
                   PT_POOL_BASE,
               "the largest boot data ends below the page-table pool");
_Static_assert(PT_POOL_BASE + PT_POOL_PAGES * PAGE <= HVT_GUEST_MIN_BASE,
               "the page-table pool ends below 1 MiB");

/* Capabilities the monitor cannot run without, checked by name so the error
 * says which one the host lacks. */
static const struct {
    int cap;
    const char *name;
} required_caps[] = {
    {KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY"},
    {KVM_CAP_GET_TSC_KHZ, "KVM_CAP_GET_TSC_KHZ"},
    {KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID"},
    /* The boot registers go in the kvm_run page (setup_sregs, setup_regs),
     * which saves a vCPU ioctl each: every one loads and puts the vCPU. x86
     * KVM has taken them there since Linux 4.16. */
    {KVM_CAP_SYNC_REGS, "KVM_CAP_SYNC_REGS"},
};

static void check_kvm(int kvm_fd)
{
    int api = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);

    if (api != KVM_API_VERSION)
        mon_fatal("KVM: API version %d, need %d", api, KVM_API_VERSION);
    for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]);
         i++)
        if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, required_caps[i].cap) <= 0)
            mon_fatal("KVM: host lacks %s", required_caps[i].name);
}

/* Guest-visible memory plus what modules reserved above it (the net ring),
 * all in one memory slot and one set of page tables, as solo5-hvt maps it. */
static uint64_t mapped_size(const struct mon *m)
{
    return m->mem_size + m->mem_reserved;
}

static void map_memory(struct mon *m)
{
    /* Private anonymous memory, reserved lazily: the host only pays for the
     * pages the guest touches. */
    void *mem = mmap(NULL, mapped_size(m), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        mon_fatal("could not allocate %llu MiB of guest memory: %s",
                  (unsigned long long)(m->mem_size >> 20), strerror(errno));
    m->mem = mem;
}

static void register_memory(struct mon *m, struct mon_vm *vm)
{
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = mapped_size(m),
        .userspace_addr = (uint64_t)(uintptr_t)m->mem,
    };
    if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        mon_fatal("KVM: could not map guest memory: %s", strerror(errno));
}

void mon_vm_create(struct mon_vm *vm)
{
    vm->kvm_fd = open("/dev/kvm", O_RDWR);
    if (vm->kvm_fd < 0)
        mon_fatal("could not open /dev/kvm: %s", strerror(errno));
    check_kvm(vm->kvm_fd);
    vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0)
        mon_fatal("KVM: could not create a VM: %s", strerror(errno));
}

void mon_vm_memory(struct mon *m, struct mon_vm *vm)
{
    map_memory(m);
    register_memory(m, vm);
}

void mon_vm_add_vcpu(struct mon_vm *vm)
{
    vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu_fd < 0)
        mon_fatal("KVM: could not create a vCPU: %s", strerror(errno));
    int size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run))
        mon_fatal("KVM: bad vCPU mmap size");
    vm->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   vm->vcpu_fd, 0);
    if (vm->run == MAP_FAILED)
        mon_fatal("KVM: could not map the vCPU: %s", strerror(errno));
}

static void write_u64(struct mon *m, uint64_t gpa, uint64_t v)
{
    memcpy(m->mem + gpa, &v, sizeof(v));
}

static int page_exec(const struct mon_elf *elf, uint64_t addr)
{
    for (unsigned i = 0; i < elf->nexec; i++)
        if (addr >= elf->exec[i].start && addr < elf->exec[i].end)
            return 1;
    return 0;
}

/* True when the 2 MiB region at (base) holds both kinds of page. */
static int region_mixed(const struct mon_elf *elf, uint64_t base)
{
    for (unsigned i = 0; i < elf->nexec; i++) {
        uint64_t s = elf->exec[i].start, e = elf->exec[i].end;
        if ((s > base && s < base + MIB2) || (e > base && e < base + MIB2))
            return 1;
    }
    return 0;
}

/* The entry mapping (addr) from 1 MiB up: writable (the host's mapping
 * keeps text read-only), no-execute outside the executable segments. */
static uint64_t leaf(const struct mon_elf *elf, uint64_t addr)
{
    return addr | PTE_P | PTE_RW | (page_exec(elf, addr) ? 0 : PTE_NX);
}

/* The directory entry for the 2 MiB region at (base): one large page, or a
 * small page table from the pool when the region is mixed. */
static uint64_t region_entry(struct mon *m, const struct mon_elf *elf,
                             uint64_t base, uint64_t *next_pt)
{
    uint64_t pt = *next_pt;

    if (!region_mixed(elf, base))
        return leaf(elf, base) | PTE_PS;
    if (pt == PT_POOL_BASE + PT_POOL_PAGES * PAGE)
        mon_fatal("guest page tables: more than %d mixed 2 MiB regions",
                  PT_POOL_PAGES);
    for (uint64_t i = 0; i < 512; i++)
        write_u64(m, pt + i * 8, leaf(elf, base + i * PAGE));
    *next_pt = pt + PAGE;
    return pt | PTE_P | PTE_RW;
}

/* Identity map of all guest memory, the net ring's reserve included
 * (docs/hvt-abi.md §3.3), with NX (EFER.NXE) on every page that is not in an
 * executable segment: 4 KiB pages below 2 MiB so the low pages can be
 * absent or read-only, and where a 2 MiB region is mixed; 2 MiB pages
 * elsewhere. */
static void setup_page_tables(struct mon *m, const struct mon_elf *elf)
{
    uint64_t next_pt = PT_POOL_BASE;

    write_u64(m, HVT_PML4_BASE, HVT_PDPT_BASE | PTE_P | PTE_RW);
    for (uint64_t i = 0; i < 4; i++)
        write_u64(m, HVT_PDPT_BASE + i * 8,
                  (HVT_PD_BASE + i * PAGE) | PTE_P | PTE_RW);
    write_u64(m, HVT_PD_BASE, HVT_PT0_BASE | PTE_P | PTE_RW);
    for (uint64_t k = 1; k < mapped_size(m) / MIB2; k++)
        write_u64(m, HVT_PD_BASE + k * 8,
                  region_entry(m, elf, k * MIB2, &next_pt));
    /* Below 64 KiB: not present, so NULL dereferences fault. 64 KiB to
     * 1 MiB: read-only and no-execute (boot data, the page-table pool). */
    for (uint64_t i = 16; i < 256; i++)
        write_u64(m, HVT_PT0_BASE + i * 8, i * PAGE | PTE_P | PTE_NX);
    for (uint64_t i = 256; i < 512; i++)
        write_u64(m, HVT_PT0_BASE + i * 8, leaf(elf, i * PAGE));
}

static void setup_gdt(struct mon *m)
{
    write_u64(m, HVT_GDT_BASE + 0, 0);
    write_u64(m, HVT_GDT_BASE + 8, 0x00af99000000ffffULL);  /* 64-bit code */
    write_u64(m, HVT_GDT_BASE + 16, 0x00cf93000000ffffULL); /* data */
}

/* A flat present segment over 4 GiB: 64-bit code (type 9, L set) or
 * data (type 3, D/B set). */
static struct kvm_segment flat_segment(uint16_t selector, uint8_t type)
{
    struct kvm_segment seg = {
        .limit = 0xffffffff, .selector = selector, .type = type, .present = 1};

    seg.s = seg.g = 1;
    seg.l = type == 9;
    seg.db = type != 9;
    return seg;
}

static void setup_sregs(struct mon_vm *vm)
{
    struct kvm_sregs sregs;

    memset(&sregs, 0, sizeof(sregs));
    sregs.cs = flat_segment(0x08, 9);
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss =
        flat_segment(0x10, 3);
    sregs.tr = (struct kvm_segment){.type = 11, .present = 1};
    sregs.ldt = (struct kvm_segment){.unusable = 1};
    sregs.gdt.base = HVT_GDT_BASE;
    sregs.gdt.limit = 23;
    sregs.cr0 =
        X86_CR0_PE_BIT | X86_CR0_NE_BIT | X86_CR0_WP_BIT | X86_CR0_PG_BIT;
    sregs.cr3 = HVT_PML4_BASE;
    sregs.cr4 = X86_CR4_PAE_BIT | X86_CR4_OSFXSR_BIT | X86_CR4_OSXMMEXCPT_BIT;
    sregs.efer = X86_EFER_LME_BIT | X86_EFER_LMA_BIT | X86_EFER_NXE_BIT;
    vm->run->s.regs.sregs = sregs;
    vm->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
}

/* MSRs a unikernel may touch: the segment bases (TLS uses FS_BASE) and a
 * read of the TSC. Every other RDMSR/WRMSR raises #GP in the guest. */
#define MSR_IA32_TSC 0x10
#define MSR_FS_BASE 0xc0000100 /* then GS_BASE, KERNEL_GS_BASE */

static void setup_msr_filter(struct mon_vm *vm)
{
    static uint8_t bases = 0x7; /* three MSRs from MSR_FS_BASE */
    static uint8_t tsc = 0x1;
    struct kvm_msr_filter filter = {
        .flags = KVM_MSR_FILTER_DEFAULT_DENY,
        .ranges =
            {
                {.flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
                 .nmsrs = 3,
                 .base = MSR_FS_BASE,
                 .bitmap = &bases},
                {.flags = KVM_MSR_FILTER_READ,
                 .nmsrs = 1,
                 .base = MSR_IA32_TSC,
                 .bitmap = &tsc},
            },
    };

    /* Optional: a host without MSR filtering still runs guests, with the
     * MSRs KVM itself allows. */
    if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_X86_MSR_FILTER) <= 0)
        return;
    if (ioctl(vm->vm_fd, KVM_X86_SET_MSR_FILTER, &filter) < 0)
        mon_fatal("KVM: could not set the MSR filter: %s", strerror(errno));
}

static void setup_tsc(struct mon_vm *vm)
{
    /* The VM's frequency is the one its vCPUs start with, and nothing here
     * changes it; asked of the VM (Linux 6.0 on), it needs no vCPU load. */
    int khz = ioctl(vm->vm_fd, KVM_GET_TSC_KHZ, 0);

    if (khz <= 0)
        khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);

    if (khz <= 0)
        mon_fatal("KVM: host TSC is unstable, cannot continue");
    vm->tsc_hz = (uint64_t)khz * 1000;
}

/* Boot info, then the manifest copy, then the command line (docs/hvt-abi.md
 * §4), read-only on the host once written: the guest's tables map them
 * read-only, and a guest that clears CR0.WP to write them anyway stops
 * with a host/guest translation fault. Their pages hold nothing else: the
 * page-table pool starts above the largest boot data. */
static void write_boot_info(struct mon *m, struct mon_vm *vm,
                            uint64_t kernel_end, const char *cmdline)
{
    size_t cmdline_size = strlen(cmdline) + 1;
    struct hvt_boot_info bi = {
        .mem_size = m->mem_size,
        .kernel_end = kernel_end,
        .cpu_cycle_freq = vm->tsc_hz,
        .mft = HVT_BOOT_INFO_BASE + sizeof(bi),
        .cmdline = HVT_BOOT_INFO_BASE + sizeof(bi) + m->mft_size,
    };
    for (size_t i = 0; i < m->cfg->nmodules; i++)
        if (m->cfg->modules[i]->boot_info)
            m->cfg->modules[i]->boot_info(m, &bi);
    memcpy(m->mem + bi.mft, m->mft, m->mft_size);
    memcpy(m->mem + bi.cmdline, cmdline, cmdline_size);
    memcpy(m->mem + HVT_BOOT_INFO_BASE, &bi, sizeof(bi));
    mon_protect_ro(m, HVT_BOOT_INFO_BASE,
                   (bi.cmdline + cmdline_size + PAGE - 1) & ~(PAGE - 1));
}

static void setup_regs(struct mon *m, struct mon_vm *vm, uint64_t entry)
{
    struct kvm_regs regs = {
        .rip = entry,
        .rsp = m->mem_size - 8,
        .rdi = HVT_BOOT_INFO_BASE,
        .rflags = 0x2, /* bit 1 is reserved and set; IF is clear */
    };
    vm->run->s.regs.regs = regs;
    vm->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
}

void mon_vm_boot_state(struct mon *m, struct mon_vm *vm,
                       const struct mon_elf *elf, const char *cmdline)
{
    setup_page_tables(m, elf);
    setup_gdt(m);
    setup_sregs(vm);
    setup_msr_filter(vm);
    setup_tsc(vm);
    write_boot_info(m, vm, elf->kernel_end, cmdline);
    setup_regs(m, vm, elf->entry);
}
