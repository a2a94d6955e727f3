/* spt.h: private interface between the parts of the spt platform layer:
 * the Linux system calls an spt guest makes (docs/spt-abi.md), and the
 * boot information.
 *
 * The guest is code inside its monitor's process: it calls the host kernel
 * directly, and the monitor's seccomp filter allows only these calls, on
 * the descriptors the monitor named (anything else ends the process). The
 * numbers below are Linux's x86_64 system call ABI; the guest is built
 * without the host's headers, so they are spelt out here. */
#ifndef TG_SPT_H
#define TG_SPT_H

#include "kernel.h"
#include "spt_abi.h"

/* System call numbers. */
#define TG_SYS_read 0
#define TG_SYS_write 1
#define TG_SYS_pread64 17
#define TG_SYS_pwrite64 18
#define TG_SYS_arch_prctl 158
#define TG_SYS_clock_gettime 228
#define TG_SYS_exit_group 231
#define TG_SYS_epoll_pwait 281
#define TG_SYS_timerfd_settime 286

/* Their arguments and results. A call returns -errno on failure. */
#define TG_EINTR 4
#define TG_EAGAIN 11
#define TG_ARCH_SET_FS 0x1002
#define TG_CLOCK_REALTIME 0
#define TG_CLOCK_MONOTONIC 1
#define TG_TFD_TIMER_ABSTIME 1
#define TG_STDOUT 1
#define TG_STDERR 2

struct tg_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct tg_itimerspec {
    struct tg_timespec it_interval;
    struct tg_timespec it_value;
};

/* Packed on x86_64 only, where the kernel's struct is. */
struct tg_epoll_event {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct tg_epoll_event) == 12, "epoll_event layout");

/* The system call instruction: number in RAX, arguments in RDI, RSI, RDX,
 * R10, R8, R9; it clobbers RCX and R11. The "memory" clobber covers the
 * buffers the host reads or writes. */
static inline long tg_syscall3(long nr, long a0, long a1, long a2)
{
    long ret;

    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
                         : "rcx", "r11", "memory");
    return ret;
}

static inline long tg_syscall4(long nr, long a0, long a1, long a2, long a3)
{
    register long r10 __asm__("r10") = a3;
    long ret;

    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
                         : "rcx", "r11", "memory");
    return ret;
}

static inline long tg_syscall6(long nr, long a0, long a1, long a2, long a3,
                               long a4, long a5)
{
    register long r10 __asm__("r10") = a3;
    register long r8 __asm__("r8") = a4;
    register long r9 __asm__("r9") = a5;
    long ret;

    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
                           "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
    return ret;
}

/* start.c: the boot information, valid for the life of the guest. */
extern const struct spt_boot_info *tg_spt_boot_info;

/* start.c: the C entry point, called by _start on the kernel stack. */
__attribute__((noreturn)) void tg_spt_start(const struct spt_boot_info *bi);

#endif /* TG_SPT_H */
