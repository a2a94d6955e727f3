/* mon_internal.h: what the core's own files share; modules do not see it. */
#ifndef MON_INTERNAL_H
#define MON_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor.h"

/* Executable loadable segments a guest may have: as many as read-only
 * ones, since they are read-only on the host too. Each one's start and end
 * may split a 2 MiB page of the guest's page tables, so the tables need at
 * most twice as many small page tables (kvm_x86_64.c). */
#define MON_MAX_EXEC (MON_MAX_RO - 1)

/* The guest's ELF file, read whole, with what the notes said. */
struct mon_elf {
    const char *path;
    uint8_t *data;
    size_t size;
    uint64_t entry;
    uint64_t kernel_end;    /* end of the last segment mon_elf_load placed */
    uint64_t note_mem_size; /* TGN1 default memory, 0 if none */
    uint32_t note_modules;  /* TGN1 opt-in modules (TGN1_MODULE_*), 0 if none */
    /* The pages the executable segments overlap, page-aligned, ascending
     * and disjoint: the only guest pages mapped executable. */
    struct mon_range exec[MON_MAX_EXEC];
    unsigned nexec;
};

struct mon_vm {
    int kvm_fd, vm_fd, vcpu_fd;
    struct kvm_run *run;
    size_t run_size;
    uint64_t tsc_hz;
};

void mon_set_prog_name(const char *argv0);

/* mon_util.c: maps guest range [start, end) read-only on the host and
 * remembers it (m->ro); adjacent ranges merge. Exits when the table is
 * full: the ELF checks leave room for the boot data. */
void mon_protect_ro(struct mon *m, uint64_t start, uint64_t end);

/* mon_util.c: true when (gpa) lies in a range mon_protect_ro() made. */
int mon_in_ro(const struct mon *m, uint64_t gpa);

/* elf_load.c: reads (path), checks the ELF header and the ABI1, MFT1 and
 * TGN1 notes, copies the manifest into m->mft. Exits on any error. */
void mon_elf_open(struct mon *m, struct mon_elf *elf, const char *path);

/* elf_load.c: the checks of mon_elf_open on an ELF already in elf->data
 * (elf->size bytes); the fuzzer calls it directly. */
void mon_elf_check(struct mon *m, struct mon_elf *elf);

/* elf_load.c: copies the PT_LOAD segments into guest memory and applies
 * host protections. Exits on any error. */
void mon_elf_load(struct mon *m, struct mon_elf *elf);

/* kvm_x86_64.c: creates the VM and allocates guest memory (m->mem), not
 * yet registered with KVM. */
void mon_vm_create(struct mon *m, struct mon_vm *vm);

/* kvm_x86_64.c: once the guest is loaded: registers guest memory with KVM
 * and creates the vCPU. */
void mon_vm_add_vcpu(struct mon *m, struct mon_vm *vm);

/* kvm_x86_64.c: CPUID, page tables (executable only where elf->exec
 * says), GDT, registers, and the boot info, made read-only, for the
 * loaded guest (elf). */
void mon_vm_boot_state(struct mon *m, struct mon_vm *vm,
                       const struct mon_elf *elf, const char *cmdline);

/* cpuid.c: starts reading KVM's supported CPUID on a thread, with a
 * /dev/kvm descriptor of its own (nothing, under a caller's seccomp
 * filter, or when anything fails). */
void mon_cpuid_prefetch(void);

/* cpuid.c: waits for that read to end; without the thread, reads it now
 * through (kvm_fd). */
void mon_cpuid_wait(int kvm_fd);

/* cpuid.c: waits until the reading thread is gone, if there was one: before
 * the sandbox, whose filter does not allow a thread's way out. */
void mon_cpuid_reap(void);

/* cpuid.c: gives the vCPU the result of the read, less the hidden bits.
 * Exits on any error, and when the host offers no NX (no-execute pages),
 * which the guest's page tables use. */
void mon_cpuid_set(int vcpu_fd);

/* sandbox.c: pins the vCPU descriptor, closes all others but the devices',
 * and installs the generated seccomp filter. */
void mon_sandbox(struct mon *m, struct mon_vm *vm);

/* vcpu_loop.c: runs the guest until it halts; returns its exit status. */
int mon_vcpu_run(struct mon *m, struct mon_vm *vm);

/* vcpu_loop.c: called by mon_fatal with its message; on the vCPU thread of
 * a running guest, hands it to the modules' on_fault hooks, once. */
void mon_fault_hooks(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* hypercalls served by the core itself */
int mon_hc_halt(struct mon *m, hvt_gpa_t gpa);
int mon_hc_walltime(struct mon *m, hvt_gpa_t gpa);
int mon_hc_poll(struct mon *m, hvt_gpa_t gpa);

/* hypercalls.c: creates POLL's timer and epoll set at their fixed
 * descriptors, with the descriptors modules registered (mon_poll_add). */
void mon_poll_init(struct mon *m);

/* mon_main.c: under TENDER_TRACE=1 in the environment, notes the time
 * (CLOCK_MONOTONIC) at which phase (name) ended, once per name; the
 * monitor prints them on stderr when the guest halts (bench/run's
 * breakdown). Off by default, and then it costs one test. Marked unused:
 * the drop-in's dispatcher includes this header and traces nothing. */
extern int mon_tracing;
void mon_trace_note(const char *name);
__attribute__((unused)) static inline void mon_trace(const char *name)
{
    if (mon_tracing)
        mon_trace_note(name);
}

/* mon_main.c: the whole life of the monitor; main() calls it with the
 * configuration tender-gen generated. */
int mon_main(const struct mon_config *cfg, int argc, char **argv);

#endif /* MON_INTERNAL_H */
