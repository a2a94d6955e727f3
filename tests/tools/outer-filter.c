/* outer-filter.c: runs a command under a seccomp filter of its own, the way
 * an orchestrator does before it execs a monitor.
 *   outer-filter COMMAND...         allows everything but seccomp() and
 *                                   prctl(), so a monitor that tried to
 *                                   install its own filter would be killed
 *   outer-filter --errno COMMAND... the same, but seccomp() and prctl()
 *                                   fail with EPERM instead of killing
 *   outer-filter --urunc COMMAND... allows exactly the 43 system calls
 *                                   urunc allows solo5-hvt on x86_64 (list
 *                                   read from urunc-dev/urunc,
 *                                   pkg/unikontainers/hypervisors/hvt.go,
 *                                   applySeccompFilter); anything else kills
 *                                   the process */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const int urunc_x86_64[] = {
    __NR_rt_sigaction,
    __NR_ioctl,
    __NR_pread64,
    __NR_mmap,
    __NR_recvmsg,
    __NR_openat,
    __NR_sendto,
    __NR_mprotect,
    __NR_write,
    __NR_epoll_ctl,
    __NR_epoll_create1,
    __NR_read,
    __NR_close,
    __NR_fstat,
    __NR_munmap,
    __NR_brk,
    __NR_execve,
    __NR_timerfd_create,
    __NR_lseek,
    __NR_personality,
    __NR_socket,
    __NR_bind,
    __NR_getsockname,
    __NR_exit,
    __NR_exit_group,
    __NR_getpid,
    __NR_tgkill,
    __NR_nanosleep,
    __NR_futex,
    __NR_epoll_pwait,
    __NR_rt_sigreturn,
    __NR_timerfd_settime,
    __NR_pwrite64,
    __NR_set_tid_address,
    __NR_set_robust_list,
    __NR_rseq,
    __NR_prlimit64,
    __NR_getrandom,
    __NR_open,
    __NR_stat,
    __NR_access,
    __NR_arch_prctl,
    __NR_newfstatat,
};

#define NURUNC (sizeof(urunc_x86_64) / sizeof(urunc_x86_64[0]))

static int install(struct sock_filter *code, size_t n)
{
    struct sock_fprog prog = {(unsigned short)n, code};

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
        perror("outer-filter");
        return -1;
    }
    return 0;
}

static int deny_seccomp_prctl(unsigned deny)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, deny),
    };
    return install(code, sizeof(code) / sizeof(code[0]));
}

/* arch check, then one JEQ per allowed call: equal jumps to ALLOW at the
 * end, otherwise falls through to the next; after the last, KILL. */
static int allow_urunc(void)
{
    struct sock_filter code[NURUNC + 6];
    size_t n = 0;

    code[n++] = (struct sock_filter)BPF_STMT(
        BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
                                             AUDIT_ARCH_X86_64, 1, 0);
    code[n++] =
        (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                             offsetof(struct seccomp_data, nr));
    for (size_t i = 0; i < NURUNC; i++)
        code[n++] = (struct sock_filter)BPF_JUMP(
            BPF_JMP | BPF_JEQ | BPF_K, (unsigned)urunc_x86_64[i],
            (unsigned char)(NURUNC - i), 0);
    code[n++] =
        (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    code[n++] =
        (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    return install(code, n);
}

int main(int argc, char **argv)
{
    int urunc = argc > 1 && strcmp(argv[1], "--urunc") == 0;
    int eperm = argc > 1 && strcmp(argv[1], "--errno") == 0;
    int opt = urunc || eperm;

    if (argc < 2 + opt) {
        fputs("usage: outer-filter [--urunc | --errno] COMMAND [ARGS...]\n",
              stderr);
        return 2;
    }
    if ((urunc   ? allow_urunc()
         : eperm ? deny_seccomp_prctl(SECCOMP_RET_ERRNO | EPERM)
                 : deny_seccomp_prctl(SECCOMP_RET_KILL_PROCESS)) < 0)
        return 1;
    execvp(argv[1 + opt], argv + 1 + opt);
    perror("outer-filter: exec");
    return 127;
}
