/* gdb_regs.c: the guest's registers in the order and sizes gdb uses for
 * i386:x86-64 when the stub sends no target description: rax, rbx, rcx,
 * rdx, rsi, rdi, rbp, rsp, r8-r15, rip (8 bytes each), eflags, cs, ss, ds,
 * es, fs, gs (4 bytes each), then the x87 and SSE registers, which this
 * stub reports as unavailable ("xx..."): kernel/ guests use neither, and
 * reading them would need KVM_GET_FPU in the sandbox for no use. gdb asks
 * for the registers past mxcsr with 'p': fs_base and gs_base come from the
 * special registers.
 *
 * System calls: ioctl KVM_GET_REGS, KVM_SET_REGS and KVM_GET_SREGS on the
 * vCPU. */
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#include "gdb.h"

#define MOD_GDB_NREGS 57 /* rax .. mxcsr: the 'g' packet */
#define MOD_GDB_REG_RIP 16
#define MOD_GDB_REG_EFLAGS 17
#define MOD_GDB_REG_GS 23
/* Past the 'g' packet, as gdb 13 numbers them for x86-64 GNU/Linux;
 * orig_rax (a Linux process's system call) is unavailable. */
#define MOD_GDB_REG_ORIG_RAX 57
#define MOD_GDB_REG_FS_BASE 58
#define MOD_GDB_REG_GS_BASE 59

/* Where gdb's registers 0..16 live in struct kvm_regs. */
static const size_t mod_gdb_gpr[MOD_GDB_REG_RIP + 1] = {
    offsetof(struct kvm_regs, rax), offsetof(struct kvm_regs, rbx),
    offsetof(struct kvm_regs, rcx), offsetof(struct kvm_regs, rdx),
    offsetof(struct kvm_regs, rsi), offsetof(struct kvm_regs, rdi),
    offsetof(struct kvm_regs, rbp), offsetof(struct kvm_regs, rsp),
    offsetof(struct kvm_regs, r8),  offsetof(struct kvm_regs, r9),
    offsetof(struct kvm_regs, r10), offsetof(struct kvm_regs, r11),
    offsetof(struct kvm_regs, r12), offsetof(struct kvm_regs, r13),
    offsetof(struct kvm_regs, r14), offsetof(struct kvm_regs, r15),
    offsetof(struct kvm_regs, rip)};

/* Size in bytes of gdb's register (n), 0 past what this stub knows. */
static unsigned mod_gdb_reg_size(unsigned n)
{
    if (n <= MOD_GDB_REG_RIP)
        return 8;
    if (n <= MOD_GDB_REG_GS)
        return 4;
    if (n < 32)
        return 10; /* st0-st7 */
    if (n < 40)
        return 4; /* x87 control */
    if (n < 56)
        return 16; /* xmm0-xmm15 */
    if (n == 56)
        return 4; /* mxcsr */
    if (n >= MOD_GDB_REG_ORIG_RAX && n <= MOD_GDB_REG_GS_BASE)
        return 8;
    return 0;
}

static uint64_t *mod_gdb_gpr_at(struct kvm_regs *r, unsigned n)
{
    return (uint64_t *)((uint8_t *)r + mod_gdb_gpr[n]);
}

static uint64_t mod_gdb_selector(const struct kvm_sregs *s, unsigned n)
{
    const struct kvm_segment *seg[] = {&s->cs, &s->ss, &s->ds,
                                       &s->es, &s->fs, &s->gs};
    return seg[n - MOD_GDB_REG_EFLAGS - 1]->selector;
}

/* The value of register (n), for those this stub has; -1 for the rest. */
static int mod_gdb_value(struct kvm_regs *r, const struct kvm_sregs *s,
                         unsigned n, uint64_t *v)
{
    if (n <= MOD_GDB_REG_RIP)
        *v = *mod_gdb_gpr_at(r, n);
    else if (n == MOD_GDB_REG_EFLAGS)
        *v = r->rflags;
    else if (n <= MOD_GDB_REG_GS)
        *v = mod_gdb_selector(s, n);
    else if (n == MOD_GDB_REG_FS_BASE)
        *v = s->fs.base;
    else if (n == MOD_GDB_REG_GS_BASE)
        *v = s->gs.base;
    else
        return -1;
    return 0;
}

