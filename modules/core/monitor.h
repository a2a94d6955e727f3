/* monitor.h: the monitor core's interface to its modules. A module sees only
 * this header: the guest's memory through checked accessors, the guest's
 * manifest, and the hooks it fills in (struct mon_module). Modules never
 * include each other. */
#ifndef MON_MONITOR_H
#define MON_MONITOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/filter.h>

#include "../../include/hvt_abi.h"
#include "../../include/mft_abi.h"
#include "../../include/tender_fds.h"

struct mon;
struct kvm_run;

/* A hypercall handler: (gpa) is the guest address of its argument struct,
 * not yet checked. The guest is hostile and may rewrite its memory while a
 * handler runs (the net ring's I/O thread writes it too), so a handler
 * copies its struct in once with mon_hc_args(), uses only that copy, and
 * writes results back with mon_hc_results(); buffers go through
 * mon_guest_in() and mon_guest_out(). It returns 0 to let the guest go on,
 * or what mon_stop() returned to stop it. */
typedef int (*mon_hypercall_fn)(struct mon *m, hvt_gpa_t gpa);

/* A range of guest memory, [start, end). */
struct mon_range {
    uint64_t start, end;
};

/* Read-only ranges a guest may have: its loadable read-only segments (an
 * ELF with more is refused) and the boot data. */
#define MON_MAX_RO 16

/* The steps of the monitor's start, in order; each module's step hook is
 * told as each one ends (the trace module notes the time). */
enum mon_step {
    MON_STEP_MAIN,         /* the monitor's code began */
    MON_STEP_ELF_READ,     /* the guest's ELF read and checked */
    MON_STEP_DEVICES,      /* options parsed, devices attached */
    MON_STEP_KVM_VM,       /* /dev/kvm opened and checked, VM created */
    MON_STEP_GUEST_MEMORY, /* guest memory mapped and given to KVM */
    MON_STEP_VCPU,         /* the vCPU created and mapped */
    MON_STEP_CPUID,        /* the vCPU's CPUID read and set */
    MON_STEP_ELF_LOAD,     /* the guest loaded into its memory */
    MON_STEP_BOOT_STATE,   /* modules started; page tables, registers */
    MON_STEP_SANDBOX,      /* descriptors closed, the filter on */
    MON_STEP_HALT,         /* the guest halted, the halt hooks ran */
};

struct mon_module {
    const char *name;
    /* Offered each option before KERNEL: returns 1 when it took (arg), 0 when
     * (arg) is not its option, -1 when it is but is invalid (after printing
     * why). May be NULL. */
    int (*option)(struct mon *m, const char *arg);
    /* Prints this module's option lines for --help. May be NULL. */
    void (*usage)(FILE *f);
    /* Binds host resources to the guest's devices, after the options are
     * parsed and before the guest runs. Returns 0, or -1 after printing
     * why. May be NULL. */
    int (*attach)(struct mon *m);
    /* Called once guest memory is mapped and the guest loaded, before the
     * boot info is written and the sandbox closes: the last moment to use
     * (vm_fd), start threads or open descriptors. Returns 0, or -1 after
     * printing why. May be NULL. */
    int (*start)(struct mon *m, int vm_fd);
    /* Called on the vCPU thread after the guest halted, before the monitor
     * exits, under the sandbox. May be NULL. */
    void (*halt)(struct mon *m);
    /* Debugging hooks (gdb, dumpcore), on the vCPU thread under the
     * sandbox, with m->vcpu_fd and m->run set. Each may be NULL.
     * before_run: before every KVM_RUN. exit_hook: offered the exits the
     * core does not handle (KVM_EXIT_DEBUG); returns 1 when it handled the
     * exit and the guest runs on, 0 to let the core stop the guest.
     * on_fault: the vCPU loop is stopping the guest for a fault, (reason)
     * is the one line it printed (mon_stop); the monitor exits with status
     * 1 after the hooks. */
    void (*before_run)(struct mon *m);
    int (*exit_hook)(struct mon *m);
    void (*on_fault)(struct mon *m, const char *reason);
    /* Told as each step of the monitor's life ends, on the main thread;
     * MON_STEP_HALT comes after every halt hook. For measuring aids (the
     * trace module). May be NULL. */
    void (*step)(struct mon *m, enum mon_step done);
};

