/* spt_main.c: the process monitor's life: parse the command line, read the
 * guest, check it fits this monitor's shape, map its memory, attach its
 * devices, load it, write its boot information, close the sandbox, jump. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem_option.h"
#include "spt.h"
#include "unknown_option.h"

/* The guest shares the process: a sanitizer's runtime would run beside it
 * with no filter around either, so there is no sanitizer build of a
 * process monitor. */
#ifdef MON_SANITIZE
#error "a process (spt) monitor has no sanitizer build"
#endif

/* --help's text, as tender-gen wrote it from the modules' descriptors. */
static void usage(const struct spt_config *cfg, int fd, const char *prog)
{
    mon_print(fd, "usage: %s", prog);
    mon_write_all(fd, cfg->help, strlen(cfg->help));
}

/* Pass 1: find KERNEL; --help and --version act at once. */
static int find_kernel(const struct spt_config *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1 < argc ? i + 1 : -1;
        if (strcmp(argv[i], "--help") == 0) {
            usage(cfg, STDOUT_FILENO, argv[0]);
            exit(0);
        }
        if (strcmp(argv[i], "--version") == 0) {
            mon_print(STDERR_FILENO,
                      "tender-gen %s monitor, shape %s, digest %s\n"
                      "ABI version %d\n",
                      cfg->version, cfg->shape, cfg->digest, SPT_ABI_VERSION);
            exit(0);
        }
        if (strcmp(argv[i], "--describe") == 0)
            exit(mon_write_all(STDOUT_FILENO, cfg->describe,
                               strlen(cfg->describe)) != 0);
        if (argv[i][0] != '-')
            return i;
    }
    return -1;
}

/* Pass 2: core and module options, now that the manifest is known. */
static const char *parse_options(struct spt *s, int kernel, char **argv)
{
    const char *mem = NULL;

    for (int i = 1; i < kernel; i++) {
        const char *arg = argv[i];
        int taken = 0;

        if (strcmp(arg, "--") == 0)
            break;
        if (strncmp(arg, "--mem=", 6) == 0) {
            mem = arg + 6;
            continue;
        }
        for (size_t k = 0; k < s->cfg->nmodules && taken == 0; k++) {
            const struct spt_module *mod = s->cfg->modules[k];
            taken = mod->option ? mod->option(s, arg) : 0;
        }
        if (taken < 0)
            mon_fatal("invalid option: `%s' (see %s --help)", arg, argv[0]);
        if (taken == 0)
            mon_unknown_option(s->cfg->option_facts, arg, s->kernel, argv[0]);
    }
    return mem;
}

/* Refuses a guest whose devices do not fit this monitor's shape. */
static void check_shape(const struct spt *s)
{
    unsigned count[MFT_MAX_ENTRIES] = {0};

    for (uint32_t i = 1; i < s->mft->entries; i++) {
        const struct mft_entry *e = &s->mft->e[i];
        size_t t = 0;
        while (t < s->cfg->ndevtypes && s->cfg->devtypes[t].mft_type != e->type)
            t++;
        if (t < s->cfg->ndevtypes && ++count[t] <= s->cfg->devtypes[t].max)
            continue;
        mon_fatal("%s: device '%s' does not fit this monitor (shape: %s); "
                  "build a monitor for this unikernel with: tender-gen %s",
                  s->kernel, e->name, s->cfg->shape, s->kernel);
    }
}

static void attach_devices(struct spt *s)
{
    int missing = 0;

    for (size_t i = 0; i < s->cfg->nmodules; i++) {
        const struct spt_module *mod = s->cfg->modules[i];
        if (mod->attach && mod->attach(s) < 0)
            exit(1);
    }
    for (uint32_t i = 1; i < s->mft->entries; i++)
        if (!s->mft->e[i].attached) {
            mon_warn("device '%s' declared but not attached",
                     s->mft->e[i].name);
            missing = 1;
        }
    if (missing)
        mon_fatal("all declared devices must be attached; see --help");
}

/* The boot information, the manifest and the command line (the guest's
 * arguments joined with single spaces), end to end at SPT_BOOT_INFO_BASE,
 * all below the 1 MiB where the guest's image begins. */
static void write_boot_info(const struct spt *s, uint64_t kernel_end, int argc,
                            char **argv, int first)
{
    struct spt_boot_info *bi = spt_at(SPT_BOOT_INFO_BASE);
    uint64_t mft_at = SPT_BOOT_INFO_BASE + sizeof(*bi);
    uint64_t cmdline_at = mft_at + s->mft_size;
    char *cmdline = spt_at(cmdline_at);
    size_t len = 0;

    _Static_assert(SPT_BOOT_INFO_BASE + sizeof(struct spt_boot_info) +
                           MFT_SIZE(MFT_MAX_ENTRIES) + SPT_CMDLINE_SIZE <=
                       SPT_GUEST_MIN_BASE,
                   "the boot data fits below the guest's image");
    for (int i = first; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (len + (i > first) + n >= SPT_CMDLINE_SIZE)
            mon_fatal("guest command line too long (max=%d characters)",
                      SPT_CMDLINE_SIZE - 1);
        if (i > first)
            cmdline[len++] = ' ';
        memcpy(cmdline + len, argv[i], n);
        len += n;
    }
    cmdline[len] = 0;
    memcpy(spt_at(mft_at), s->mft, s->mft_size);
    bi->mem_size = s->mem_size;
    bi->kernel_end = kernel_end;
    bi->cmdline = cmdline_at;
    bi->mft = mft_at;
    bi->epollfd = MON_FD_POLL_EPOLL;
    bi->timerfd = MON_FD_POLL_TIMER;
}

int spt_main(const struct spt_config *cfg, int argc, char **argv)
{
    struct spt s = {.cfg = cfg};
    uint64_t note_mem, entry, kernel_end;

    mon_set_prog_name(argv[0]);
    int kernel = find_kernel(cfg, argc, argv);
    if (kernel < 0) {
        mon_warn("missing KERNEL operand");
        usage(cfg, STDERR_FILENO, argv[0]);
        return 1;
    }
    spt_filter_probe();
    s.kernel = argv[kernel];
    spt_elf_read(&s, s.kernel, &note_mem);
    check_shape(&s);
    const char *mem = parse_options(&s, kernel, argv);
    spt_memory_map(&s, mon_guest_mem(mem, note_mem));
    spt_poll_create();
    attach_devices(&s);
    spt_elf_load(&s, &entry, &kernel_end);
    write_boot_info(&s, kernel_end, argc, argv, kernel + 1);
    spt_close_others(&s);
    spt_wipe_strings(argc, argv);
    spt_filter_install(cfg);
    spt_launch(&s, entry);
}
