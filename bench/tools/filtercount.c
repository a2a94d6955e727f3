/* filtercount.c: how many system calls a program's seccomp filter lets
 * through, read from the filter the kernel holds, not from anyone's
 * documentation. Runs PROGRAM under ptrace, stops it right after its first
 * seccomp(SECCOMP_SET_MODE_FILTER) or prctl(PR_SET_SECCOMP) succeeds, fetches
 * the installed program with PTRACE_SECCOMP_GET_FILTER, kills PROGRAM, and
 * prints the distinct system call numbers the filter compares the call
 * number against (BPF_JEQ after a load of seccomp_data.nr), as
 *
 *     COUNT NR NR ...
 *
 * Both filter generators measured here (tender-gen's and libseccomp's)
 * compare the number once per allowed call; a number compared only to be
 * refused would be counted too, and neither does that, except libseccomp's
 * check for the invalid number -1, which is left out. FILTERCOUNT_DUMP=1
 * also prints the program on stderr.
 *
 * usage: filtercount PROGRAM [ARGS...]   (root: the kernel hands filters
 * only to CAP_SYS_ADMIN). Exit 0 with the line, 1 when no filter was
 * installed before PROGRAM ended. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_INSNS 4096

static int compare(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* What the accumulator holds before an instruction, merged over every path
 * that reaches it: filters jump forward only, so one pass in order sees all
 * of an instruction's predecessors before the instruction. */
enum acc { ACC_NONE, ACC_NR, ACC_OTHER, ACC_MIXED };

static void flow(enum acc *in, long n, long to, enum acc a)
{
    if (to < n)
        in[to] = in[to] == ACC_NONE || in[to] == a ? a : ACC_MIXED;
}

/* Prints the distinct numbers compared with the call number. */
static void report(const struct sock_filter *f, long n)
{
    static enum acc in[MAX_INSNS];
    static unsigned nrs[MAX_INSNS];
    unsigned count = 0;

    in[0] = ACC_OTHER;
    for (long i = 0; i < n; i++) {
        enum acc a = in[i];
        unsigned cls = BPF_CLASS(f[i].code);
        if (f[i].code == (BPF_LD | BPF_W | BPF_ABS))
            a = f[i].k == offsetof(struct seccomp_data, nr) ? ACC_NR
                                                            : ACC_OTHER;
        else if (cls != BPF_JMP && cls != BPF_RET && cls != BPF_ST &&
                 cls != BPF_STX)
            a = ACC_OTHER;
        if (f[i].code == (BPF_JMP | BPF_JEQ | BPF_K) && in[i] == ACC_NR)
            nrs[count++] = f[i].k;
        if (cls == BPF_RET)
            continue;
        if (cls != BPF_JMP)
            flow(in, n, i + 1, a);
        else if (BPF_OP(f[i].code) == BPF_JA)
            flow(in, n, i + 1 + (long)f[i].k, a);
        else {
            flow(in, n, i + 1 + f[i].jt, a);
            flow(in, n, i + 1 + f[i].jf, a);
        }
    }
    qsort(nrs, count, sizeof nrs[0], compare);
    unsigned distinct = 0;
    for (unsigned i = 0; i < count; i++)
        if ((i == 0 || nrs[i] != nrs[i - 1]) && nrs[i] != 0xffffffffu)
            nrs[distinct++] = nrs[i];
    printf("%u", distinct);
    for (unsigned i = 0; i < distinct; i++)
        printf(" %u", nrs[i]);
    printf("\n");
}

/* True when the tracee, stopped at a system call's exit, has just installed
 * a filter. Whether a stop is an entry or an exit comes from the kernel
 * (PTRACE_GET_SYSCALL_INFO): the first stop may well be an exit, of the
 * call that raised SIGSTOP. */
static int installed_filter(pid_t pid, unsigned long *nr, unsigned long *a)
{
    struct ptrace_syscall_info info;
    struct user_regs_struct r;

    if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) <= 0)
        return 0;
    if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
        *nr = info.entry.nr;
        memcpy(a, info.entry.args, 2 * sizeof a[0]);
        return 0;
    }
    if (info.op != PTRACE_SYSCALL_INFO_EXIT || info.exit.rval != 0 ||
        ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0)
        return 0;
    if (*nr == SYS_seccomp)
        return a[0] == SECCOMP_SET_MODE_FILTER;
    return *nr == SYS_prctl && a[0] == PR_SET_SECCOMP &&
           a[1] == SECCOMP_MODE_FILTER;
}

static int fetch_and_report(pid_t pid)
{
    static struct sock_filter f[MAX_INSNS];
    long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, NULL);

    if (n <= 0 || n > MAX_INSNS ||
        ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, f) != n) {
        fprintf(stderr, "filtercount: PTRACE_SECCOMP_GET_FILTER: %s\n",
                strerror(errno));
        return 1;
    }
    if (getenv("FILTERCOUNT_DUMP"))
        for (long i = 0; i < n; i++)
            fprintf(stderr, "%3ld: code=%04x jt=%u jf=%u k=%#x\n", i, f[i].code,
                    f[i].jt, f[i].jf, f[i].k);
    report(f, n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: filtercount PROGRAM [ARGS...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        execv(argv[1], argv + 1);
        _exit(127);
    }
    int status;
    unsigned long nr = ~0UL, a[2] = {0, 0};
    waitpid(pid, &status, 0);
    ptrace(PTRACE_SETOPTIONS, pid, NULL,
           PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
    for (;;) {
        if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) < 0 ||
            waitpid(pid, &status, 0) < 0 || WIFEXITED(status) ||
            WIFSIGNALED(status))
            break;
        if (!WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80))
            continue; /* exec's SIGTRAP and the like */
        if (installed_filter(pid, &nr, a)) {
            int rc = fetch_and_report(pid);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return rc;
        }
    }
    fprintf(stderr, "filtercount: %s installed no seccomp filter\n", argv[1]);
    return 1;
}
