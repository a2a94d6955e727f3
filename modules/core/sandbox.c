/* sandbox.c: closing the monitor into the filter tender-gen generated, once
 * the guest is loaded and its devices attached: every descriptor it keeps is
 * at a fixed number the filter names, every other one is closed, whatever
 * the caller left open. Everything that differs when the caller already
 * put this process under a seccomp filter of its own (an orchestrator's,
 * such as urunc's: it may allow neither prctl nor seccomp, nor fcntl,
 * dup2, close_range, clone, flock...) is decided here, from the one read
 * of mon_filter_probe(). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "monitor.h"
#include "mon_internal.h"

/* The descriptors modules pinned: the sandbox keeps these, stdio and the
 * attached devices' (the manifest copy records those), and closes the
 * rest. Room for every fixed number and a device per handle. */
#define MON_KEPT_MAX                                                           \
    (MON_FD_FIXED_LAST - MON_FD_FIXED_FIRST + 1 + MFT_MAX_ENTRIES)
static int mon_kept[MON_KEPT_MAX];
static unsigned mon_nkept;

static void keep(int fd)
{
    if (mon_nkept == MON_KEPT_MAX)
        mon_fatal("too many descriptors to keep (%d)", MON_KEPT_MAX);
    mon_kept[mon_nkept++] = fd;
}

int mon_fd_pin(int fd, int target)
{
    /* Under a caller's filter ours is not installed, so nothing needs the
     * fixed numbers, and dup2 may not be allowed (urunc's list lacks it):
     * the descriptor is kept where it is. */
    if (fd == target || mon_filtered_already()) {
        keep(fd);
        return fd;
    }
    if (dup2(fd, target) < 0)
        mon_fatal("cannot move descriptor %d to %d: %s", fd, target,
                  strerror(errno));
    close(fd);
    keep(target);
    return target;
}

/* Holds (first..last) where they are free, with copies of (src); skips
 * the numbers already open. */
static void reserve(int src, int first, int last)
{
    for (int t = first; t <= last; t++) {
        int fd = fcntl(src, F_DUPFD_CLOEXEC, t);
        if (fd < 0)
            return; /* above RLIMIT_NOFILE: the pin itself will say so */
        if (fd > last)
            close(fd);
        t = fd; /* t..fd-1 are open already */
    }
}

void mon_fd_reserve(const struct mon_config *cfg)
{
    /* Under a caller's filter nothing is pinned (and fcntl may be
     * forbidden). */
    if (mon_filtered_already())
        return;
    int src = fcntl(STDERR_FILENO, F_GETFD) >= 0
                  ? STDERR_FILENO
                  : open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (src < 0)
        return;
    reserve(src, MON_FD_FIXED_FIRST, MON_FD_FIXED_LAST);
    for (size_t t = 0; t < cfg->ndevtypes; t++)
        reserve(src, cfg->devtypes[t].fd_base + 1,
                cfg->devtypes[t].fd_base + (int)cfg->devtypes[t].max);
    if (src != STDERR_FILENO)
        close(src);
}

/* The value of one "Name:\tvalue" line of /proc/self/status, or -1. */
static long status_value(const char *name)
{
    char buf[4096], key[32];
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    snprintf(key, sizeof(key), "\n%s:", name);
    const char *p = strstr(buf, key);
    if (!p)
        return -1;
    /* The value: tabs, then decimal digits (musl's strtol would bring its
     * stdio-based scanner into every monitor). */
    long v = 0;
    for (p += strlen(key); *p == '\t' || *p == ' '; p++)
        ;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9' && v < 100000000; p++)
        v = v * 10 + (*p - '0');
    return v;
}

/* Closes (first..last) but what lies at or above (*bound), the size of the
 * descriptor table, which no open descriptor reaches: close_range when it
 * may be called, else one close per number (a caller's filter may allow
 * nothing else: urunc's list has neither close_range, nor getdents64 to
 * list /proc/self/fd, nor fcntl). */
static void close_gap(unsigned first, unsigned last, long *bound)
{
    if (!mon_filtered_already() &&
        syscall(SYS_close_range, first, last, 0) == 0)
        return;
    if (*bound < 0 && (*bound = status_value("FDSize")) < 0)
        mon_fatal("cannot read the descriptor table's size (FDSize) from "
                  "/proc/self/status");
    for (unsigned fd = first; fd <= last && fd < (unsigned long)*bound; fd++)
        close((int)fd);
}

/* The lowest of the (n) descriptors in (kept) at or above (from), or -1. */
static int next_kept(const int *kept, unsigned n, unsigned from)
{
    int low = -1;

    for (unsigned i = 0; i < n; i++)
        if ((unsigned)kept[i] >= from && (low < 0 || kept[i] < low))
            low = kept[i];
    return low;
}

/* Closes every descriptor but stdio, the pinned ones and the attached
 * devices', whether the caller or the monitor opened it. */
static void close_others(const struct mon *m)
{
    int kept[3 + MON_KEPT_MAX + MFT_MAX_ENTRIES] = {0, 1, 2};
    unsigned n = 3, next = 0; /* next: the lowest number not yet handled */
    long bound = -1;

    memcpy(kept + n, mon_kept, mon_nkept * sizeof(int));
    n += mon_nkept;
    for (uint32_t h = 1; h < m->mft->entries; h++)
        if (m->mft->e[h].attached && m->mft->e[h].b.hostfd >= 0)
            kept[n++] = m->mft->e[h].b.hostfd;
    for (int k; (k = next_kept(kept, n, next)) >= 0; next = (unsigned)k + 1)
        if ((unsigned)k > next)
            close_gap(next, (unsigned)k - 1, &bound);
    close_gap(next, ~0U, &bound);
}

/* -1 until mon_filter_probe() read it. */
static int caller_filter = -1;

void mon_filter_probe(void)
{
    caller_filter = status_value("Seccomp") == 2;
}

int mon_filtered_already(void)
{
    if (caller_filter < 0)
        mon_filter_probe(); /* the fuzzer's and the drop-in's paths */
    return caller_filter;
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
    close_others(m);
    vm->kvm_fd = vm->vm_fd = -1;
#ifdef MON_SANITIZE
    /* The ASan/UBSan build (docs/design.md decision 5) is a dynamic glibc build
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