/* A device type tender-gen knows (a device module's descriptor). */
struct mon_devtype {
    uint32_t mft_type; /* its type number in the guest's manifest */
    const char *name;  /* "net", for messages */
    unsigned max;      /* devices of this type this monitor serves */
    int fd_base;       /* their descriptors: fd_base + 1 .. fd_base + max */
};

/* What tender-gen compiled into this monitor. */
struct mon_config {
    const char *shape;  /* canonical shape text, docs/design.md decision 1 */
    const char *digest; /* sha256 of the shape and the module sources */
    const struct mon_devtype *devtypes; /* every type tender-gen knows */
    size_t ndevtypes;
    const char *opt_in; /* opt-in modules with options: "gdb,dumpcore" */
    const char *with;   /* the opt-in modules this monitor has: "gdb" */
    const struct mon_module *const *modules;
    size_t nmodules;
    const mon_hypercall_fn *hypercalls; /* HVT_HYPERCALL_MAX entries */
    const struct sock_filter *seccomp;  /* the sandbox, as BPF */
    size_t nseccomp;
    const char *version; /* tender-gen's, which generated this monitor */
    const char *target;  /* the Solo5 target: "hvt" */
};

struct mon {
    const struct mon_config *cfg;
    const char *kernel; /* the guest's file name, for messages */
    uint8_t *mem;       /* guest memory, mapped at GPA 0 */
    uint64_t mem_size;  /* guest-visible size in bytes */
    struct mft *mft;    /* the host's copy of the guest's manifest */
    size_t mft_size;    /* bytes */
    /* Descriptors POLL waits on, with the guest handle each one reports. */
#define MON_MAX_POLL MFT_MAX_ENTRIES
    int poll_fds[MON_MAX_POLL];
    unsigned poll_handles[MON_MAX_POLL];
    unsigned npoll;
    /* Guest memory mapped read-only on the host: the monitor never writes
     * there on the guest's behalf (mon_guest_out, mon_hc_results). */
    struct mon_range ro[MON_MAX_RO];
    unsigned nro;
    /* Why a hypercall stops the guest (mon_stop); the vCPU loop prints it. */
    char stop_reason[512];
    int halted;      /* set by the HALT hypercall */
    int exit_status; /* valid once halted */
    /* Set by modules in attach: bytes mapped above mem_size for the
     * monitor's own use with the guest (the net ring), zeroed, never
     * reachable through the guest accessors. */
    uint64_t mem_reserved;
    /* Set by modules in start, copied into the boot info. */
    uint32_t host_features;
    hvt_gpa_t net_ring;
    /* What modules turned off because a caller's seccomp filter is on
     * (mon_may_use()), for the sandbox's one line; NULL if none. */
    const char *off_under_filter;
    /* Counters modules keep for measuring aids (mon_counter()). */
#define MON_MAX_COUNTERS 8
    struct {
        const char *name;
        const uint64_t *value;
    } counters[MON_MAX_COUNTERS];
    unsigned ncounters;
    /* Set by the core once the guest runs, for the debugging hooks. */
    int vcpu_fd;
    struct kvm_run *run;
    hvt_gpa_t halt_cookie; /* HALT's cookie: 0, or a checked 512-byte range */
};

/* Prints "PROG: MSG" on stderr and exits with status 1, from any thread,
 * with nothing else run: for the monitor's own errors. What the guest did
 * wrong goes back to the vCPU loop instead (mon_stop), which tells the
 * modules (on_fault). */
_Noreturn void mon_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Prints "PROG: MSG" on stderr. */
void mon_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The value of one hex digit, either case, or -1 (MACs, gdb packets). */
int mon_hex_digit(int c);

/* Why guest range (gpa, size) may not be used, or NULL when it may: it must
 * lie wholly inside guest memory (like solo5-hvt, a range ending exactly at
 * mem_size is refused) and, when the monitor writes it (write), outside
 * every read-only range. */
const char *mon_guest_check(const struct mon *m, hvt_gpa_t gpa, uint64_t size,
                            int write);

/* Records why the guest must stop, one line; the vCPU loop prints it,
 * runs the modules' on_fault hooks and ends the monitor with status 1.
 * Returns -1, for a handler to return. */
