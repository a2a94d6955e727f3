/* cpuid.c: the CPUID the guest sees (docs/hvt-abi.md §3.6): what KVM supports,
 * less the bits docs/design.md hides. */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "monitor.h"
#include "mon_internal.h"

/* Feature bits a unikernel has no use for and that would only widen what a
 * guest can probe: VMX and SVM (nested virtualisation), SGX. */
#define CPUID_1_ECX_VMX (1U << 5)
#define CPUID_7_EBX_SGX (1U << 2)
#define CPUID_7_ECX_SGX_LC (1U << 30)
#define CPUID_80000001_ECX_SVM (1U << 2)
#define CPUID_80000001_EDX_NX (1U << 20)

/* Room for 100 entries, as solo5-hvt gives: a host with more fails. */
#define CPUID_MAX_ENTRIES 100

union mon_cpuid {
    struct kvm_cpuid2 head;
    unsigned char room[sizeof(struct kvm_cpuid2) +
                       CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2)];
};

static void hide_bits(struct kvm_cpuid2 *c)
{
    for (uint32_t i = 0; i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];
        if (e->function == 1)
            e->ecx &= ~CPUID_1_ECX_VMX;
        else if (e->function == 7 && e->index == 0) {
            e->ebx &= ~CPUID_7_EBX_SGX;
            e->ecx &= ~CPUID_7_ECX_SGX_LC;
        } else if (e->function == 0x80000001)
            e->ecx &= ~CPUID_80000001_ECX_SVM;
        else if (e->function == 0x12)
            e->eax = e->ebx = e->ecx = e->edx = 0; /* SGX leaf */
    }
}

/* The guest's page tables mark every page outside its code no-execute:
 * EFER.NXE, which KVM allows only with NX in the vCPU's CPUID. A guest
 * without it would run with all its data executable: the monitor refuses
 * instead. */
static void require_nx(const struct kvm_cpuid2 *c)
{
    for (uint32_t i = 0; i < c->nent; i++) {
        const struct kvm_cpuid_entry2 *e = &c->entries[i];
        if (e->function == 0x80000001 && (e->edx & CPUID_80000001_EDX_NX))
            return;
    }
    mon_fatal("KVM: host lacks NX (no-execute pages), which the guest's "
              "page tables need");
}

void mon_cpuid_set(int kvm_fd, int vcpu_fd)
{
    static union mon_cpuid cpuid;

    cpuid.head.nent = CPUID_MAX_ENTRIES;
    if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, &cpuid) < 0)
        mon_fatal("KVM: could not read supported CPUID: %s", strerror(errno));
    require_nx(&cpuid.head);
    hide_bits(&cpuid.head);
    if (ioctl(vcpu_fd, KVM_SET_CPUID2, &cpuid) < 0)
        mon_fatal("KVM: could not set CPUID: %s", strerror(errno));
}
