/* gdb.h: what the gdb module's files share: where the debugger connects
 * (gdb_listen.c), the remote protocol's framing (gdb_proto.c), the
 * register layout gdb expects for x86-64 (gdb_regs.c) and the debug
 * registers behind breakpoints and single-step (gdb_debugregs.c). gdb.c is the
 * module itself. */
#ifndef MOD_GDB_H
#define MOD_GDB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kvm.h>

#include "../core/monitor.h"
#include "../core/services.h"

/* The largest packet either side sends: advertised as PacketSize. */
#define MOD_GDB_PACKET_MAX 4096

/* ---- gdb_listen.c: the --gdb options, the socket, who may connect ---- */

/* Offered each monitor option: 1 when (arg) is one of the --gdb options,
 * 0 when not, -1 when it is invalid (after printing why). */
int mod_gdb_listen_option(const char *arg);

/* Listens where the options say, prints where on stderr, and waits for a
 * debugger run by the monitor's user or root; removes the socket file and
 * its directory. Returns the connection, or -1 after printing why. */
int mod_gdb_accept(void);

/* ---- gdb_proto.c: $data#checksum packets on descriptor (fd) ---- */

/* Starts the protocol on the connected socket (fd). */
void mod_gdb_proto_init(int fd);

/* After the reply to QStartNoAckMode: no more '+' and '-'. */
void mod_gdb_proto_noack(void);

/* Waits for the next packet; its data (at most (size) - 1 bytes) lands in
 * (buf), NUL-terminated, its length in *len. Returns 0, or -1 when the
 * connection is gone. */
int mod_gdb_recv(char *buf, size_t size, size_t *len);

/* Sends (data) as one packet, waiting for gdb's '+' unless in no-ack mode.
 * Returns 0, or -1 when the connection is gone. */
int mod_gdb_send(const char *data);

/* While the guest runs: 1 when gdb sent the interrupt byte (Ctrl-C), 0
 * when nothing asks for attention, -1 when the connection is gone. Never
 * blocks. */
int mod_gdb_interrupted(void);

/* Hex helpers. mod_gdb_hex reads hex digits at *p into *v (at most 16),
 * advancing *p; returns 0, or -1 when there is none. */
int mod_gdb_hex(const char **p, uint64_t *v);
void mod_gdb_to_hex(char *out, const uint8_t *in, size_t n);
/* Decodes 2 * (n) hex digits at (in); -1 when one is not a hex digit. */
int mod_gdb_from_hex(uint8_t *out, const char *in, size_t n);

/* ---- gdb_regs.c: x86-64 registers as gdb numbers them ---- */

/* Writes the 'g' reply for the vCPU (vcpu_fd) into (out), which holds at
 * least MOD_GDB_PACKET_MAX bytes. Returns 0, or -1 when KVM fails. */
int mod_gdb_regs_read_all(int vcpu_fd, char *out);

/* 'G': sets the general registers, rip and eflags from (hex); segment and
 * floating-point values are ignored. Returns 0, or -1. */
int mod_gdb_regs_write_all(int vcpu_fd, const char *hex);

/* 'p' and 'P' for register number (n). read returns 0, or -1 when KVM
 * fails; write returns 0, -1 when KVM fails, -2 for a register that
 * cannot be written here. */
int mod_gdb_reg_read(int vcpu_fd, unsigned n, char *out);
int mod_gdb_reg_write(int vcpu_fd, unsigned n, const char *hex);

/* ---- gdb_debugregs.c: DR0-DR3, DR7, single-step ---- */

/* gdb's Z types 0 (software breakpoint) and 1 (hardware breakpoint) both
 * take a debug register; (kind) is the breakpoint's length, 1 on x86. */
enum mod_gdb_bp_result {
    MOD_GDB_BP_OK = 0,
    MOD_GDB_BP_FULL = -1,        /* all four debug registers are in use */
    MOD_GDB_BP_UNSUPPORTED = -2, /* watchpoints (gdb_debugregs.c: why) */
};

enum mod_gdb_bp_result mod_gdb_bp_insert(unsigned type, uint64_t addr,
                                         uint64_t kind);
/* Removing what is not there succeeds, as gdb expects. */
void mod_gdb_bp_remove(unsigned type, uint64_t addr, uint64_t kind);
void mod_gdb_bp_clear(void);

/* 1 when an execution breakpoint is inserted at (addr). */
int mod_gdb_bp_at(uint64_t addr);

/* How the guest is to run next. */
enum mod_gdb_mode {
    MOD_GDB_RUN,        /* until a breakpoint */
    MOD_GDB_STEP,       /* one instruction, or to a breakpoint */
    MOD_GDB_STEP_ALONE, /* one instruction, breakpoints off */
};

/* Hands the breakpoints and the (mode) to KVM. Returns 0, or -1. */
int mod_gdb_debug_apply(int vcpu_fd, enum mod_gdb_mode mode);

/* Turns every debugging feature off (detach). */
int mod_gdb_debug_off(int vcpu_fd);

/* Describes a KVM_EXIT_DEBUG for a stop reply, in (out): "swbreak:;" or
 * "hwbreak:;" for a breakpoint, "" for a single step. */
void mod_gdb_debug_reason(const struct kvm_debug_exit_arch *d, int stepping,
                          char *out, size_t size);

#endif /* MOD_GDB_H */