/* Appends register (n) to (out): its value little-endian in hex, or 'x'
 * digits when it is unavailable. Returns the characters written. */
static size_t mod_gdb_put(struct kvm_regs *r, const struct kvm_sregs *s,
                          unsigned n, char *out)
{
    unsigned size = mod_gdb_reg_size(n);
    uint64_t v;
    uint8_t bytes[8];

    if (mod_gdb_value(r, s, n, &v) < 0) {
        memset(out, 'x', 2 * size);
        out[2 * size] = 0;
        return 2 * size;
    }
    for (unsigned i = 0; i < size; i++)
        bytes[i] = (uint8_t)(v >> (8 * i));
    mod_gdb_to_hex(out, bytes, size);
    return 2 * size;
}

static int mod_gdb_get(int vcpu_fd, struct kvm_regs *r, struct kvm_sregs *s)
{
    return ioctl(vcpu_fd, KVM_GET_REGS, r) < 0 ||
                   ioctl(vcpu_fd, KVM_GET_SREGS, s) < 0
               ? -1
               : 0;
}

int mod_gdb_regs_read_all(int vcpu_fd, char *out)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    size_t len = 0;

    if (mod_gdb_get(vcpu_fd, &r, &s) < 0)
        return -1;
    for (unsigned n = 0; n < MOD_GDB_NREGS; n++)
        len += mod_gdb_put(&r, &s, n, out + len);
    return 0;
}

int mod_gdb_reg_read(int vcpu_fd, unsigned n, char *out)
{
    struct kvm_regs r;
    struct kvm_sregs s;

    if (mod_gdb_reg_size(n) == 0) {
        out[0] = 0; /* unknown to this stub: gdb treats it as unavailable */
        return 0;
    }
    if (mod_gdb_get(vcpu_fd, &r, &s) < 0)
        return -1;
    mod_gdb_put(&r, &s, n, out);
    return 0;
}

/* Reads a little-endian value of (size) bytes from (hex); -1 when (hex)
 * is short, not hex, or marks the value unavailable. */
static int mod_gdb_le(const char *hex, unsigned size, uint64_t *v)
{
    uint8_t bytes[8];

    if (strnlen(hex, 2 * size) < 2 * size ||
        mod_gdb_from_hex(bytes, hex, size) < 0)
        return -1;
    *v = 0;
    for (unsigned i = 0; i < size; i++)
        *v |= (uint64_t)bytes[i] << (8 * i);
    return 0;
}

/* Stores register (n), one of those KVM_SET_REGS sets, into (r). */
static int mod_gdb_store(struct kvm_regs *r, unsigned n, const char *hex)
{
    uint64_t v;

    if (mod_gdb_le(hex, mod_gdb_reg_size(n), &v) < 0)
        return -1;
    if (n <= MOD_GDB_REG_RIP)
        *mod_gdb_gpr_at(r, n) = v;
    else
        r->rflags = v | 2; /* bit 1 is reserved and always set */
    return 0;
}

int mod_gdb_regs_write_all(int vcpu_fd, const char *hex)
{
    struct kvm_regs r;

    if (ioctl(vcpu_fd, KVM_GET_REGS, &r) < 0)
        return -1;
    for (unsigned n = 0; n <= MOD_GDB_REG_EFLAGS; n++) {
        if (strnlen(hex, 2 * mod_gdb_reg_size(n)) < 2 * mod_gdb_reg_size(n))
            break;
        mod_gdb_store(&r, n, hex); /* an 'x' value leaves it unchanged */
        hex += 2 * mod_gdb_reg_size(n);
    }
    return ioctl(vcpu_fd, KVM_SET_REGS, &r) < 0 ? -1 : 0;
}

int mod_gdb_reg_write(int vcpu_fd, unsigned n, const char *hex)
{
    struct kvm_regs r;

    if (n > MOD_GDB_REG_EFLAGS)
        return -2;
    if (ioctl(vcpu_fd, KVM_GET_REGS, &r) < 0)
        return -1;
    if (mod_gdb_store(&r, n, hex) < 0)
        return -2;
    return ioctl(vcpu_fd, KVM_SET_REGS, &r) < 0 ? -1 : 0;
}
