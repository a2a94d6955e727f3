/* monitor.h: the monitor core's interface to its modules. A module sees only
 * this header: the guest's memory through checked accessors, the guest's
 * manifest, and the hooks it fills in (struct mon_module). Modules never
 * include each other. */
#ifndef MON_MONITOR_H
#define MON_MONITOR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>

#include "../../include/hvt_core_abi.h"
#include "../../include/mft_abi.h"
#include "../../include/tender_fds.h"
#include "messages.h"

struct mon;
struct mon_option_facts;
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

struct mon_module {
    const char *name;
    /* Offered each option before KERNEL: returns 1 when it took (arg), 0 when
     * (arg) is not its option, -1 when it is but is invalid (after printing
     * why). May be NULL. */
    int (*option)(struct mon *m, const char *arg);
    /* Binds host resources to the guest's devices, after the options are
     * parsed and before the guest runs. Returns 0, or -1 after printing
     * why. May be NULL. */
    int (*attach)(struct mon *m);
    /* Called once guest memory is mapped and the guest loaded, before the
     * boot info is written and the sandbox closes: the last moment to use
     * (vm_fd), start threads or open descriptors. Returns 0, or -1 after
     * printing why. May be NULL. */
    int (*start)(struct mon *m, int vm_fd);
    /* Adds what this module offers the guest to its boot info (feature
     * bits, the ring's address), after every start hook. May be NULL. */
    void (*boot_info)(struct mon *m, struct hvt_boot_info *bi);
    /* Called on the vCPU thread after the guest halted, before the monitor
     * exits, under the sandbox; (cookie) is HALT's: 0, or a checked
     * HVT_HALT_COOKIE_MAX-byte range (the trap frame dumpcore reads). May
     * be NULL. */
    void (*halt)(struct mon *m, hvt_gpa_t cookie);
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
    /* Told as each step of the monitor's life ends, on the main thread,
     * by name, in this order: main (its code began), elf-read (the ELF
     * read and checked), devices (options parsed, devices attached),
     * kvm-vm (the VM created), guest-memory (mapped and given to KVM),
     * vcpu (created and mapped), cpuid (read and set), elf-load (the
     * guest loaded), boot-state (modules started, page tables,
     * registers), sandbox (descriptors closed, the filter on), and halt
     * (after every halt hook). For measuring aids (the trace module).
     * May be NULL. */
    void (*step)(struct mon *m, const char *done);
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
    /* For the message about an option no module took (unknown_option.h). */
    const struct mon_option_facts *option_facts;
    uint32_t modules_known; /* the TGN1 module bits tender-gen knows */
    const struct mon_module *const *modules;
    size_t nmodules;
    const mon_hypercall_fn *hypercalls; /* HVT_HYPERCALL_MAX entries */
    const struct sock_filter *seccomp;  /* the sandbox, as BPF */
    size_t nseccomp;
    const char *version; /* tender-gen's, which generated this monitor */
    /* --help's text after "usage: PROG": every option the modules'
     * descriptors list, the modules, the shape. */
    const char *help;
    const char *describe; /* --describe's JSON answer, written as it is */
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
     * reachable through the guest accessors; the debugging modules read
     * them too. */
    uint64_t mem_reserved;
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
};

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

#endif /* MON_MONITOR_H */
