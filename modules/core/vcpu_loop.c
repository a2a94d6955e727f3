/* vcpu_loop.c: runs the guest, dispatches its hypercalls through the table
 * tender-gen generated, and turns every other exit into a one-line reason. */
#include <errno.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "monitor.h"
#include "mon_internal.h"

static uint64_t guest_rip(const struct mon_vm *vm)
{
    struct kvm_regs regs;

    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0)
        return 0;
    return regs.rip;
}

static void handle_io(struct mon *m, const struct mon_vm *vm)
{
    const struct kvm_run *run = vm->run;
    unsigned port = run->io.port;
    unsigned nr = port - HVT_HYPERCALL_PIO_BASE;

    if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
        run->io.count != 1 || port < HVT_HYPERCALL_PIO_BASE ||
        nr >= HVT_HYPERCALL_MAX)
        mon_fatal("invalid guest port access: port=0x%x, rip=0x%llx", port,
                  (unsigned long long)guest_rip(vm));
    mon_hypercall_fn fn = m->cfg->hypercalls[nr];
    if (!fn)
        mon_fatal("invalid guest hypercall: num=%u (not served by this "
                  "monitor: %s)",
                  nr, m->cfg->shape);
    uint32_t gpa;
    memcpy(&gpa, (const uint8_t *)run + run->io.data_offset, sizeof(gpa));
    /* The one place a hypercall stops the guest: handlers only say why. */
    if (fn(m, gpa) < 0)
        mon_fatal("%s", m->stop_reason);
}

/* On this host a guest write to host-read-only memory is an MMIO exit; on
 * bare-metal KVM it is EFAULT from KVM_RUN. Both print the same line. */
static _Noreturn void handle_mmio(const struct mon *m, const struct mon_vm *vm)
{
    uint64_t gpa = vm->run->mmio.phys_addr;

    if (vm->run->mmio.is_write && mon_in_ro(m, gpa))
        mon_fatal("host/guest translation fault: rip=0x%llx, gpa=0x%llx",
                  (unsigned long long)guest_rip(vm), (unsigned long long)gpa);
    mon_fatal("invalid guest MMIO access: gpa=0x%llx, rip=0x%llx",
              (unsigned long long)gpa, (unsigned long long)guest_rip(vm));
}

static _Noreturn void handle_other_exit(const struct mon_vm *vm)
{
    const struct kvm_run *run = vm->run;
    unsigned long long rip = guest_rip(vm);

    switch (run->exit_reason) {
    case KVM_EXIT_SHUTDOWN:
        mon_fatal("guest triple fault: rip=0x%llx", rip);
    case KVM_EXIT_INTERNAL_ERROR:
        mon_fatal("KVM: internal error exit: suberror=0x%x, rip=0x%llx",
                  run->internal.suberror, rip);
    case KVM_EXIT_FAIL_ENTRY:
        mon_fatal(
            "KVM: entry failure: hw_entry_failure_reason=0x%llx",
            (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
    case KVM_EXIT_HLT:
        mon_fatal("guest halted the CPU with interrupts off: rip=0x%llx", rip);
    default:
        mon_fatal("KVM: unhandled exit: exit_reason=0x%x, rip=0x%llx",
                  run->exit_reason, rip);
    }
}

/* The guest's monitor while its vCPU runs, on the vCPU thread only: a
 * fatal error there is a guest fault the debugging modules are told of
 * (mon_fault_hooks). Another thread's (the net ring's) is not, and could
 * not use the vCPU anyway. */
static _Thread_local struct mon *running;

void mon_fault_hooks(const char *fmt, va_list ap)
{
    struct mon *m = running;
    char reason[512];

    if (!m)
        return;
    running = NULL; /* once: a hook's own fatal error just exits */
    vsnprintf(reason, sizeof(reason), fmt, ap);
    for (size_t i = 0; i < m->cfg->nmodules; i++)
        if (m->cfg->modules[i]->on_fault)
            m->cfg->modules[i]->on_fault(m, reason);
}

static void before_run_hooks(struct mon *m)
{
    for (size_t i = 0; i < m->cfg->nmodules; i++)
        if (m->cfg->modules[i]->before_run)
            m->cfg->modules[i]->before_run(m);
}

/* Returns 1 when a module handled the exit (gdb: KVM_EXIT_DEBUG). */
static int exit_hooks(struct mon *m)
{
    for (size_t i = 0; i < m->cfg->nmodules; i++)
        if (m->cfg->modules[i]->exit_hook && m->cfg->modules[i]->exit_hook(m))
            return 1;
    return 0;
}

int mon_vcpu_run(struct mon *m, struct mon_vm *vm)
{
    m->vcpu_fd = vm->vcpu_fd;
    m->run = vm->run;
    running = m;
    while (!m->halted) {
        before_run_hooks(m);
        if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EFAULT)
                mon_fatal("host/guest translation fault: rip=0x%llx",
                          (unsigned long long)guest_rip(vm));
            mon_fatal("KVM: KVM_RUN failed: %s", strerror(errno));
        }
        mon_trace("first-exit");
        switch (vm->run->exit_reason) {
        case KVM_EXIT_IO:
            handle_io(m, vm);
            break;
        case KVM_EXIT_MMIO:
            handle_mmio(m, vm);
        default:
            if (exit_hooks(m))
                break;
            handle_other_exit(vm);
        }
    }
    running = NULL;
    return m->exit_status & 0xff;
}
