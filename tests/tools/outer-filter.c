/* outer-filter.c: runs a command under a seccomp filter of its own, the way
 * an orchestrator (urunc) does before it execs a monitor. The filter
 * allows everything except seccomp() and prctl(), which urunc's list lacks:
 * a monitor that tried to install its own filter there would be killed.
 * usage: outer-filter COMMAND [ARGS...] */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    };
    struct sock_fprog prog = {sizeof(code) / sizeof(code[0]), code};

    if (argc < 2) {
        fputs("usage: outer-filter COMMAND [ARGS...]\n", stderr);
        return 2;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
        perror("outer-filter");
        return 1;
    }
    execvp(argv[1], argv + 1);
    perror("outer-filter: exec");
    return 127;
}
