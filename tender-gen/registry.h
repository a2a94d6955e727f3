/* registry.h: the monitor modules tender-gen knows: which source files make
 * each one, which hypercalls it serves, and when a shape needs it. Adding a
 * module means adding its folder under modules/ and one entry here. */
#ifndef TG_REGISTRY_H
#define TG_REGISTRY_H

#include <stdint.h>

#define TG_MAX_SOURCES 12
#define TG_MAX_HYPERCALLS 4

struct tg_hypercall {
    unsigned nr;         /* its number, 1..8 (docs/hvt-abi.md §5.2) */
    const char *name;    /* its enum hvt_hypercall constant */
    const char *handler; /* the function in the module's sources */
};

#define TG_MAX_SYSCALLS 16

/* A condition on one system call argument, for the seccomp filter. */
enum tg_arg_op {
    TG_ARG_ANY,       /* no condition (unused slot) */
    TG_ARG_EQ,        /* arg == value */
    TG_ARG_MASKED_EQ, /* (arg & mask) == value: ioctl requests */
    TG_ARG_DEVICE_FD, /* arg == value + 1 .. value + the shape's count of
                         the module's dev_type: one rule per descriptor */
};

struct tg_arg {
    enum tg_arg_op op;
    unsigned index; /* 0..5 */
    uint64_t mask;
    uint64_t value;
};

/* A system call a module needs once the sandbox is closed, and why. */
struct tg_syscall {
    const char *name; /* as libseccomp knows it */
    const char *why;  /* becomes the rule's comment in monitor.c */
    struct tg_arg args[2];
};

enum tg_need {
    TG_NEED_ALWAYS, /* core, console */
    TG_NEED_DEVICE, /* when the shape has a device of dev_type */
    TG_NEED_OPT_IN, /* when the shape's modules bits include opt_in */
};

struct tg_module {
    const char *name;                    /* as in the shape text */
    const char *ops;                     /* struct mon_module, or NULL */
    const char *sources[TG_MAX_SOURCES]; /* relative to the data dir */
    struct tg_hypercall hypercalls[TG_MAX_HYPERCALLS];
    struct tg_syscall syscalls[TG_MAX_SYSCALLS];
    enum tg_need need;
    unsigned dev_type; /* for TG_NEED_DEVICE */
    uint32_t opt_in;   /* for TG_NEED_OPT_IN */
};

/* All modules in canonical order (the order of the shape text). */
extern const struct tg_module tg_modules[];
extern const unsigned tg_nmodules;

#endif /* TG_REGISTRY_H */
