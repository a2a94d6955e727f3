/* vcpu_loop.c: runs the guest, dispatches its hypercalls through the table
 * tender-gen generated, and turns every other exit into a one-line reason.
 * Whatever stops the guest, a hypercall handler's refusal or an exit the
 * guest caused, comes back here as m->stop_reason (mon_stop), and this is
 * the one place that reports it and tells the modules (on_fault). */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "monitor.h"
#include "mon_internal.h"

static unsigned long long guest_rip(const struct mon_vm *vm)
{
    struct kvm_regs regs;

    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0)
        return 0;
    return regs.rip;
}

/* A hypercall: 0 when the guest goes on, -1 with m->stop_reason set. */
static int handle_io(struct mon *m, const struct mon_vm *vm)
{
    const struct kvm_run *run = vm->run;
    unsigned port = run->io.port;
    unsigned nr = port - HVT_HYPERCALL_PIO_BASE;

    if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
        run->io.count != 1 || port < HVT_HYPERCALL_PIO_BASE ||
        nr >= HVT_HYPERCALL_MAX)
        return mon_stop(m, "invalid guest port access: port=0x%x, rip=0x%llx",
                        port, guest_rip(vm));
    mon_hypercall_fn fn = m->cfg->hypercalls[nr];
    if (!fn)
        return mon_stop(m,
                        "invalid guest hypercall: num=%u (not served by this "
                        "monitor: %s)",
                        nr, m->cfg->shape);
    uint32_t gpa;
    memcpy(&gpa, (const uint8_t *)run + run->io.data_offset, sizeof(gpa));
    return fn(m, gpa);
}

/* On some hosts (nested KVM) a guest write to host-read-only memory is an
 * MMIO exit; on bare-metal KVM it is EFAULT from KVM_RUN. Both print the
 * same line. */
static int handle_mmio(struct mon *m, const struct mon_vm *vm)
{
    unsigned long long gpa = vm->run->mmio.phys_addr;

    if (vm->run->mmio.is_write && mon_in_ro(m, gpa))
        return mon_stop(m,
                        "host/guest translation fault: rip=0x%llx, "
                        "gpa=0x%llx",
                        guest_rip(vm), gpa);
    return mon_stop(m, "invalid guest MMIO access: gpa=0x%llx, rip=0x%llx", gpa,
                    guest_rip(vm));
}

static int handle_other_exit(struct mon *m, const struct mon_vm *vm)
{
    const struct kvm_run *run = vm->run;
    unsigned long long rip = guest_rip(vm);

    switch (run->exit_reason) {
    case KVM_EXIT_SHUTDOWN:
        return mon_stop(m, "guest triple fault: rip=0x%llx", rip);
    case KVM_EXIT_INTERNAL_ERROR:
        return mon_stop(m,
                        "KVM: internal error exit: suberror=0x%x, "
                        "rip=0x%llx",
                        run->internal.suberror, rip);
    case KVM_EXIT_FAIL_ENTRY:
        return mon_stop(
            m, "KVM: entry failure: hw_entry_failure_reason=0x%llx",
            (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
    case KVM_EXIT_HLT:
        return mon_stop(m,
                        "guest halted the CPU with interrupts off: "
                        "rip=0x%llx",
                        rip);
    default:
        return mon_stop(m, "KVM: unhandled exit: exit_reason=0x%x, rip=0x%llx",
                        run->exit_reason, rip);
    }
}

/* Runs the guest until its next exit and handles it: 0 when it goes on,
 * -1 with m->stop_reason set. */
static int run_once(struct mon *m, const struct mon_vm *vm)
{
    if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
        if (errno == EINTR)
            return 0;
        if (errno == EFAULT)
            return mon_stop(m, "host/guest translation fault: rip=0x%llx",
                            guest_rip(vm));
        return mon_stop(m, "KVM: KVM_RUN failed: %s", strerror(errno));
    }
    switch (vm->run->exit_reason) {
    case KVM_EXIT_IO:
        return handle_io(m, vm);
    case KVM_EXIT_MMIO:
        return handle_mmio(m, vm);
    default:
        for (size_t i = 0; i < m->cfg->nmodules; i++)
            if (m->cfg->modules[i]->exit_hook &&
                m->cfg->modules[i]->exit_hook(m))
                return 0; /* a module handled it (gdb: KVM_EXIT_DEBUG) */
        return handle_other_exit(m, vm);
    }
}

/* The guest stopped for a fault: the reason, then the modules that want to
 * know (dumpcore writes a core, gdb tells the debugger), then exit 1. A
 * hook that fails ends the monitor with its own message (mon_fatal). */
static _Noreturn void stop_guest(struct mon *m)
{
    mon_warn("%s", m->stop_reason);
    for (size_t i = 0; i < m->cfg->nmodules; i++)
        if (m->cfg->modules[i]->on_fault)
            m->cfg->modules[i]->on_fault(m, m->stop_reason);
    _exit(1);
}

int mon_vcpu_run(struct mon *m, struct mon_vm *vm)
{
    m->vcpu_fd = vm->vcpu_fd;
    m->run = vm->run;
    while (!m->halted) {
        for (size_t i = 0; i < m->cfg->nmodules; i++)
            if (m->cfg->modules[i]->before_run)
                m->cfg->modules[i]->before_run(m);
        if (run_once(m, vm) < 0)
            stop_guest(m);
    }
    return m->exit_status & 0xff;
}
