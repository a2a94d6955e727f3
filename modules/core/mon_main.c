/* mon_main.c: the monitor's life: parse the command line, read the guest,
 * check it fits this monitor's shape, attach devices, build the VM, run. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest_check.h"
#include "mem_option.h"
#include "monitor.h"
#include "mon_internal.h"
#include "unknown_option.h"

struct mon_args {
    int kernel;      /* index of KERNEL in argv */
    const char *mem; /* value of --mem=, or NULL */
};

static void version(const struct mon_config *cfg)
{
    mon_print(STDERR_FILENO, "tender-gen %s monitor, shape %s, digest %s\n",
              cfg->version, cfg->shape, cfg->digest);
#ifdef MON_SANITIZE
    mon_print(STDERR_FILENO, "sanitizer build: no seccomp filter\n");
#endif
    mon_print(STDERR_FILENO, "ABI version %d\n", HVT_ABI_VERSION);
}

static _Noreturn void bad_option(const char *arg, const char *prog)
{
    mon_fatal("invalid option: `%s' (see %s --help)", arg, prog);
}

/* Pass 2: core and module options, now that the guest's manifest is known. */
static void parse_options(struct mon *m, struct mon_args *a, char **argv)
{
    for (int i = 1; i < a->kernel; i++) {
        const char *arg = argv[i];
        int taken = 0;

        if (strcmp(arg, "--") == 0)
            break;
        if (strncmp(arg, "--mem=", 6) == 0) {
            a->mem = arg + 6;
            continue;
        }
        for (size_t k = 0; k < m->cfg->nmodules && !taken; k++) {
            const struct mon_module *mod = m->cfg->modules[k];
            taken = mod->option ? mod->option(m, arg) : 0;
            if (taken < 0)
                bad_option(arg, argv[0]);
        }
        if (!taken)
            mon_unknown_option(m->cfg->option_facts, arg, m->kernel, argv[0]);
    }
}

/* Refuses a guest whose devices do not fit this monitor's shape, naming the
 * first device that does not fit and how to build a monitor that fits. */
static void check_shape(const struct mon *m)
{
    unsigned count[MFT_MAX_ENTRIES] = {0}; /* by index into cfg->devtypes */

    for (uint32_t i = 1; i < m->mft->entries; i++) {
        const struct mft_entry *e = &m->mft->e[i];
        const struct mon_devtype *t = mon_devtype(m, i);
        if (t && ++count[t - m->cfg->devtypes] <= t->max)
            continue;
        mon_fatal("%s: device '%s' (%s) does not fit this monitor (shape: "
                  "%s); build a monitor for this unikernel with: tender-gen "
                  "%s",
                  m->kernel, e->name, mon_type_name(m, e->type), m->cfg->shape,
                  m->kernel);
    }
}

static void attach_devices(struct mon *m)
{
    for (size_t i = 0; i < m->cfg->nmodules; i++) {
        const struct mon_module *mod = m->cfg->modules[i];
        if (mod->attach && mod->attach(m) < 0)
            exit(1);
    }
    int missing = 0;
    for (uint32_t i = 1; i < m->mft->entries; i++)
        if (!m->mft->e[i].attached) {
            mon_warn("device '%s' of type %s declared but not attached",
                     m->mft->e[i].name, mon_type_name(m, m->mft->e[i].type));
            missing = 1;
        }
    if (missing)
        mon_fatal("all declared devices must be attached; see --help");
}

/* The modules' start hooks: guest memory is mapped and loaded; the boot
 * info is not written yet, so what they offer the guest can still change. */
static void start_modules(struct mon *m, int vm_fd)
{
    for (size_t i = 0; i < m->cfg->nmodules; i++) {
        const struct mon_module *mod = m->cfg->modules[i];
        if (mod->start && mod->start(m, vm_fd) < 0)
            exit(1);
    }
}

/* The modules' halt hooks (the net ring drains its I/O thread). */
static void halt_modules(struct mon *m)
{
    for (size_t i = 0; i < m->cfg->nmodules; i++)
        if (m->cfg->modules[i]->halt)
            m->cfg->modules[i]->halt(m, mon_halt_cookie());
}

/* The guest's arguments joined with single spaces, as solo5-hvt does. */
static char *join_cmdline(int argc, char **argv, int first)
{
    static char cmdline[HVT_CMDLINE_SIZE];
    size_t len = 0;

    for (int i = first; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (len + (i > first) + n >= sizeof(cmdline))
            mon_fatal("guest command line too long (max=%d characters)",
                      HVT_CMDLINE_SIZE - 1);
        if (i > first)
            cmdline[len++] = ' ';
        memcpy(cmdline + len, argv[i], n);
        len += n;
    }
    cmdline[len] = 0;
    return cmdline;
}

