/* gdb_debugregs.c: breakpoints and single-step through KVM's guest
 * debugging (KVM_SET_GUEST_DEBUG).
 *
 * Every breakpoint, software (Z0) or hardware (Z1), is an execution
 * breakpoint in one of the four debug registers DR0-DR3: on some hosts
 * (docs/benchmarks.md) KVM_GUESTDBG_USE_SW_BP does not intercept int3, which
 * the guest would then take as its own #BP and abort, so the stub never writes
 * int3 into guest memory. Four breakpoints at a time; a fifth gets an
 * error gdb shows. No watchpoints (Z2-Z4 are answered as unsupported):
 * there data breakpoints in the debug registers are accepted by KVM and
 * never fire, and a watchpoint that silently never triggers is worse than
 * none; gdb's software watchpoints (set can-use-hw-watchpoints 0) work.
 *
 * System calls: ioctl KVM_SET_GUEST_DEBUG on the vCPU. */
#include <stdio.h>
#include <sys/ioctl.h>

#include "gdb.h"

#define MOD_GDB_NSLOTS 4
#define DR7_RESERVED (1U << 10) /* reads as 1 */
#define DR6_BS (1ULL << 14)     /* single step */

static struct mod_gdb_slot {
    int used;
    unsigned type; /* gdb's Z type: 0 or 1 */
    uint64_t addr;
} mod_gdb_slots[MOD_GDB_NSLOTS];

static int mod_gdb_find(unsigned type, uint64_t addr)
{
    for (int i = 0; i < MOD_GDB_NSLOTS; i++)
        if (mod_gdb_slots[i].used && mod_gdb_slots[i].type == type &&
            mod_gdb_slots[i].addr == addr)
            return i;
    return -1;
}

enum mod_gdb_bp_result mod_gdb_bp_insert(unsigned type, uint64_t addr,
                                         uint64_t kind)
{
    (void)kind; /* the breakpoint's length, 1 on x86 */
    if (type > 1)
        return MOD_GDB_BP_UNSUPPORTED;
    if (mod_gdb_find(type, addr) >= 0)
        return MOD_GDB_BP_OK;
    for (int i = 0; i < MOD_GDB_NSLOTS; i++)
        if (!mod_gdb_slots[i].used) {
            mod_gdb_slots[i] = (struct mod_gdb_slot){1, type, addr};
            return MOD_GDB_BP_OK;
        }
    return MOD_GDB_BP_FULL;
}

void mod_gdb_bp_remove(unsigned type, uint64_t addr, uint64_t kind)
{
    int i = mod_gdb_find(type, addr);

    (void)kind;
    if (i >= 0)
        mod_gdb_slots[i].used = 0;
}

void mod_gdb_bp_clear(void)
{
    for (int i = 0; i < MOD_GDB_NSLOTS; i++)
        mod_gdb_slots[i].used = 0;
}

int mod_gdb_bp_at(uint64_t addr)
{
    return mod_gdb_find(0, addr) >= 0 || mod_gdb_find(1, addr) >= 0;
}

int mod_gdb_debug_apply(int vcpu_fd, enum mod_gdb_mode mode)
{
    struct kvm_guest_debug dbg = {.control = KVM_GUESTDBG_ENABLE};
    uint64_t dr7 = DR7_RESERVED;

    for (int i = 0; i < MOD_GDB_NSLOTS; i++) {
        const struct mod_gdb_slot *s = &mod_gdb_slots[i];
        if (!s->used || mode == MOD_GDB_STEP_ALONE)
            continue;
        /* Enabled locally; RW and LEN stay 0: execution, one byte. */
        dbg.arch.debugreg[i] = s->addr;
        dr7 |= 1ULL << (2 * i);
        dbg.control |= KVM_GUESTDBG_USE_HW_BP;
    }
    if (dbg.control & KVM_GUESTDBG_USE_HW_BP)
        dbg.arch.debugreg[7] = dr7;
    if (mode != MOD_GDB_RUN)
        dbg.control |= KVM_GUESTDBG_SINGLESTEP;
    return ioctl(vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0 ? -1 : 0;
}

int mod_gdb_debug_off(int vcpu_fd)
{
    struct kvm_guest_debug dbg = {.control = 0};

    mod_gdb_bp_clear();
    return ioctl(vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0 ? -1 : 0;
}

void mod_gdb_debug_reason(const struct kvm_debug_exit_arch *d, int stepping,
                          char *out, size_t size)
{
    out[0] = 0;
    for (int i = 0; i < MOD_GDB_NSLOTS; i++) {
        const struct mod_gdb_slot *s = &mod_gdb_slots[i];
        /* DR6 says which; should it not, a stop that is not a single step
         * at a breakpoint's address is that breakpoint. */
        if (s->used &&
            ((d->dr6 & (1ULL << i)) ||
             (!stepping && !(d->dr6 & DR6_BS) && s->addr == d->pc))) {
            snprintf(out, size, "%s", s->type == 0 ? "swbreak:;" : "hwbreak:;");
            return;
        }
    }
}
