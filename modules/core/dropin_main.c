/* dropin_main.c: the drop-in's dispatcher (docs/design.md decision 12). A
 * drop-in is one static program that runs each guest on the monitor the
 * operator approved for its shape, hvt or spt (installed as solo5-spt, it
 * takes spt guests, and answers with solo5-spt's command line). The dispatcher
 * checks the guest with the core's own ELF and note checks (elf_load.c), works
 * out the guest's shape from its notes by tender-gen's rule, and runs that
 * shape's monitor with the original command line (dropin.h says how). No
 * environment variable is read, and nothing is compiled. Up to the choice it
 * uses open, fstat, read, close, brk/mmap and write: all in urunc's seccomp
 * list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dropin.h"
#include "monitor.h"
#include "mon_internal.h"
#include "../../include/spt_abi.h"

#define DROPIN_SHAPE_MAX 256

static void usage(const struct dropin_bundle *b, const char *prog)
{
    mon_print(STDOUT_FILENO,
              "usage: %s [ --mem=MB ] [ DEVICE OPTIONS ] [ -- ] KERNEL "
              "[ ARGS ]\n"
              "The command line of solo5-hvt. This drop-in reads KERNEL's "
              "manifest notes\n"
              "and runs KERNEL on the monitor it approves for KERNEL's shape, "
              "with these\n"
              "arguments. Device options (--net:NAME=TAP, --net-mac:NAME=MAC,\n"
              "--block:NAME=PATH, --block-sector-size:NAME=N) are those of "
              "that monitor.\n",
              prog);
    if (b->monitor_dir)
        mon_print(STDOUT_FILENO,
                  "Monitors run from %s, each only when the file's sha256 "
                  "matches\n(shape, digest, file, the file's sha256):\n",
                  b->monitor_dir);
    else
        mon_print(STDOUT_FILENO, "Monitors carried (shape, digest):\n");
    for (size_t i = 0; i < b->nmonitors; i++) {
        const struct dropin_monitor *mon = &b->monitors[i];
        if (b->monitor_dir)
            mon_print(STDOUT_FILENO, "  %s  %s  %s  %s\n", mon->shape,
                      mon->digest, mon->file, mon->file_digest);
        else
            mon_print(STDOUT_FILENO, "  %s  %s\n", mon->shape, mon->digest);
    }
    mon_print(STDOUT_FILENO,
              "To approve another shape, rebuild the drop-in with: tender-gen "
              "--drop-in FILE %sINPUT...\n",
              b->monitor_dir ? "--monitors DIR " : "");
}

/* albatross runs `solo5-hvt.2 --version` and looks for the line "ABI
 * version 2"; solo5-hvt writes it to stderr. */
static void version(const struct dropin_bundle *b)
{
    mon_print(STDERR_FILENO,
              "tender-gen %s drop-in, %zu monitor%s%s%s\nABI version %d\n",
              b->version, b->nmonitors, b->nmonitors == 1 ? "" : "s",
              b->monitor_dir ? " run from " : "",
              b->monitor_dir ? b->monitor_dir : "", HVT_ABI_VERSION);
}

static unsigned count_type(const struct mon *m, uint32_t type)
{
    unsigned n = 0;

    for (uint32_t i = 1; i < m->mft->entries; i++)
        n += m->mft->e[i].type == type;
    return n;
}

static int module_needed(const struct dropin_module *mod, const struct mon *m,
                         uint32_t opt_in)
{
    switch (mod->need) {
    case DROPIN_ALWAYS:
        return 1;
    case DROPIN_DEVICE:
        return count_type(m, mod->what) > 0;
    case DROPIN_OPT_IN:
        return (opt_in & mod->what) != 0;
    }
    return 0;
}

/* Refuses a guest that asks for what no module serves: a device type, or
 * an opt-in module in its TenderGen note. */
static void check_known(const struct dropin_bundle *b, const struct mon *m,
                        uint32_t opt_in)
{
    uint32_t known = 0;

    for (size_t k = 0; k < b->nmodules; k++)
        if (b->modules[k].need == DROPIN_OPT_IN)
            known |= b->modules[k].what;
    if (opt_in & ~known)
        mon_fatal("refusing %s: its TenderGen note asks for modules this "
                  "drop-in does not know (0x%x)",
                  m->kernel, opt_in & ~known);
    for (uint32_t i = 1; i < m->mft->entries; i++) {
        int served = 0;
        for (size_t k = 0; k < b->nmodules && !served; k++)
            served = b->modules[k].need == DROPIN_DEVICE &&
                     b->modules[k].what == m->mft->e[i].type;
        if (!served)
            mon_fatal("refusing %s: device '%s' is of a type no module "
                      "serves (%u)",
                      m->kernel, m->mft->e[i].name, m->mft->e[i].type);
    }
}

