/* registry.h: the monitor modules tender-gen knows, read at run time from
 * the descriptors in the data directory (modules/NAME/module.yml, one per
 * module, the only place a module is described): which source files make
 * each one, which hypercalls it serves, which system calls its sandbox
 * needs and why, its fixed descriptor numbers, its options, and when a
 * shape needs it. Adding a module means adding its folder. */
#ifndef TG_REGISTRY_H
#define TG_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#define TG_MAX_MODULES 32
#define TG_MAX_DEVTYPES 8
#define TG_MAX_SOURCES 24
#define TG_MAX_HYPERCALLS 8
#define TG_MAX_SYSCALLS 16
#define TG_MAX_FDS 8
#define TG_MAX_OPTIONS 8
#define TG_MAX_OPT_IN 32 /* the TGN1 note's modules word */

/* A descriptor has a part per target (hvt, spt); the registry of a target
 * holds every module, with that target's part where the module has one. */
#define TG_MAX_ARGS 3

struct tg_hypercall {
    unsigned nr;         /* its number (docs/hvt-abi.md §5.1) */
    const char *name;    /* its enum hvt_hypercall constant */
    const char *handler; /* the function in the module's sources */
};

/* A condition on one system call argument, for the seccomp filter. */
enum tg_arg_op {
    TG_ARG_ANY,       /* no condition (unused slot) */
    TG_ARG_EQ,        /* arg == value */
    TG_ARG_MASKED_EQ, /* (arg & mask) == value: int arguments */
    TG_ARG_DEVICE_FD, /* arg == value + 1 .. value + the shape's count of
                         the module's device type: one rule per descriptor */
    TG_ARG_SLOT_EQ,   /* arg == what function (ref) returns for the device,
                         filled into the program at run time (spt) */
    TG_ARG_SLOT_LE,   /* arg <= what function (ref) returns, the same way */
};

struct tg_arg {
    enum tg_arg_op op;
    unsigned index;    /* 0..5 */
    const char *label; /* the descriptor's key: fd, request, flags, clock */
    uint64_t mask;
    uint64_t value;
    /* While the registry loads: the name the value comes from, and where
     * the descriptor wrote it. */
    const char *ref;
    unsigned line, col;
};

/* A system call a module needs once the sandbox is closed, and why. */
struct tg_syscall {
    const char *name; /* as libseccomp knows it */
    const char *why;  /* becomes the rule's comment in monitor.c */
    struct tg_arg args[TG_MAX_ARGS];
};

/* A named number the module's sources and the filter share: a fixed
 * descriptor (tender_fds.h) or another constant a rule pins. */
struct tg_fd {
    const char *name;  /* MON_FD_... */
    const char *value; /* as C: "61", or "(O_WRONLY | O_CREAT)" */
    uint64_t number;
    const char *use;
    int fixed; /* a descriptor moved there before the sandbox closes */
};

struct tg_option {
    const char *name; /* "--net:NAME=IFACE" */
    const char *help;
};

/* A device type a device module declares. */
struct tg_devtype {
    const char *name;    /* in manifests and the shape text: "net" */
    const char *solo5;   /* Solo5's name, also accepted: "NET_BASIC" */
    unsigned mft;        /* its MFT1 type number */
    unsigned max;        /* devices of this type a shape may hold */
    const char *fd_name; /* MON_FD_NET_BASE */
    unsigned fd_base;    /* the devices' descriptors: base+1 .. base+max */
    const char *module_name;
    const struct tg_module *module; /* the module that declares it */
};

enum tg_need {
    TG_NEED_CORE,   /* the core: the monitor itself */
    TG_NEED_ALWAYS, /* in every monitor (console) */
    TG_NEED_DEVICE, /* when the shape has a device of dev_type */
    TG_NEED_OPT_IN, /* when the shape's opt-in bits include opt_in */
};

struct tg_module {
    const char *name;       /* as in the shape text */
    const char *summary;    /* one line, for --help */
    const char *descriptor; /* data-dir-relative path of its module.yml */
    const char *file;       /* the same, as read, for messages */
    enum tg_need need;
    unsigned dev_type; /* for TG_NEED_DEVICE: index into the device types */
    uint32_t opt_in;   /* for TG_NEED_OPT_IN: its TGN1 note bit */
    struct tg_option options[TG_MAX_OPTIONS];
    /* The part for the registry's target, when the descriptor has one
     * (present); lists end at the first empty entry. */
    int present;
    const char *ops; /* its struct mon_module, or NULL (the core) */
    const char *sources[TG_MAX_SOURCES]; /* relative to the data dir */
    /* The core's: sources a monitor gets only with a module that uses
     * them (core_services), after the core's own. */
    const char *services[TG_MAX_SOURCES];
    int core_services; /* this module uses the core's services */
    struct tg_hypercall hypercalls[TG_MAX_HYPERCALLS];
    struct tg_syscall syscalls[TG_MAX_SYSCALLS];
    struct tg_fd fds[TG_MAX_FDS];
};

struct tg_registry {
    unsigned target; /* enum tg_target */
    /* In canonical order (the order of the shape text): the core, the
     * modules every monitor has, the device modules by type name, the
     * opt-in ones by note bit. */
    struct tg_module modules[TG_MAX_MODULES];
    unsigned nmodules;
    /* By name: the order of the counts in the shape text. */
    struct tg_devtype devtypes[TG_MAX_DEVTYPES];
    unsigned ndevtypes;
};

/* The registry of the data directory for the target in use (hvt unless
 * tg_registry_use() chose another), read on first use. A descriptor that
 * does not read is reported (FILE:LINE:COL: error: ...) and ends
 * tender-gen with status 1. The device types and their order are the same
 * in every target's registry. */
const struct tg_registry *tg_registry(void);

/* The registry of (target) (enum tg_target). */
const struct tg_registry *tg_registry_for(unsigned target);

/* Makes (target) the one tg_registry() and the lookups below answer for. */
void tg_registry_use(unsigned target);

/* The module called (name, len), or NULL. */
const struct tg_module *tg_module_named(const char *name, size_t len);

/* The opt-in module with note bit (bit), or NULL. */
const struct tg_module *tg_opt_in_module(uint32_t bit);

/* The TGN1 bits of every opt-in module. */
uint32_t tg_opt_in_known(void);

/* The device type called (name) or by its Solo5 name, or -1. */
int tg_devtype_named(const char *name, size_t len);

/* The device type with MFT1 type number (mft), or -1. */
int tg_devtype_of_mft(uint32_t mft);

/* "gdb, dumpcore": the opt-in modules' names, for messages. */
const char *tg_opt_in_list(void);

/* The opt-in module's name nearest to the unknown (name, len), for "did
 * you mean", or NULL. */
const char *tg_opt_in_near(const char *name, size_t len);

/* "net or block": the device types' names, for messages. */
const char *tg_devtype_list(void);

#endif /* TG_REGISTRY_H */