/* Only async-signal-safe calls here: musl's snprintf into a buffer takes
 * no lock and allocates nothing. */
static void on_signal(int sig)
{
    char msg[32];

    snprintf(msg, sizeof(msg), "Exiting on signal %d\n", sig);
    mon_write_all(STDERR_FILENO, msg, strlen(msg));
    _exit(1);
}

/* x86_64 needs a restorer for every handler; ours never returns (it
 * exits), so this is never reached, but the kernel refuses to deliver a
 * signal without one. */
__asm__(".text\n"
        ".type mon_sigreturn, @function\n"
        "mon_sigreturn:\n"
        "    mov $15, %eax\n" /* rt_sigreturn */
        "    syscall\n");
void mon_sigreturn(void);

/* The kernel's struct sigaction, for rt_sigaction(2). */
struct mon_ksigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

#define MON_SA_RESTORER 0x04000000UL

/* Installs handlers with the raw system call: musl's sigaction() also
 * calls rt_sigprocmask, which an orchestrator's filter (urunc's) does not
 * allow, and the monitor must start under such a filter. */
static void set_handler(int sig, void (*handler)(int))
{
    struct mon_ksigaction sa = {
        .handler = handler,
        .flags = MON_SA_RESTORER,
        .restorer = mon_sigreturn,
    };

    if (syscall(SYS_rt_sigaction, sig, &sa, NULL, sizeof(sa.mask)) < 0)
        mon_fatal("cannot install a handler for signal %d", sig);
}

static void install_signal_handlers(void)
{
    set_handler(SIGINT, on_signal);
    set_handler(SIGTERM, on_signal);
    /* A closed stdout loses the guest's output, not the guest. */
    set_handler(SIGPIPE, SIG_IGN);
}

/* Tells the modules that step (done) of the monitor's life ended. */
static void step(struct mon *m, const char *done)
{
    for (size_t i = 0; i < m->cfg->nmodules; i++)
        if (m->cfg->modules[i]->step)
            m->cfg->modules[i]->step(m, done);
}

/* The monitor's life, one step after another, on one thread. Modules may
 * add threads of their own (the net ring's I/O) in their start hooks. */
int mon_main(const struct mon_config *cfg, int argc, char **argv)
{
    struct mon m = {.cfg = cfg};
    struct mon_args args = {0};
    struct mon_elf elf;
    struct mon_vm vm;

    step(&m, "main");
    mon_set_prog_name(argv[0]);
    mon_filter_probe();
    mon_fd_reserve(cfg);
    enum mon_request request;
    args.kernel = mon_find_kernel(argc, argv, &request);
    if (request == MON_HELP) {
        mon_print(STDOUT_FILENO, "usage: %s", argv[0]);
        mon_write_all(STDOUT_FILENO, cfg->help, strlen(cfg->help));
    }
    if (request == MON_VERSION)
        version(cfg);
    if (request == MON_DESCRIBE)
        exit(mon_write_all(STDOUT_FILENO, cfg->describe,
                           strlen(cfg->describe)) != 0);
    if (request != MON_RUN)
        exit(0);
    if (args.kernel < 0)
        mon_fatal("missing KERNEL operand (see %s --help)", argv[0]);
    m.kernel = argv[args.kernel];
    mon_elf_open(&m, &elf, m.kernel);
    step(&m, "elf-read");

    check_shape(&m);
    parse_options(&m, &args, argv);
    m.mem_size = mon_guest_mem(args.mem, elf.note_mem_size);
    const char *cmdline = join_cmdline(argc, argv, args.kernel + 1);
    attach_devices(&m);
    install_signal_handlers();
    step(&m, "devices");

    mon_vm_create(&vm);
    step(&m, "kvm-vm");
    mon_vm_memory(&m, &vm);
    step(&m, "guest-memory");
    mon_vm_add_vcpu(&vm);
    step(&m, "vcpu");
    mon_cpuid_set(vm.kvm_fd, vm.vcpu_fd);
    step(&m, "cpuid");
    mon_elf_load(&m, &elf);
    step(&m, "elf-load");
    start_modules(&m, vm.vm_fd);
    mon_vm_boot_state(&m, &vm, &elf, cmdline);
    step(&m, "boot-state");
    mon_poll_init(&m);
    mon_sandbox(&m, &vm);
    step(&m, "sandbox");

    int status = mon_vcpu_run(&m, &vm);
    halt_modules(&m);
    step(&m, "halt");
    return status;
}
