/* mon_internal.h: what the core's own files share; modules do not see it. */
#ifndef MON_INTERNAL_H
#define MON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "monitor.h"

/* Executable loadable segments a guest may have: as many as read-only
 * ones, since they are read-only on the host too. Each one's start and end
 * may split a 2 MiB page of the guest's page tables, so the tables need at
 * most twice as many small page tables (kvm_x86_64.c). */
#define MON_MAX_EXEC (MON_MAX_RO - 1)

/* The guest's ELF file, open, with the parts the checks read in (data),
 * a buffer of its (size), and what the notes said. */
struct mon_elf {
    const char *path;
    int fd;
    uint8_t *data;
    size_t size;
    uint64_t entry;
    uint32_t abi_target;     /* the ABI1 note's, once checked */
    uint32_t abi_target_alt; /* a second target to accept (the drop-in's) */
    uint64_t kernel_end;     /* end of the last segment mon_elf_load placed */
    uint64_t note_mem_size;  /* TGN1 default memory, 0 if none */
    uint32_t
        note_modules; /* TGN1 opt-in modules (their note bits), 0 if none */
    /* The pages the executable segments overlap, page-aligned, ascending
     * and disjoint: the only guest pages mapped executable. */
    struct mon_range exec[MON_MAX_EXEC];
    unsigned nexec;
};

struct mon_vm {
    int kvm_fd, vm_fd, vcpu_fd;
    struct kvm_run *run;
    uint64_t tsc_hz;
};

/* The type of the device at (handle) among the types tender-gen knows, or
 * NULL. */
const struct mon_devtype *mon_devtype(const struct mon *m, unsigned handle);

/* The name of device type (type) ("net"), or "unknown", for messages. */
const char *mon_type_name(const struct mon *m, uint32_t type);

/* What the command line asks for before KERNEL. */
enum mon_request { MON_RUN, MON_HELP, MON_VERSION, MON_DESCRIBE };

/* mon_util.c: KERNEL's index in argv, as solo5-hvt finds it: the first
 * operand, or the word after "--". -1 when there is none, or when --help,
 * --version or --describe comes first (*request says which). The monitor and
 * the drop-in share it, so both read a command line the same way. */
int mon_find_kernel(int argc, char **argv, enum mon_request *request);

/* mon_util.c: maps guest range [start, end) read-only on the host and
 * remembers it (m->ro); adjacent ranges merge. Exits when the table is
 * full: the ELF checks leave room for the boot data. */
void mon_protect_ro(struct mon *m, uint64_t start, uint64_t end);

/* mon_util.c: true when (gpa) lies in a range mon_protect_ro() made. */
int mon_in_ro(const struct mon *m, uint64_t gpa);

/* elf_load.c: reads (path), checks the ELF header and the ABI1, MFT1 and
 * TGN1 notes, copies the manifest into m->mft. Exits on any error. */
void mon_elf_open(struct mon *m, struct mon_elf *elf, const char *path);

/* elf_load.c: opens elf->path and reads into elf->data, a buffer of the
 * file's size, the parts mon_elf_check looks at. Exits on any error. */
void mon_elf_read(struct mon_elf *elf);

/* elf_load.c: the checks of mon_elf_open on the parts in elf->data; the
 * fuzzer calls it directly. */
void mon_elf_check(struct mon *m, struct mon_elf *elf);

/* elf_load.c: reads the PT_LOAD segments from the file into guest memory,
 * applies host protections, then closes the file. Exits on any error. */
void mon_elf_load(struct mon *m, struct mon_elf *elf);

/* elf_load.c: unmaps elf->data and closes the file. */
void mon_elf_close(struct mon_elf *elf);

/* kvm_x86_64.c: opens /dev/kvm, checks it, creates the VM. */
void mon_vm_create(struct mon_vm *vm);

/* kvm_x86_64.c: maps guest memory (m->mem), with what modules reserved
 * above it, and gives it to KVM. */
void mon_vm_memory(struct mon *m, struct mon_vm *vm);

/* kvm_x86_64.c: creates the vCPU and maps its kvm_run page. */
void mon_vm_add_vcpu(struct mon_vm *vm);

/* kvm_x86_64.c: page tables (executable only where elf->exec says), GDT,
 * registers, and the boot info, made read-only, for the loaded guest
 * (elf). KVM checks the special registers against the vCPU's CPUID
 * (EFER.NXE needs NX), so the CPUID is set before. */
void mon_vm_boot_state(struct mon *m, struct mon_vm *vm,
                       const struct mon_elf *elf, const char *cmdline);

/* cpuid.c: gives the vCPU what KVM supports (KVM_GET_SUPPORTED_CPUID on
 * kvm_fd), less the hidden bits. Exits on any error, and when the host
 * offers no NX (no-execute pages), which the guest's page tables use. */
void mon_cpuid_set(int kvm_fd, int vcpu_fd);

/* sandbox.c: reads once, from /proc/self/status, whether a caller's
 * seccomp filter is on (mon_filtered_already()); the first thing the
 * monitor does. */
void mon_filter_probe(void);

/* sandbox.c: pins the vCPU descriptor, closes all others but the devices',
 * and installs the generated seccomp filter. */
void mon_sandbox(struct mon *m, struct mon_vm *vm);

/* vcpu_loop.c: runs the guest until it halts and returns its exit
 * status; a guest that faults is reported and the monitor exits 1. */
int mon_vcpu_run(struct mon *m, struct mon_vm *vm);

/* hypercalls served by the core itself */
int mon_hc_halt(struct mon *m, hvt_gpa_t gpa);
int mon_hc_walltime(struct mon *m, hvt_gpa_t gpa);
int mon_hc_poll(struct mon *m, hvt_gpa_t gpa);

/* hypercalls.c: HALT's cookie once the guest halted: 0, or a checked
 * HVT_HALT_COOKIE_MAX-byte range. */
hvt_gpa_t mon_halt_cookie(void);

/* hypercalls.c: creates POLL's timer and epoll set at their fixed
 * descriptors, with the descriptors modules registered (mon_poll_add). */
void mon_poll_init(struct mon *m);

/* mon_main.c: the whole life of the monitor; main() calls it with the
 * configuration tender-gen generated. */
int mon_main(const struct mon_config *cfg, int argc, char **argv);

#endif /* MON_INTERNAL_H */
