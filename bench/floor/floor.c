/* floor.c: the floor bench/run measures monitors against: the least a KVM
 * program does to run a guest. One VM, one vCPU, one page of guest memory,
 * a real-mode guest that writes N times to an I/O port (each write is a VM
 * exit to this process and back) and then executes hlt.
 *
 * usage: floor [-c] [N]   (N port writes before hlt; default 0)
 * Exit status 0 when the guest reached hlt after exactly N port exits.
 *
 * -c adds the one step every hvt monitor must take that costs most on some
 * hosts: the vCPU's CPUID, KVM_GET_SUPPORTED_CPUID then KVM_SET_CPUID2
 * (docs/hvt-abi.md §3.6). On a nested host each host `cpuid` KVM executes for
 * it is an exit to the outer hypervisor; bench/run reports this variant
 * beside the floor so that the rest of a monitor's cost can be read apart.
 *
 * No capability checks, no CPUID, no page tables, no long mode: anything a
 * real monitor adds on top of this is its own cost. Built like the
 * generated monitors (clang -O2, static musl), so the process start costs
 * the same. */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define FLOOR_PORT 0x10 /* any port: the guest never reads the answer */

/* The guest, in 16-bit real mode at guest physical address 0; ECX holds N.
 * The loop is three instructions per exit: out, dec, jnz. */
__asm__(".pushsection .rodata\n"
        ".code16\n"
        "floor_guest:\n"
        "    test %ecx, %ecx\n"
        "    jz 2f\n"
        "1:  outb %al, $0x10\n"
        "    dec %ecx\n"
        "    jnz 1b\n"
        "2:  hlt\n"
        "floor_guest_end:\n"
        ".code64\n"
        ".popsection\n");
extern const uint8_t floor_guest[], floor_guest_end[];

/* TENDER_TRACE=1: the phase trace of monitors built with the trace module
 * (modules/trace/trace.c), with the phase names the floor shares with them, so
 * bench/run can set the two breakdowns side by side. Printed at the end. */
static struct {
    const char *name;
    struct timespec at;
} trace[8];
static unsigned ntrace;
static int tracing;

static void trace_note(const char *name)
{
    if (tracing && ntrace < sizeof(trace) / sizeof(trace[0])) {
        clock_gettime(CLOCK_MONOTONIC, &trace[ntrace].at);
        trace[ntrace++].name = name;
    }
}

static void trace_print(void)
{
    for (unsigned i = 0; i < ntrace; i++)
        fprintf(stderr, "tender-trace: %s %lld%09ld\n", trace[i].name,
                (long long)trace[i].at.tv_sec, trace[i].at.tv_nsec);
}

static _Noreturn void die(const char *what)
{
    perror(what);
    exit(1);
}

/* musl declares ioctl's request as an int; KVM's numbers are unsigned and
 * some have the top bit set: the kernel reads the low 32 bits either way. */
static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
    int r = ioctl(fd, (int)req, arg);

    if (r < 0)
        die(what);
    return r;
}

/* Guest memory: one page holding the guest code, mapped at GPA 0. */
static void map_guest(int vm)
{
    uint8_t *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        die("mmap guest");
    memcpy(mem, floor_guest, (size_t)(floor_guest_end - floor_guest));
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = 4096,
        .userspace_addr = (uint64_t)(uintptr_t)mem,
    };
    xioctl(vm, KVM_SET_USER_MEMORY_REGION, &region,
           "KVM_SET_USER_MEMORY_REGION");
}

/* Real mode with CS based at 0 instead of the reset vector's 0xffff0000. */
static void set_entry(int vcpu, uint32_t n)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs = {.rip = 0, .rflags = 0x2, .rcx = n};

    xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");
    xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");
}

#define FLOOR_CPUID_MAX 256 /* more than any host reports */

static void set_cpuid(int kvm, int vcpu)
{
    struct kvm_cpuid2 *cpuid =
        calloc(1, sizeof(*cpuid) + FLOOR_CPUID_MAX * sizeof(cpuid->entries[0]));

    if (!cpuid)
        die("calloc");
    cpuid->nent = FLOOR_CPUID_MAX;
    xioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid, "KVM_GET_SUPPORTED_CPUID");
    xioctl(vcpu, KVM_SET_CPUID2, cpuid, "KVM_SET_CPUID2");
    free(cpuid);
}

int main(int argc, char **argv)
{
    const char *t = getenv("TENDER_TRACE");
    tracing = t && t[0] == '1' && t[1] == 0;
    trace_note("main");
    int with_cpuid = argc > 1 && strcmp(argv[1], "-c") == 0;
    if (with_cpuid)
        argv++, argc--;
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 0;
    uint32_t exits = 0;
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);

    if (kvm < 0)
        die("/dev/kvm");
    int vm = xioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
    trace_note("kvm-vm");
    map_guest(vm);
    trace_note("guest-memory");
    int vcpu = xioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
    int size = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
    struct kvm_run *run =
        mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED)
        die("mmap kvm_run");
    trace_note("vcpu");
    if (with_cpuid) {
        set_cpuid(kvm, vcpu);
        trace_note("cpuid");
    }
    set_entry(vcpu, n);
    trace_note("boot-state");
    for (;;) {
        xioctl(vcpu, KVM_RUN, 0, "KVM_RUN");
        if (exits == 0)
            trace_note("first-exit");
        if (run->exit_reason == KVM_EXIT_HLT)
            break;
        if (run->exit_reason != KVM_EXIT_IO || run->io.port != FLOOR_PORT) {
            fprintf(stderr, "floor: unexpected exit %u\n", run->exit_reason);
            return 1;
        }
        exits++;
    }
    if (exits != n) {
        fprintf(stderr, "floor: %u port exits, expected %u\n", exits, n);
        return 1;
    }
    trace_note("halt");
    trace_print();
    return 0;
}
