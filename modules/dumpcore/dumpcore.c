/* dumpcore.c: the dumpcore module, opt-in (tender-gen --with dumpcore, or
 * modules: [dumpcore] in the manifest): --dumpcore=DIR writes an ELF core
 * of the guest into DIR when the guest aborts (exit status 255) or when
 * the monitor stops it for a fault, and names the file on stderr.
 * `gdb GUEST.hvt CORE` then shows where the guest was.
 *
 * Registers: the vCPU's at the end; when the guest aborted from a trap and
 * passed Solo5's trap frame {cr2, ec, rip, cs, rflags, rsp, ss} as HALT's
 * cookie (kernel/'s trap.c does), rip, cs, rflags, rsp and ss are the
 * trapping instruction's, so a backtrace starts in the faulting function.
 *
 * The file is core.GUEST.PID (core.GUEST.PID.1 ... if that exists): never
 * an existing file. DIR is opened before the sandbox closes; the filter
 * then allows openat only relative to that descriptor and only with
 * O_CREAT | O_EXCL (MON_DUMPCORE_OPEN_FLAGS), pwrite64 only on the
 * descriptor openat returns, which is known in advance
 * (MON_FD_DUMPCORE_FILE), and guest memory is read through /proc/self/mem.
 * module.yml lists these system calls, their pins and their reasons; the
 * filter is made from it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "../../include/tender_fds.h"
#include "../core/monitor.h"
#include "dumpcore.h"

#define MOD_DUMPCORE_TRIES 10 /* core.G.P, then core.G.P.1 .. .9 */

static struct {
    const char *dir; /* --dumpcore=DIR; NULL when not asked for */
    pid_t pid;
} mod_dumpcore_st;

/* Solo5's trap frame (docs/hvt-abi.md §5.3), HALT's cookie after a trap. */
struct mod_dumpcore_trap {
    uint64_t cr2, ec, rip, cs, rflags, rsp, ss;
};

static int mod_dumpcore_option(struct mon *m, const char *arg)
{
    (void)m;
    if (strncmp(arg, "--dumpcore=", 11) != 0)
        return 0;
    if (mod_dumpcore_st.dir) {
        mon_warn("--dumpcore given twice");
        return -1;
    }
    if (arg[11] == 0) {
        mon_warn("--dumpcore needs a directory: --dumpcore=DIR");
        return -1;
    }
    mod_dumpcore_st.dir = arg + 11;
    return 1;
}

/* openat returns the lowest free descriptor: with 0..2 open it is 3, the
 * one the filter lets the core be written to. */
static int mod_dumpcore_stdio(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
            open("/dev/null", O_RDWR) != fd) {
            mon_warn("--dumpcore: cannot open /dev/null as descriptor %d", fd);
            return -1;
        }
    return 0;
}

static int mod_dumpcore_attach(struct mon *m)
{
    const char *dir = mod_dumpcore_st.dir;

    (void)m;
    if (!dir)
        return 0;
    /* Another filter may not allow openat and pwrite64: the guest's abort
     * would then kill the monitor (SIGSYS) instead of exiting 255. */
    if (mon_filtered_already()) {
        mon_warn("--dumpcore: not available under the caller's seccomp "
                 "filter");
        return -1;
    }
    int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || access(dir, W_OK | X_OK) < 0) {
        mon_warn("--dumpcore=%s: %s", dir,
                 errno == ENOTDIR ? "not a directory" : strerror(errno));
        return -1;
    }
    mon_fd_pin(dfd, MON_FD_DUMPCORE_DIR);
    int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    if (mem < 0) {
        mon_warn("--dumpcore: cannot open /proc/self/mem: %s", strerror(errno));
        return -1;
    }
    mon_fd_pin(mem, MON_FD_DUMPCORE_MEM);
    mod_dumpcore_st.pid = getpid();
    return mod_dumpcore_stdio();
}

