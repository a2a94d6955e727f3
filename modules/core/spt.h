/* spt.h: the process monitor's core, as its modules see it. The guest runs
 * as code inside this process (include/spt_abi.h): the monitor loads it
 * into its own address space, hands it descriptors at fixed numbers
 * (tender_fds.h), closes everything else, installs the seccomp filter
 * tender-gen generated for the shape, and jumps to it. Nothing of the
 * monitor runs after that jump, so a module does all its work before it:
 * it takes its options, attaches its devices and fills their manifest
 * entries. */
#ifndef SPT_SPT_H
#define SPT_SPT_H

#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>

#include "../../include/mft_abi.h"
#include "../../include/spt_abi.h"
#include "../../include/tender_fds.h"
#include "messages.h"

struct spt;
struct mon_option_facts;

struct spt_module {
    const char *name;
    /* Offered each option before KERNEL: returns 1 when it took (arg), 0
     * when (arg) is not its option, -1 when it is but is invalid (after
     * printing why). May be NULL. */
    int (*option)(struct spt *s, const char *arg);
    /* Binds host resources to the guest's devices and fills their manifest
     * entries, once guest memory is mapped. Returns 0, or -1 after
     * printing why. May be NULL. */
    int (*attach)(struct spt *s);
};

/* A device type tender-gen knows, with how many devices of it this
 * monitor serves. */
struct spt_devtype {
    uint32_t mft_type;
    const char *name;
    unsigned max;
    int fd_base; /* the devices' descriptors: fd_base + 1 .. fd_base + max */
};

/* A filter value known only once a device is attached: (fn) gives it for
 * the (nth) device of its type (1-based, as its descriptor is fd_base +
 * nth); instruction (insn) of the program compares against its high or its
 * low 32 bits. */
typedef uint64_t (*spt_slot_fn)(unsigned nth);
struct spt_slot {
    unsigned insn;
    spt_slot_fn fn;
    unsigned nth;
    int high;
};

/* What tender-gen compiled into this monitor. */
struct spt_config {
    const char *shape;
    const char *digest;
    const char *version; /* tender-gen's */
    const struct spt_devtype *devtypes;
    size_t ndevtypes;
    uint32_t modules_known; /* the TGN1 module bits tender-gen knows */
    /* For the message about an option no module took (unknown_option.h). */
    const struct mon_option_facts *option_facts;
    const struct spt_module *const *modules;
    size_t nmodules;
    struct sock_filter *filter; /* completed from the slots, then installed */
    size_t nfilter;
    const struct spt_slot *slots;
    size_t nslots;
    const char *help;     /* --help's text after "usage: PROG" */
    const char *describe; /* --describe's JSON answer, written as it is */
};

struct spt {
    const struct spt_config *cfg;
    const char *kernel; /* the guest's file name, for messages */
    uint64_t mem_size;
    struct mft *mft; /* the guest's manifest, copied to it at boot */
    size_t mft_size;
};

/* Guest address (addr), which is also its address in this process. */
static inline void *spt_at(uint64_t addr)
{
    return (void *)(uintptr_t)addr;
}

/* Moves (fd) to (target) and returns (target); refuses (exits) when
 * (target) is taken by another descriptor. */
int spt_fd_pin(int fd, int target);

/* The monitor's parts, in the order spt_main() runs them. */
void spt_elf_read(struct spt *s, const char *path, uint64_t *note_mem);
void spt_memory_map(struct spt *s, uint64_t mem_size);
void spt_elf_load(struct spt *s, uint64_t *entry, uint64_t *kernel_end);
void spt_filter_probe(void);
void spt_poll_create(void);
void spt_close_others(const struct spt *s);
void spt_wipe_strings(int argc, char **argv);
void spt_filter_install(const struct spt_config *cfg);
_Noreturn void spt_launch(const struct spt *s, uint64_t entry);

int spt_main(const struct spt_config *cfg, int argc, char **argv);

#endif /* SPT_SPT_H */
