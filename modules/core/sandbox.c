/* sandbox.c: closing the monitor into the filter tender-gen generated, once
 * the guest is loaded and its devices attached: every descriptor it keeps is
 * at a fixed number the filter names, every other one is closed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "monitor.h"
#include "mon_internal.h"

int mon_fd_pin(int fd, int target)
{
    /* Under a caller's filter ours is not installed, so nothing needs the
     * fixed numbers, and dup2 may not be allowed (urunc's list lacks it). */
    if (fd == target || mon_filtered_already())
        return fd;
    if (dup2(fd, target) < 0)
        mon_fatal("cannot move descriptor %d to %d: %s", fd, target,
                  strerror(errno));
    close(fd);
    return target;
}

/* Closes every descriptor but stdio, the fixed ones (48..63: the debugging
 * modules', POLL's, the vCPU, the ring's; kept whether or not they are
 * open) and the device ranges. */
static void close_others(void)
{
    static const struct {
        unsigned first, last;
    } ranges[] = {{3, MON_FD_KEEP_FIRST - 1}, {MON_FD_BLOCK_BASE + 64, ~0U}};

    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (syscall(SYS_close_range, ranges[i].first, ranges[i].last, 0) < 0)
            mon_fatal("close_range failed: %s", strerror(errno));
}

/* True when a seccomp filter is already on this process: an orchestrator
 * (urunc) may install one that does not allow installing another. */
static int filtered_already(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    const char *p = strstr(buf, "\nSeccomp:");
    return p && strtol(p + 9, NULL, 10) == 2;
}

/* Asked by modules before they start threads, and by mon_sandbox; read
 * once, before anything of ours could have installed a filter. */
int mon_filtered_already(void)
{
    static int known, filtered;

    if (!known) {
        filtered = filtered_already();
        known = 1;
    }
    return filtered;
}

void mon_turned_off(struct mon *m, const char *what)
{
    static char list[512];
    size_t len = strlen(list);

    snprintf(list + len, sizeof(list) - len, "%s%s", len ? "; " : "", what);
    m->off_under_filter = list;
}

void mon_sandbox(struct mon *m, struct mon_vm *vm)
{
    struct sock_fprog prog = {
        .len = (unsigned short)m->cfg->nseccomp,
        .filter = (struct sock_filter *)(uintptr_t)m->cfg->seccomp,
    };

    /* A personality that makes readable memory executable would undo the
     * host protection of the guest's text and rodata. */
    int persona = personality(0xffffffff);
    if (persona < 0 || (persona & READ_IMPLIES_EXEC))
        mon_fatal("refusing to run with the READ_IMPLIES_EXEC personality");
    vm->vcpu_fd = mon_fd_pin(vm->vcpu_fd, MON_FD_VCPU);
    /* Under a caller's filter nothing was moved to the fixed numbers (dup2
     * may be forbidden there), so the ranges mean nothing: keep all. */
    if (!mon_filtered_already())
        close_others();
    vm->kvm_fd = vm->vm_fd = -1;
#ifdef MON_SANITIZE
    /* The ASan/UBSan build (design.md decision 5) is a dynamic glibc build
     * whose runtimes need system calls no filter of ours should allow
     * (mmap, sigaltstack, ...): it runs unfiltered, for tests only. */
    (void)prog;
    return;
#endif
    if (mon_filtered_already()) {
        mon_warn("running under the caller's seccomp filter; not installing "
                 "this monitor's own%s%s",
                 m->off_under_filter ? "; turned off: " : "",
                 m->off_under_filter ? m->off_under_filter : "");
        return;
    }
    /* TSYNC: threads started by modules (the net ring's I/O thread) get
     * the same filter, atomically with this one. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
                &prog) != 0)
        mon_fatal("cannot install the seccomp filter: %s", strerror(errno));
}
