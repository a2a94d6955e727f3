/* spt_sandbox.c: closing the process around the guest. The guest shares
 * this process, so the seccomp filter is its whole sandbox: everything
 * here runs before its first instruction, and nothing of the monitor runs
 * after. */
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spt.h"

/* Whether a filter may already be on this process: prctl(PR_GET_SECCOMP)
 * says 0 when none is, at the cost of one system call (reading
 * "Seccomp:" in /proc/self/status costs an open, a formatted page and a
 * close). Anything else, 2 or an error from a caller's filter that
 * refuses prctl with an errno, is left to may_add_filter(). A caller's
 * filter that kills on prctl ends the monitor here, by SIGSYS, before any
 * guest code is loaded, let alone run. */
static int maybe_filtered(void)
{
    return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0;
}

/* Whether this process may still add a filter: tried in a child, since a
 * caller's filter may kill the process that tries. */
static int may_add_filter(void)
{
    uint32_t action = SECCOMP_RET_KILL_PROCESS;
    int status;
    pid_t pid = fork();

    if (pid == 0)
        _exit(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
                      syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0,
                              &action) == 0
                  ? 0
                  : 1);
    if (pid < 0)
        return 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Refuses, before anything is attached, what would leave the guest
 * without this monitor's own filter, or with executable data: the
 * READ_IMPLIES_EXEC personality, and a caller's filter that forbids adding
 * ours. A caller's filter that allows it stays on too: the kernel applies
 * both, and the guest gets what both allow. */
void spt_filter_probe(void)
{
    if (personality(0xffffffff) & READ_IMPLIES_EXEC)
        mon_fatal("refusing to run with the READ_IMPLIES_EXEC personality: "
                  "the guest's readable memory would be executable");
    if (maybe_filtered() && !may_add_filter())
        mon_fatal("a seccomp filter on this process forbids adding another: "
                  "refusing to run the guest without this monitor's own "
                  "filter");
}

static int kept(const struct spt *s, int fd)
{
    if (fd == MON_FD_STDOUT || fd == MON_FD_POLL_EPOLL ||
        fd == MON_FD_POLL_TIMER)
        return 1;
    for (uint32_t i = 1; i < s->mft->entries; i++)
        if (s->mft->e[i].attached && s->mft->e[i].b.hostfd == fd)
            return 1;
    return 0;
}

/* Closes, with close_range, every descriptor outside the kept ones.
 * Returns -1 when the kernel or a caller's filter refuses close_range. */
static int close_gaps(const struct spt *s)
{
    int keep[3 + MFT_MAX_ENTRIES] = {MON_FD_STDOUT, MON_FD_POLL_EPOLL,
                                     MON_FD_POLL_TIMER};
    unsigned n = 3, lo = 0;

    for (uint32_t i = 1; i < s->mft->entries; i++)
        if (s->mft->e[i].attached)
            keep[n++] = s->mft->e[i].b.hostfd;
    for (unsigned i = 1; i < n; i++) /* insertion sort: a few dozen */
        for (unsigned j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int t = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = t;
        }
    for (unsigned i = 0; i < n; i++) {
        unsigned k = (unsigned)keep[i];
        if (k > lo && syscall(SYS_close_range, lo, k - 1, 0) < 0)
            return -1;
        if (k + 1 > lo)
            lo = k + 1;
    }
    return syscall(SYS_close_range, lo, ~0U, 0) < 0 ? -1 : 0;
}

/* Closes each descriptor /proc/self/fd lists but the kept ones. Out of
 * line: its list of 4 KiB would otherwise deepen spt_close_others()'s
 * frame by a page of stack, one more page fault, on the usual path,
 * which does not need it. */
static __attribute__((noinline)) void close_listed(const struct spt *s)
{
    int fds[1024];
    unsigned n = 0;
    struct dirent *e;
    DIR *d = opendir("/proc/self/fd");

    if (!d)
        mon_fatal("cannot list this process's descriptors (/proc/self/fd): "
                  "%s",
                  strerror(errno));
    while ((e = readdir(d)) != NULL && n < sizeof(fds) / sizeof(fds[0]))
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
            fds[n++] = atoi(e->d_name);
    if (e != NULL)
        mon_fatal("too many open descriptors");
    int own = dirfd(d);
    for (unsigned i = 0; i < n; i++)
        if (fds[i] != own && !kept(s, fds[i]))
            close(fds[i]);
    closedir(d);
}

/* Closes every descriptor the guest was not given: stdin and stderr too,
 * whatever the caller left open. close_range where it may be used, else
 * each descriptor /proc/self/fd lists. */
void spt_close_others(const struct spt *s)
{
    if (close_gaps(s) != 0)
        close_listed(s);
}

/* The guest can read all of the process: the monitor's command line and
 * environment (which may carry a secret) and the kernel's random bytes for
 * the monitor's stack protector are wiped. The strings lie end to end on
 * the initial stack, argv's first. */
void spt_wipe_strings(int argc, char **argv)
{
    char *first = argv[0], *last = argv[argc - 1];
    extern char **environ;

    for (char **e = environ; e && *e; e++)
        last = *e > last ? *e : last;
    memset(first, 0, (size_t)(last - first) + strlen(last));
    for (char **e = environ; e && *e; e++)
        *e = NULL;
    for (int i = 0; i < argc; i++)
        argv[i] = NULL;
    void *rnd = (void *)getauxval(AT_RANDOM);
    if (rnd)
        memset(rnd, 0, 16);
}

/* Fills the program's run-time values (a block device's size and last
 * offset) from the attached devices, then installs it: no new privileges,
 * then the filter, which applies to the whole process from the next
 * instruction on. */
void spt_filter_install(const struct spt_config *cfg)
{
    for (size_t i = 0; i < cfg->nslots; i++) {
        const struct spt_slot *sl = &cfg->slots[i];
        uint64_t v = sl->fn(sl->nth);
        cfg->filter[sl->insn].k = sl->high ? (uint32_t)(v >> 32) : (uint32_t)v;
    }
    struct sock_fprog prog = {.len = (unsigned short)cfg->nfilter,
                              .filter = cfg->filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        mon_fatal("prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
        mon_fatal("cannot install the seccomp filter: %s: refusing to run "
                  "the guest without it",
                  strerror(errno));
}

/* The guest's entry is called as start(boot info) on a stack whose top is
 * the end of guest memory less 8, as after a call. */
_Noreturn void spt_launch(const struct spt *s, uint64_t entry)
{
    uint64_t sp = s->mem_size - 8;

    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "jmp *%1"
                     :
                     : "r"(sp), "r"(entry), "D"(SPT_BOOT_INFO_BASE)
                     : "memory");
    __builtin_unreachable();
}