/* The guest's shape text, by tender-gen's rule: the device counts, then
 * the modules the guest needs, in canonical order. */
static void guest_shape(const struct dropin_bundle *b, const struct mon *m,
                        uint32_t opt_in, char *text, size_t size)
{
    size_t len = 0;
    int first = 1;

    check_known(b, m, opt_in);
    /* Device modules come in the order of their types' names, the order
     * of the counts. */
    for (size_t k = 0; k < b->nmodules && len < size; k++)
        if (b->modules[k].need == DROPIN_DEVICE)
            len += snprintf(text + len, size - len, "%s=%u ",
                            b->modules[k].devtype,
                            count_type(m, b->modules[k].what));
    if (len < size)
        len += snprintf(text + len, size - len, "modules=");
    for (size_t k = 0; k < b->nmodules && len < size; k++) {
        if (!module_needed(&b->modules[k], m, opt_in))
            continue;
        len += snprintf(text + len, size - len, "%s%s", first ? "" : ",",
                        b->modules[k].name);
        first = 0;
    }
}

/* The target the drop-in answers for under the name it was run by: as
 * solo5-spt, spt guests only; as solo5-hvt, hvt guests only (each refusal
 * is that tender's own); under another name, the guest's own. */
static void check_target(const char *path, unsigned target, const char *argv0)
{
    const char *base = strrchr(argv0, '/');

    base = base ? base + 1 : argv0;
    if (strncmp(base, "solo5-spt", 9) == 0 && target != SPT_ABI_TARGET)
        mon_fatal("%s: error: executable is not for the solo5-spt target",
                  path);
    if (strncmp(base, "solo5-hvt", 9) == 0 && target != HVT_ABI_TARGET)
        mon_fatal("%s: error: executable is not for the solo5-hvt target",
                  path);
}

static const struct dropin_monitor *find_monitor(const struct dropin_bundle *b,
                                                 const char *shape)
{
    for (size_t i = 0; i < b->nmonitors; i++)
        if (strcmp(b->monitors[i].shape, shape) == 0)
            return &b->monitors[i];
    return NULL;
}

int dropin_main(const struct dropin_bundle *b, int argc, char **argv)
{
    struct mon m = {0};
    struct mon_elf elf;
    char shape[DROPIN_SHAPE_MAX];

    /* Every line, the monitor's too, names the speaker: the name the
     * drop-in was run as, or without one the name orchestrators know. */
    static char fallback[] = "solo5-hvt";

    mon_set_prog_name(fallback);
    if (argc < 1)
        mon_fatal("started without even a program name");
    if (!argv[0][0])
        argv[0] = fallback;
    mon_set_prog_name(argv[0]);
    enum mon_request request;
    int k = mon_find_kernel(argc, argv, &request);
    if (request == MON_HELP)
        usage(b, argv[0]);
    if (request == MON_VERSION)
        version(b);
    if (request == MON_DESCRIBE) {
        const char *json = b->describe; /* tender-gen wrote all of it */
        exit(mon_write_all(STDOUT_FILENO, json, strlen(json)) != 0);
    }
    if (request != MON_RUN)
        exit(0);
    if (k < 0)
        mon_fatal("missing KERNEL operand (see %s --help)", argv[0]);
    m.kernel = argv[k];
    unsigned target = dropin_read_guest(&m, &elf, m.kernel);
    check_target(m.kernel, target, argv[0]);
    /* A shape text names its target when it is not hvt. */
    size_t at = 0;
    if (target == SPT_ABI_TARGET)
        at = (size_t)snprintf(shape, sizeof(shape), "target=spt ");
    guest_shape(b, &m, elf.note_modules, shape + at, sizeof(shape) - at);
    const struct dropin_monitor *mon = find_monitor(b, shape);
    if (!mon)
        mon_fatal("refusing %s: shape '%s' is not in this drop-in; rebuild "
                  "it with: tender-gen --drop-in FILE %sINPUT... %s",
                  m.kernel, shape, b->monitor_dir ? "--monitors DIR " : "",
                  m.kernel);
    mon_elf_close(&elf);
    free(m.mft);
    return dropin_run(b, mon, m.kernel, shape, argc, argv);
}