int mon_stop(struct mon *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The one read of a hypercall's argument struct: copies (size) bytes at
 * (gpa) into (hc). With (results), the struct must also be writable guest
 * memory, checked before the handler acts, since results go back there.
 * Returns 0, or -1 after mon_stop() naming (what). */
int mon_hc_args(struct mon *m, hvt_gpa_t gpa, void *hc, size_t size,
                int results, const char *what);

/* Writes bytes [from, size) of (hc), the handler's copy of its struct, back
 * to the guest's struct at (gpa). Returns 0, or -1 after mon_stop(). */
int mon_hc_results(struct mon *m, hvt_gpa_t gpa, const void *hc, size_t size,
                   size_t from, const char *what);

/* Host address of a guest buffer the monitor reads (a frame to send, data
 * to write), or NULL after mon_stop() naming (what). */
const void *mon_guest_in(struct mon *m, hvt_gpa_t gpa, uint64_t size,
                         const char *what);

/* Host address of a guest buffer the monitor fills (a frame, a block read),
 * or NULL after mon_stop(): read-only guest memory is refused here, before
 * any system call could meet it. */
void *mon_guest_out(struct mon *m, hvt_gpa_t gpa, uint64_t size,
                    const char *what);

/* Moves (fd) to the fixed number (target) (tender_fds.h), which the
 * seccomp filter names, and returns (target); exits on failure. The sandbox
 * keeps it open; it closes every descriptor not pinned, stdio and the
 * attached devices' (mft_entry's hostfd) aside. */
int mon_fd_pin(int fd, int target);

/* Holds the fixed numbers this monitor may pin to, where the caller left
 * them free, before the monitor opens anything: a descriptor it opens and
 * keeps unpinned for a while (the VM's, the ELF file's) then never sits on
 * a number a later pin takes over, since dup2 closes what is there. The
 * sandbox closes the holders that no pin replaced. */
void mon_fd_reserve(const struct mon_config *cfg);

/* The fixed number for the device at (handle): its type's base
 * (tender_fds.h) + its rank among the manifest's devices of that type, so
 * the filter names as many numbers as the shape counts devices. */
int mon_fd_device(const struct mon *m, unsigned handle);

/* The type of the device at (handle) among the types tender-gen knows, or
 * NULL. */
const struct mon_devtype *mon_devtype(const struct mon *m, unsigned handle);

/* The name of device type (type) ("net"), or "unknown", for messages. */
const char *mon_type_name(const struct mon *m, uint32_t type);

/* Parses a device option "PREFIX:NAME=VALUE" (e.g. prefix "--net"):
 * returns 0 when (arg) does not start with "PREFIX:", 1 with *handle set to
 * the index of device NAME in the guest's manifest and *value to VALUE, or
 * -1 after printing why when NAME is not a device of (type) in the
 * manifest or the option is malformed. */
int mon_device_option(struct mon *m, const char *arg, const char *prefix,
                      uint32_t type, unsigned *handle, const char **value);

/* Makes POLL report (handle) ready whenever (fd) is readable. Returns 0, or
 * -1 when the table is full. */
int mon_poll_add(struct mon *m, int fd, unsigned handle);

/* True when a seccomp filter was already on this process when the monitor
 * started (an orchestrator's, such as urunc's), as the core read it once
 * before anything else: the monitor then installs none of its own, and
 * must not need system calls that filter may lack (clone, eventfd2, ...).
 * What differs then is decided in the core's sandbox.c (descriptors, the
 * filter) and through mon_may_use() (modules' features). */
int mon_filtered_already(void);

/* Whether a module may use (what), a feature that needs system calls a
 * caller's filter may lack (a thread, flock): 1 without such a filter;
 * under one 0, and (what) is named in the one line the sandbox prints. */
int mon_may_use(struct mon *m, const char *what);

/* The status flags of (fd) (fcntl F_GETFL), read through
 * /proc/self/fdinfo under a caller's filter, which may forbid fcntl; -1
 * when they cannot be read. */
int mon_fd_flags(int fd);

/* Moves (fd) above every fixed number (tender_fds.h), so that pinning
 * other descriptors cannot close it, and returns its new number, or -1
 * with errno set; under a caller's filter nothing is pinned and (fd) stays
 * where it is. */
int mon_fd_lift(int fd);

/* Publishes a counter (value) a module keeps, under (name), for the
 * measuring aids (the trace module prints them when the guest halts). */
void mon_counter(struct mon *m, const char *name, const uint64_t *value);

#endif /* MON_MONITOR_H */
