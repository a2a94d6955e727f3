/* gdb.c: the gdb module, a GDB remote protocol stub for the guest, opt-in
 * (tender-gen --with gdb, or modules: [gdb] in the manifest).
 *
 * Options: --gdb waits for a debugger before the guest's first
 * instruction, on a Unix socket only this user and root can reach;
 * --gdb=unix:PATH and --gdb-tcp=PORT choose where (gdb_listen.c: where,
 * and who may connect).
 *
 * The connection is accepted before the sandbox closes and the listening
 * socket closed, so the filter needs no accept: one debugger per run. When
 * it detaches or goes away, the guest runs on without it.
 *
 * The stub serves registers (g, G, p, P), guest memory (m, M, X; guest
 * addresses are physical, which the hvt page tables map one to one),
 * breakpoints in the debug registers (Z0, Z1, z: gdb_debugregs.c says why
 * never int3, and why no watchpoints), single-step and continue (s, c,
 * vCont), Ctrl-C, detach and kill, and reports the guest's exit (W) and,
 * when the monitor stops the guest for a fault, a SIGSEGV stop gdb can
 * inspect before the monitor exits.
 *
 * Ctrl-C: gdb sends 0x03 while the guest runs, and the monitor has one
 * thread, inside KVM_RUN. The connection is set to raise SIGIO on the vCPU
 * thread when data arrives (O_ASYNC, F_SETOWN_EX); the handler sets the
 * vCPU's immediate_exit, so KVM_RUN returns at once even when the signal
 * lands just before it; then before_run reads the byte. A guest waiting in
 * POLL (solo5_yield) is stopped when its wait ends.
 *
 * Guest memory is read and written through /proc/self/mem, where a host
 * read-only or unreadable page gives an error, never a crash. The system
 * calls it needs after setup are listed with their reasons in module.yml,
 * which the filter is made from. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../include/tender_fds.h"
#include "../core/monitor.h"
#include "gdb.h"

#define MOD_GDB_SIGINT 2
#define MOD_GDB_SIGTRAP 5
#define MOD_GDB_SIGSEGV 11

enum { MOD_GDB_STAY, MOD_GDB_RESUME };

static struct {
    int wanted;     /* one of the --gdb options */
    int attached;   /* a debugger is connected and has not detached */
    int primed;     /* the vCPU has been through KVM_RUN once */
    int started;    /* the stop before the first instruction is done */
    int stepping;   /* the guest runs one instruction */
    int step_alone; /* first one instruction with breakpoints off */
    int dead;       /* the guest faulted: it cannot run again */
    volatile sig_atomic_t io;     /* SIGIO since before_run last looked */
    struct kvm_run *volatile run; /* for the SIGIO handler */
    char stop[96];                /* the last stop reply, for '?' */
} mod_gdb_st;

static char mod_gdb_in[MOD_GDB_PACKET_MAX];
static char mod_gdb_out[MOD_GDB_PACKET_MAX];
static uint8_t mod_gdb_bytes[MOD_GDB_PACKET_MAX / 2];

/* ---- options ---------------------------------------------------------- */

static int mod_gdb_option(struct mon *m, const char *arg)
{
    (void)m;
    int rc = mod_gdb_listen_option(arg);
    if (rc > 0)
        mod_gdb_st.wanted = 1;
    return rc;
}

/* ---- connecting, before the sandbox closes ---------------------------- */

static void mod_gdb_sigio(int sig)
{
    (void)sig;
    mod_gdb_st.io = 1;
    if (mod_gdb_st.run)
        mod_gdb_st.run->immediate_exit = 1;
}

