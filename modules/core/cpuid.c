/* cpuid.c: the CPUID the guest sees (docs/hvt-abi.md §3.6): what KVM supports,
 * less the bits it lists as hidden.
 *
 * KVM_GET_SUPPORTED_CPUID is the slowest call of a boot on a nested host,
 * where every host cpuid KVM runs to answer it exits to the outer
 * hypervisor (about 0.35 ms on kvm_pvm, more than creating the VM). It
 * needs only /dev/kvm, so it runs on a short-lived thread of its own, on
 * another CPU, from before the ELF is read until the guest is loaded; the
 * vCPU gets the result before its special registers are set. The thread
 * is gone before the sandbox closes, so no filter allows clone. Under a
 * caller's filter (urunc's lacks clone) the read happens in turn. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

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

static union {
    struct kvm_cpuid2 head;
    unsigned char room[sizeof(struct kvm_cpuid2) +
                       CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2)];
} cpuid;

static struct {
    int kvm_fd;    /* the thread's own descriptor, closed by it */
    int err;       /* errno of KVM_GET_SUPPORTED_CPUID, or 0 */
    int started;   /* the thread runs: the result comes with (ready) */
    int elsewhere; /* and on another CPU than the main thread */
    pthread_t thread;
    int posted; /* set with (ready): what a spinning wait reads */
    sem_t ready;
} fetch = {.kvm_fd = -1};

/* The thread only needs room for one system call. A stack of our own saves
 * the mmap, guard page and munmap of a default one. */
static _Alignas(16) unsigned char fetch_stack[16384];

static void read_supported(int kvm_fd)
{
    cpuid.head.nent = CPUID_MAX_ENTRIES;
    fetch.err = ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, &cpuid) < 0 ? errno : 0;
}

/* Posts the result and leaves; mon_cpuid_reap() waits for it to be gone
 * only before the sandbox closes, by when its exit is long over. */
static void *fetch_thread(void *unused)
{
    (void)unused;
    read_supported(fetch.kvm_fd);
    close(fetch.kvm_fd);
    __atomic_store_n(&fetch.posted, 1, __ATOMIC_RELEASE);
    sem_post(&fetch.ready);
    return NULL;
}

/* A new thread starts on its creator's CPU, and on a kernel without
 * preemption it waits there until the creator sleeps: the VM and vCPU
 * ioctls it should overlap do not. Another allowed CPU runs it now.
 * Returns 1 when it does. */
static int move_away(pthread_t thread)
{
    cpu_set_t set;
    int here = sched_getcpu();

    if (here < 0 || sched_getaffinity(0, sizeof(set), &set) < 0)
        return 0;
    CPU_CLR(here, &set);
    return CPU_COUNT(&set) > 0 &&
           pthread_setaffinity_np(thread, sizeof(set), &set) == 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Waits for the thread's result. While it runs on another CPU, the main
 * thread spins for a while first: waking a sleeping CPU costs tens of
 * microseconds on a nested host, more than the read usually has left. */
static void wait_posted(void)
{
    if (fetch.elsewhere) {
        uint64_t give_up = now_ns() + 2000000; /* 2 ms, then sleep */
        do {
            for (int i = 0; i < 64; i++) {
                if (__atomic_load_n(&fetch.posted, __ATOMIC_ACQUIRE))
                    return; /* (ready) is posted too, and never waited on */
                __builtin_ia32_pause();
            }
        } while (now_ns() < give_up);
    }
    while (sem_wait(&fetch.ready) != 0) /* EINTR: a signal came */
        ;
}

/* /dev/kvm at 3 or above. With stdin, stdout or stderr closed, open
 * would fill that hole, and the thread's close would open it again later,
 * under whatever the main thread opened meanwhile (a module that reopens
 * 0..2 to keep its own files off them, as dumpcore does). */
static int open_kvm(void)
{
    int fd = open("/dev/kvm", O_RDWR);

    if (fd >= 0 && fd < 3) {
        int high = fcntl(fd, F_DUPFD, 3);
        close(fd);
        fd = high;
    }
    return fd;
}

void mon_cpuid_prefetch(void)
{
    pthread_attr_t attr;

    /* Whatever fails here only costs the overlap: the read then happens
     * in turn, and a missing /dev/kvm is reported where the VM is made. */
    if (mon_filtered_already())
        return;
    fetch.kvm_fd = open_kvm();
    if (fetch.kvm_fd < 0)
        return;
    if (sem_init(&fetch.ready, 0, 0) == 0 && pthread_attr_init(&attr) == 0) {
        if (pthread_attr_setstack(&attr, fetch_stack, sizeof(fetch_stack)) ==
                0 &&
            pthread_create(&fetch.thread, &attr, fetch_thread, NULL) == 0) {
            fetch.started = 1;
            fetch.elsewhere = move_away(fetch.thread);
        }
        pthread_attr_destroy(&attr);
    }
    if (!fetch.started)
        close(fetch.kvm_fd);
}

static void filter_cpuid(void)
{
    for (uint32_t i = 0; i < cpuid.head.nent; i++) {
        struct kvm_cpuid_entry2 *e = &cpuid.head.entries[i];
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

void mon_cpuid_wait(int kvm_fd)
{
    if (fetch.started)
        wait_posted();
    else
        read_supported(kvm_fd);
}

void mon_cpuid_reap(void)
{
    /* The exit path of a thread makes system calls (signal masks, the
     * exit itself) that the monitor's filter does not allow: the filter,
     * installed for every thread at once, must find it gone. */
    if (fetch.started)
        pthread_join(fetch.thread, NULL);
    fetch.started = 0;
}

/* The guest's page tables mark every page outside its code no-execute:
 * EFER.NXE, which KVM allows only with NX in the vCPU's CPUID. A guest
 * without it would run with all its data executable: the monitor refuses
 * instead. */
static void require_nx(void)
{
    for (uint32_t i = 0; i < cpuid.head.nent; i++) {
        const struct kvm_cpuid_entry2 *e = &cpuid.head.entries[i];
        if (e->function == 0x80000001 && (e->edx & CPUID_80000001_EDX_NX))
            return;
    }
    mon_fatal("KVM: host lacks NX (no-execute pages), which the guest's "
              "page tables need");
}

void mon_cpuid_set(int vcpu_fd)
{
    if (fetch.err)
        mon_fatal("KVM: could not read supported CPUID: %s",
                  strerror(fetch.err));
    require_nx();
    filter_cpuid();
    if (ioctl(vcpu_fd, KVM_SET_CPUID2, &cpuid) < 0)
        mon_fatal("KVM: could not set CPUID: %s", strerror(errno));
}