/* The vCPU's registers as gdb reads them from an x86-64 Linux core. */
static int mod_dumpcore_regs(const struct mon *m, struct user_regs_struct *u)
{
    struct kvm_regs r;
    struct kvm_sregs s;

    if (ioctl(m->vcpu_fd, KVM_GET_REGS, &r) < 0 ||
        ioctl(m->vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return -1;
    *u = (struct user_regs_struct){.r15 = r.r15,
                                   .r14 = r.r14,
                                   .r13 = r.r13,
                                   .r12 = r.r12,
                                   .rbp = r.rbp,
                                   .rbx = r.rbx,
                                   .r11 = r.r11,
                                   .r10 = r.r10,
                                   .r9 = r.r9,
                                   .r8 = r.r8,
                                   .rax = r.rax,
                                   .rcx = r.rcx,
                                   .rdx = r.rdx,
                                   .rsi = r.rsi,
                                   .rdi = r.rdi,
                                   .orig_rax = ~0UL, /* not in a system call */
                                   .rip = r.rip,
                                   .cs = s.cs.selector,
                                   .eflags = r.rflags,
                                   .rsp = r.rsp,
                                   .ss = s.ss.selector,
                                   .fs_base = s.fs.base,
                                   .gs_base = s.gs.base,
                                   .ds = s.ds.selector,
                                   .es = s.es.selector,
                                   .fs = s.fs.selector,
                                   .gs = s.gs.selector};
    return 0;
}

/* Where the guest trapped, from the trap frame at (cookie). */
static void mod_dumpcore_trap(const struct mon *m, hvt_gpa_t cookie,
                              struct user_regs_struct *u)
{
    struct mod_dumpcore_trap t;

    if (pread(MON_FD_DUMPCORE_MEM, &t, sizeof(t),
              (off_t)(uintptr_t)(m->mem + cookie)) != (ssize_t)sizeof(t))
        return;
    u->rip = t.rip;
    u->cs = t.cs;
    u->eflags = t.rflags;
    u->rsp = t.rsp;
    u->ss = t.ss;
}

/* Creates core.GUEST.PID, or the first free core.GUEST.PID.N, in DIR. */
static int mod_dumpcore_create(const struct mon *m, char *name, size_t size)
{
    const char *base = strrchr(m->kernel, '/');

    base = base ? base + 1 : m->kernel;
    for (int i = 0; i < MOD_DUMPCORE_TRIES; i++) {
        int n = snprintf(name, size, "core.%.64s.%d", base,
                         (int)mod_dumpcore_st.pid);
        if (i > 0 && n > 0 && (size_t)n < size)
            snprintf(name + n, size - (size_t)n, ".%d", i);
        long fd = syscall(SYS_openat, MON_FD_DUMPCORE_DIR, name,
                          MON_DUMPCORE_OPEN_FLAGS, 0600);
        if (fd >= 0)
            return (int)fd;
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

static void mod_dumpcore_dump(struct mon *m, int sig, hvt_gpa_t cookie)
{
    struct mod_dumpcore_info info = {
        .signal = sig, .pid = mod_dumpcore_st.pid, .name = m->kernel};
    struct mod_dumpcore_range r[2] = {
        {0, m->mem_size, m->mem},
        {m->mem_size, m->mem_reserved, m->mem + m->mem_size}};
    uint64_t written, total;
    char name[128];

    if (mod_dumpcore_regs(m, &info.regs) < 0) {
        mon_warn("dumpcore: cannot read the guest's registers: %s",
                 strerror(errno));
        return;
    }
    if (cookie)
        mod_dumpcore_trap(m, cookie, &info.regs);
    int fd = mod_dumpcore_create(m, name, sizeof(name));
    if (fd < 0) {
        mon_warn("dumpcore: cannot create a core file in %s: %s",
                 mod_dumpcore_st.dir, strerror(errno));
        return;
    }
#ifndef MON_SANITIZE
    /* The filter allows writing to this one descriptor only. */
    if (fd != MON_FD_DUMPCORE_FILE) {
        mon_warn("dumpcore: %s/%s got descriptor %d, not %d; not written",
                 mod_dumpcore_st.dir, name, fd, MON_FD_DUMPCORE_FILE);
        return;
    }
#endif
    if (mod_dumpcore_write(fd, MON_FD_DUMPCORE_MEM, &info, r,
                           m->mem_reserved ? 2 : 1, &written, &total) < 0) {
        mon_warn("dumpcore: writing %s/%s failed: %s", mod_dumpcore_st.dir,
                 name, strerror(errno));
        return;
    }
    /* The path ends the line, as solo5-hvt-debug's does: tools take it
     * from there. */
    mon_warn("dumpcore: guest core (%llu of %llu pages) written to %s/%s",
             (unsigned long long)written, (unsigned long long)total,
             mod_dumpcore_st.dir, name);
}

static void mod_dumpcore_halt(struct mon *m, hvt_gpa_t cookie)
{
    if (mod_dumpcore_st.dir && (m->exit_status & 0xff) == 255)
        mod_dumpcore_dump(m, SIGABRT, cookie);
}

static void mod_dumpcore_fault(struct mon *m, const char *reason)
{
    (void)reason;
    if (mod_dumpcore_st.dir)
        mod_dumpcore_dump(m, SIGSEGV, 0);
}

static const struct mon_module mod_dumpcore = {
    .name = "dumpcore",
    .option = mod_dumpcore_option,
    .attach = mod_dumpcore_attach,
    .halt = mod_dumpcore_halt,
    .on_fault = mod_dumpcore_fault,
};
