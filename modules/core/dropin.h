/* dropin.h: what tender-gen generates for a drop-in (its tables), and how
 * the dispatcher (dropin_main.c) runs the monitor it chose: a drop-in
 * either carries its monitors' code and calls it (dropin_call.c), or
 * carries their digests and executes a monitor file only once its content
 * matches (dropin_exec.c). tender-gen compiles in one of the two. */
#ifndef DROPIN_H
#define DROPIN_H

#include <stddef.h>
#include <stdint.h>

/* When a guest needs a module (tender-gen's registry, enum tg_need). */
enum dropin_need {
    DROPIN_ALWAYS, /* every shape */
    DROPIN_DEVICE, /* a device of MFT type (what) */
    DROPIN_OPT_IN, /* the TGN1 note's modules include the bit (what) */
};

struct dropin_module {
    const char *name; /* as in the shape text */
    enum dropin_need need;
    uint32_t what;
    const char *devtype; /* DROPIN_DEVICE: the type's name in the shape */
};

/* One approved monitor. */
struct dropin_monitor {
    const char *shape;
    const char *digest; /* of its monitor.c, as tender-gen reports it */
    /* Carried: its monitor.c's main(), renamed. */
    int (*entry)(int argc, char **argv);
    /* Run from a file: its name in the monitor directory, and the sha256
     * of the file's content. */
    const char *file;
    const char *file_digest;
};

/* What tender-gen generated for this drop-in. */
struct dropin_bundle {
    const char *version; /* tender-gen's */
    const struct dropin_module *modules;
    size_t nmodules;
    const struct dropin_monitor *monitors;
    size_t nmonitors;
    /* The absolute path of the directory the monitor files are run from,
     * or NULL when the drop-in carries its monitors. */
    const char *monitor_dir;
    const char *describe; /* --describe's JSON answer, written as it is */
};

/* Runs (mon) for the guest (kernel) with the drop-in's own command line;
 * returns the monitor's exit status, or does not return. */
int dropin_run(const struct dropin_bundle *b, const struct dropin_monitor *mon,
               const char *kernel, const char *shape, int argc, char **argv);

/* dropin_target.c: reads and checks the guest at (path) as mon_elf_open
 * does, for either target; returns the target its ABI note names
 * (HVT_ABI_TARGET or SPT_ABI_TARGET). */
struct mon;
struct mon_elf;
unsigned dropin_read_guest(struct mon *m, struct mon_elf *elf,
                           const char *path);

#endif /* DROPIN_H */