/* SIGIO on this (the vCPU) thread whenever the debugger sends something. */
static int mod_gdb_async(int fd)
{
    struct sigaction sa = {.sa_handler = mod_gdb_sigio, .sa_flags = SA_RESTART};
    struct f_owner_ex owner = {.type = F_OWNER_TID,
                               .pid = (pid_t)syscall(SYS_gettid)};
    int fl = fcntl(fd, F_GETFL);

    if (sigaction(SIGIO, &sa, NULL) < 0 || fcntl(fd, F_SETOWN_EX, &owner) < 0 ||
        fl < 0 || fcntl(fd, F_SETFL, fl | O_ASYNC) < 0) {
        mon_warn("gdb: cannot set up the connection: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static int mod_gdb_start(struct mon *m, int vm_fd)
{
    (void)m;
    (void)vm_fd;
    if (!mod_gdb_st.wanted)
        return 0;
    if (mon_filtered_already()) {
        mon_warn("--gdb: not available under the caller's seccomp filter");
        return -1;
    }
    int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (mem < 0) {
        mon_warn("gdb: cannot open /proc/self/mem: %s", strerror(errno));
        return -1;
    }
    mon_fd_pin(mem, MON_FD_GDB_MEM);
    int c = mod_gdb_accept();
    if (c < 0)
        return -1;
    c = mon_fd_pin(c, MON_FD_GDB_CONN);
    if (mod_gdb_async(c) < 0)
        return -1;
    mod_gdb_proto_init(c);
    mod_gdb_st.attached = 1;
    mon_warn("gdb: debugger connected");
    return 0;
}

/* ---- guest memory ------------------------------------------------------ */

/* Guest-physical range (addr, len) inside guest memory, the net ring's
 * reserve included (the guest maps it too). */
static int mod_gdb_in_guest(const struct mon *m, uint64_t addr, uint64_t len)
{
    uint64_t limit = m->mem_size + m->mem_reserved;

    return addr < limit && len <= limit - addr;
}

static off_t mod_gdb_host(const struct mon *m, uint64_t addr)
{
    return (off_t)(uintptr_t)(m->mem + addr);
}

/* "ADDR,LEN" at *p; advances *p past it. */
static int mod_gdb_addr_len(const char **p, uint64_t *addr, uint64_t *len)
{
    if (mod_gdb_hex(p, addr) < 0 || *(*p)++ != ',' || mod_gdb_hex(p, len) < 0)
        return -1;
    return 0;
}

static void mod_gdb_mem_read(struct mon *m, const char *p, char *out)
{
    uint64_t addr, len;

    if (mod_gdb_addr_len(&p, &addr, &len) < 0) {
        strcpy(out, "E16");
        return;
    }
    if (len > sizeof(mod_gdb_bytes) - 1)
        len = sizeof(mod_gdb_bytes) - 1; /* gdb takes a shorter answer */
    ssize_t n =
        mod_gdb_in_guest(m, addr, len)
            ? pread(MON_FD_GDB_MEM, mod_gdb_bytes, len, mod_gdb_host(m, addr))
            : -1;
    if (n <= 0 && len > 0) {
        strcpy(out, "E14");
        return;
    }
    mod_gdb_to_hex(out, mod_gdb_bytes, n > 0 ? (size_t)n : 0);
}

/* X data: binary, with '#', '$', '}' and '*' escaped as '}' then the byte
 * XOR 0x20. Returns the decoded length, or -1 when it does not match. */
static long mod_gdb_unescape(const char *p, size_t n, uint8_t *out, size_t want)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        if (k == want)
            return -1;
        out[k++] = (uint8_t)(p[i] == '}' && i + 1 < n ? p[++i] ^ 0x20 : p[i]);
    }
    return k == want ? (long)k : -1;
}

/* M (hex) and X (binary) writes. */
static void mod_gdb_mem_write(struct mon *m, const char *pkt, size_t pktlen,
                              char *out)
{
    const char *p = pkt + 1;
    uint64_t addr, len;

    strcpy(out, "E16");
    if (mod_gdb_addr_len(&p, &addr, &len) < 0 || *p++ != ':' ||
        len > sizeof(mod_gdb_bytes))
        return;
    size_t rest = pktlen - (size_t)(p - pkt);
    if (pkt[0] == 'M'
            ? rest != 2 * len || mod_gdb_from_hex(mod_gdb_bytes, p, len) < 0
            : mod_gdb_unescape(p, rest, mod_gdb_bytes, len) < 0)
        return;
    strcpy(out, "E14");
    if (len > 0 && (!mod_gdb_in_guest(m, addr, len) ||
                    pwrite(MON_FD_GDB_MEM, mod_gdb_bytes, len,
                           mod_gdb_host(m, addr)) != (ssize_t)len))
        return;
    strcpy(out, "OK");
}

/* ---- breakpoints, registers ------------------------------------------- */

static void mod_gdb_breakpoint(const char *pkt, char *out)
{
    const char *p = pkt + 1;
    uint64_t type, addr, len;

    strcpy(out, "E16");
    if (mod_gdb_hex(&p, &type) < 0 || *p++ != ',' ||
        mod_gdb_addr_len(&p, &addr, &len) < 0)
        return;
    if (pkt[0] == 'z') {
        mod_gdb_bp_remove((unsigned)type, addr, len);
        strcpy(out, "OK");
        return;
    }
    switch (mod_gdb_bp_insert((unsigned)type, addr, len)) {
    case MOD_GDB_BP_OK:
        strcpy(out, "OK");
        break;
    case MOD_GDB_BP_FULL:
        strcpy(out, "E1c"); /* ENOSPC: the four debug registers are taken */
        break;
    case MOD_GDB_BP_UNSUPPORTED:
        out[0] = 0;
        break;
    }
}

static void mod_gdb_registers(struct mon *m, const char *pkt, char *out)
{
    const char *p = pkt + 1;
    uint64_t n;
    int rc;

    switch (pkt[0]) {
    case 'g':
        rc = mod_gdb_regs_read_all(m->vcpu_fd, out);
        break;
    case 'G':
        rc = mod_gdb_regs_write_all(m->vcpu_fd, p);
        strcpy(out, "OK");
        break;
    case 'p':
        rc = mod_gdb_hex(&p, &n) < 0
                 ? -2
                 : mod_gdb_reg_read(m->vcpu_fd, (unsigned)n, out);
        break;
    default: /* P */
        rc = mod_gdb_hex(&p, &n) < 0 || *p++ != '='
                 ? -2
                 : mod_gdb_reg_write(m->vcpu_fd, (unsigned)n, p);
        strcpy(out, "OK");
        break;
    }
    if (rc < 0)
        strcpy(out, rc == -1 ? "E01" : "E16");
}

/* ---- stopping and resuming -------------------------------------------- */

static void mod_gdb_query(const char *p, char *out)
{
    if (strncmp(p, "qSupported", 10) == 0)
        snprintf(out, MOD_GDB_PACKET_MAX,
                 "PacketSize=%x;QStartNoAckMode+;swbreak+;hwbreak+;"
                 "vContSupported+",
                 MOD_GDB_PACKET_MAX);
    else if (strcmp(p, "qAttached") == 0)
        strcpy(out, "1");
    else if (strcmp(p, "qC") == 0)
        strcpy(out, "QC1");
    else if (strcmp(p, "qfThreadInfo") == 0)
        strcpy(out, "m1");
    else if (strcmp(p, "qsThreadInfo") == 0)
        strcpy(out, "l");
    else if (strncmp(p, "qSymbol", 7) == 0)
        strcpy(out, "OK");
}

/* Debugging off; the guest runs on by itself. */
static void mod_gdb_detach(struct mon *m, const char *why)
{
    mod_gdb_st.attached = 0;
    mod_gdb_st.stepping = mod_gdb_st.step_alone = 0;
    if (mod_gdb_debug_off(m->vcpu_fd) < 0)
        mon_fatal("gdb: cannot turn guest debugging off: %s", strerror(errno));
    mon_warn("gdb: %s; the guest runs on", why);
}

/* Resuming from an execution breakpoint that is still inserted would stop
 * on it again at once, and some hosts ignore the resume flag (RF) that
 * would let the instruction through: the stub steps over it with the
 * breakpoints off first. (gdb removes its breakpoints to step over them
 * itself; other clients may not.) */
static int mod_gdb_on_breakpoint(const struct mon *m)
{
    struct kvm_regs r;

    return ioctl(m->vcpu_fd, KVM_GET_REGS, &r) == 0 && mod_gdb_bp_at(r.rip);
}

/* c, s, vCont: after a fault the guest cannot go on: report how it ended. */
static int mod_gdb_resume(struct mon *m, int step)
{
    if (mod_gdb_st.dead) {
        mod_gdb_send("X0b");
        mod_gdb_st.attached = 0;
        return MOD_GDB_RESUME;
    }
    mod_gdb_st.stepping = step;
    mod_gdb_st.step_alone = mod_gdb_on_breakpoint(m);
    return MOD_GDB_RESUME;
}

static int mod_gdb_vpacket(struct mon *m, const char *p, char *out)
{
    if (strcmp(p, "vCont?") == 0)
        strcpy(out, "vCont;c;C;s;S");
    else if (strncmp(p, "vCont;", 6) == 0 &&
             (p[6] == 'c' || p[6] == 'C' || p[6] == 's' || p[6] == 'S'))
        return mod_gdb_resume(m, p[6] == 's' || p[6] == 'S');
    else if (strncmp(p, "vKill", 5) == 0) {
        mon_warn("gdb: the debugger killed the guest");
        _exit(1);
    }
    return MOD_GDB_STAY;
}

/* One packet while the guest is stopped. */
static int mod_gdb_command(struct mon *m, const char *p, size_t len)
{
    char *out = mod_gdb_out;

    out[0] = 0;
    switch (p[0]) {
    case '?':
        snprintf(out, MOD_GDB_PACKET_MAX, "%s", mod_gdb_st.stop);
        break;
    case 'q':
        mod_gdb_query(p, out);
        break;
    case 'Q':
        if (strcmp(p, "QStartNoAckMode") == 0) {
            mod_gdb_proto_noack(); /* the OK itself is not acknowledged */
            strcpy(out, "OK");
        }
        break;
    case 'H':
    case 'T':
        strcpy(out, "OK");
        break;
    case 'g':
    case 'G':
    case 'p':
    case 'P':
        mod_gdb_registers(m, p, out);
        break;
    case 'm':
        mod_gdb_mem_read(m, p + 1, out);
        break;
    case 'M':
    case 'X':
        mod_gdb_mem_write(m, p, len, out);
        break;
    case 'Z':
    case 'z':
        mod_gdb_breakpoint(p, out);
        break;
    case 'c':
    case 'C':
    case 's':
    case 'S':
        return mod_gdb_resume(m, p[0] == 's' || p[0] == 'S');
    case 'v':
        if (mod_gdb_vpacket(m, p, out) == MOD_GDB_RESUME)
            return MOD_GDB_RESUME;
        break;
    case 'D':
        mod_gdb_send("OK");
        mod_gdb_detach(m, "the debugger detached");
        return MOD_GDB_RESUME;
    case 'k':
        mon_warn("gdb: the debugger killed the guest");
        _exit(1);
    }
    if (mod_gdb_send(out) < 0) {
        mod_gdb_detach(m, "the debugger's connection closed");
        return MOD_GDB_RESUME;
    }
    return MOD_GDB_STAY;
}

static void mod_gdb_stop(struct mon *m, int sig, const char *reason);

/* Resuming: gdb's breakpoints and stepping go to KVM, then anything gdb
 * sent meanwhile that was not a packet is looked at: Ctrl-C stops again. */
static void mod_gdb_go(struct mon *m)
{
    if (!mod_gdb_st.attached)
        return;
    if (mod_gdb_debug_apply(m->vcpu_fd,
                            mod_gdb_st.step_alone ? MOD_GDB_STEP_ALONE
                            : mod_gdb_st.stepping ? MOD_GDB_STEP
                                                  : MOD_GDB_RUN) < 0) {
        mon_warn("gdb: KVM_SET_GUEST_DEBUG failed: %s", strerror(errno));
        mod_gdb_detach(m, "guest debugging failed");
        return;
    }
    mod_gdb_st.io = 0;
    m->run->immediate_exit = 0;
    int r = mod_gdb_interrupted();
    if (r < 0)
        mod_gdb_detach(m, "the debugger's connection closed");
    else if (r > 0)
        mod_gdb_stop(m, MOD_GDB_SIGINT, "");
}

/* Serves the debugger until it resumes the guest. */
static void mod_gdb_serve(struct mon *m)
{
    size_t len;

    for (;;) {
        if (mod_gdb_recv(mod_gdb_in, sizeof(mod_gdb_in), &len) < 0) {
            mod_gdb_detach(m, "the debugger's connection closed");
            return;
        }
        if (mod_gdb_command(m, mod_gdb_in, len) == MOD_GDB_RESUME)
            break;
    }
    if (!mod_gdb_st.dead)
        mod_gdb_go(m);
}

/* Answers the resume command that led here with the stop, then serves. */
static void mod_gdb_stop(struct mon *m, int sig, const char *reason)
{
    snprintf(mod_gdb_st.stop, sizeof(mod_gdb_st.stop), "T%02xthread:01;%s", sig,
             reason);
    if (mod_gdb_send(mod_gdb_st.stop) < 0) {
        mod_gdb_detach(m, "the debugger's connection closed");
        return;
    }
    mod_gdb_serve(m);
}

/* ---- the core's hooks -------------------------------------------------- */

static void mod_gdb_before_run(struct mon *m)
{
    if (!mod_gdb_st.primed && mod_gdb_st.attached) {
        /* The core may hand the vCPU its first registers in the kvm_run
         * page (KVM_CAP_SYNC_REGS), which KVM takes at the first KVM_RUN:
         * until then KVM_GET_REGS reads the reset state. One KVM_RUN that
         * returns before the first instruction (immediate_exit) makes
         * them the real ones for gdb. */
        mod_gdb_st.primed = 1;
        m->run->immediate_exit = 1;
        return;
    }
    if (!mod_gdb_st.started) {
        mod_gdb_st.started = 1;
        mod_gdb_st.run = m->run;
        m->run->immediate_exit = 0;
        /* The debugger asks why the guest stopped ('?'); nothing is sent
         * before it does. */
        snprintf(mod_gdb_st.stop, sizeof(mod_gdb_st.stop), "T%02xthread:01;",
                 MOD_GDB_SIGTRAP);
        if (mod_gdb_st.attached)
            mod_gdb_serve(m);
        return;
    }
    if (!mod_gdb_st.io)
        return;
    mod_gdb_st.io = 0;
    m->run->immediate_exit = 0;
    if (!mod_gdb_st.attached)
        return;
    int r = mod_gdb_interrupted();
    if (r < 0)
        mod_gdb_detach(m, "the debugger's connection closed");
    else if (r > 0)
        mod_gdb_stop(m, MOD_GDB_SIGINT, "");
}

static int mod_gdb_exit_hook(struct mon *m)
{
    char reason[48];

    if (m->run->exit_reason != KVM_EXIT_DEBUG)
        return 0;
    if (!mod_gdb_st.attached) {
        /* Left over from a debugger that went away: turn it off. */
        if (mod_gdb_debug_off(m->vcpu_fd) < 0)
            return 0;
        return 1;
    }
    if (mod_gdb_st.step_alone) {
        mod_gdb_st.step_alone = 0;
        if (!mod_gdb_st.stepping) {
            mod_gdb_go(m); /* past the breakpoint: on, with them back in */
            return 1;
        }
    }
    mod_gdb_debug_reason(&m->run->debug.arch, mod_gdb_st.stepping, reason,
                         sizeof(reason));
    mod_gdb_stop(m, MOD_GDB_SIGTRAP, reason);
    return 1;
}

static void mod_gdb_halt(struct mon *m, hvt_gpa_t cookie)
{
    char w[8];

    (void)cookie;
    if (!mod_gdb_st.attached)
        return;
    snprintf(w, sizeof(w), "W%02x", (unsigned)m->exit_status & 0xff);
    mod_gdb_send(w);
    mod_gdb_st.attached = 0;
}

/* The monitor is stopping the guest: gdb prints why (an O packet), and may
 * look at registers and memory before the monitor exits. */
static void mod_gdb_fault(struct mon *m, const char *reason)
{
    static char msg[2 * 512 + 8];
    size_t n = strnlen(reason, 500);

    if (!mod_gdb_st.attached || !mod_gdb_st.started)
        return;
    mod_gdb_st.dead = 1;
    msg[0] = 'O';
    mod_gdb_to_hex(msg + 1, (const uint8_t *)reason, n);
    mod_gdb_to_hex(msg + 1 + 2 * n, (const uint8_t *)"\n", 1);
    mod_gdb_send(msg);
    mod_gdb_stop(m, MOD_GDB_SIGSEGV, "");
}

static const struct mon_module mod_gdb = {
    .name = "gdb",
    .option = mod_gdb_option,
    .start = mod_gdb_start,
    .halt = mod_gdb_halt,
    .before_run = mod_gdb_before_run,
    .exit_hook = mod_gdb_exit_hook,
    .on_fault = mod_gdb_fault,
};
