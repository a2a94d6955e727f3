/* sptops.c: a test guest for process (spt) monitors that uses no kernel/:
 * it makes raw Linux system calls, as an spt guest does, and its command
 * line's first word says which, so one binary plays every part the spt
 * tests need, the hostile ones included:
 *   hello      write(1) a greeting, exit 0
 *   status N   exit with status N (0..255)
 *   args       print the command line
 *   getpid / openat PATH / execve PATH / x32 / clock   calls the filter
 *              must kill (openat would create PATH; execve would run it)
 *   stderr     write to descriptor 2, which it was not given
 *   fd N       write to descriptor N
 *   mmapx / mprotectx   ask for executable memory
 *   runstack   jump into its (non-executable) stack
 *   efault     write(1) from unmapped and kernel addresses: must return
 *              -EFAULT, not stop the monitor
 *   wait       wait 1.5 s in its epoll set, then exit 0 (so a test can
 *              look at the process)
 *   netwrite   write a broadcast frame to net device 1's tap; print how
 *              many bytes went and the device's MAC address
 *   blkread / blkwrite / blkbig / blkpast / blkodd   block device 1:
 *              read block 1, write then read back the last block, a
 *              two-block read, a read past the last block, a read at an
 *              offset whose high half is set
 * Linked by tests/guests/raw.ld at 1 MiB, with the notes tender-gen
 * --target spt --emit-note writes. */
#include <stddef.h>
#include <stdint.h>

#include "../../include/mft_abi.h"
#include "../../include/spt_abi.h"

static long sc6(long nr, long a, long b, long c, long d, long e, long f)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
                       "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#define SC(nr, a, b, c) sc6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

enum {
    NR_READ = 0,
    NR_WRITE = 1,
    NR_MMAP = 9,
    NR_MPROTECT = 10,
    NR_PREAD64 = 17,
    NR_PWRITE64 = 18,
    NR_GETPID = 39,
    NR_EXECVE = 59,
    NR_CLOCK_GETTIME = 228,
    NR_EXIT_GROUP = 231,
    NR_EPOLL_PWAIT = 281,
    NR_OPENAT = 257,
};

static size_t len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void say(const char *s)
{
    SC(NR_WRITE, 1, s, len(s));
}

static _Noreturn void leave(long status)
{
    SC(NR_EXIT_GROUP, status, 0, 0);
    for (;;)
        ;
}

static int is(const char *word, const char *s)
{
    size_t i = 0;
    for (; s[i] && s[i] == word[i]; i++)
        ;
    return word[i] == 0 && (s[i] == 0 || s[i] == ' ');
}

/* The text after the first word, or "". */
static const char *rest(const char *s)
{
    while (*s && *s != ' ')
        s++;
    return *s ? s + 1 : s;
}

static long number(const char *s)
{
    long v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return v;
}

static uint8_t block[2 * 32768];

static void blocks(const struct spt_boot_info *bi, const char *cmd)
{
    const struct mft *mft = (const struct mft *)(uintptr_t)bi->mft;
    const struct mft_entry *e = &mft->e[1];
    long fd = e->b.hostfd, size = e->u.block_basic.block_size;
    long last = (long)e->u.block_basic.capacity - size;

    if (is("blkread", cmd)) {
        long n = sc6(NR_PREAD64, fd, (long)block, size, size, 0, 0);
        block[n > 0 ? 16 : 0] = 0;
        say(n == size ? "read: " : "read failed\n");
        say((const char *)block);
        say("\n");
    } else if (is("blkwrite", cmd)) {
        for (long i = 0; i < size; i++)
            block[i] = (uint8_t) "spt-block-"[i % 10];
        long w = sc6(NR_PWRITE64, fd, (long)block, size, last, 0, 0);
        block[0] = 0;
        long r = sc6(NR_PREAD64, fd, (long)block, size, last, 0, 0);
        say(w == size && r == size && block[0] == 's' ? "written\n"
                                                      : "write failed\n");
    } else if (is("blkbig", cmd)) {
        sc6(NR_PREAD64, fd, (long)block, 2 * size, 0, 0, 0);
    } else if (is("blkpast", cmd)) {
        sc6(NR_PREAD64, fd, (long)block, size, last + size, 0, 0);
    } else if (is("blkodd", cmd)) {
        sc6(NR_PREAD64, fd, (long)block, size, (1L << 32) | size, 0, 0);
    }
}

static void hex(uint8_t b)
{
    char s[3] = {"0123456789abcdef"[b >> 4], "0123456789abcdef"[b & 15], 0};
    say(s);
}

static void net(const struct spt_boot_info *bi)
{
    const struct mft *mft = (const struct mft *)(uintptr_t)bi->mft;
    const struct mft_entry *e = &mft->e[1];
    uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

    for (int i = 0; i < 6; i++)
        frame[6 + i] = e->u.net_basic.mac[i];
    frame[12] = 0x88; /* a local experimental EtherType */
    frame[13] = 0xb5;
    long n = SC(NR_WRITE, e->b.hostfd, frame, sizeof(frame));
    say(n == 60 ? "sent 60, mac " : "send failed, mac ");
    for (int i = 0; i < 6; i++)
        hex(e->u.net_basic.mac[i]);
    say("\n");
}

static void calls(const struct spt_boot_info *bi, const char *cmd)
{
    static const char plain[] = "plain";

    if (is("getpid", cmd))
        SC(NR_GETPID, 0, 0, 0);
    else if (is("openat", cmd))
        SC(NR_OPENAT, -100, rest(cmd), 0101 /* O_WRONLY | O_CREAT */);
    else if (is("execve", cmd)) {
        const char *argv[] = {rest(cmd), NULL};
        SC(NR_EXECVE, rest(cmd), argv, 0);
    } else if (is("x32", cmd))
        SC(0x40000000 | NR_WRITE, 1, plain, 5);
    else if (is("clock", cmd)) {
        long ts[2];
        SC(NR_CLOCK_GETTIME, 2 /* CLOCK_PROCESS_CPUTIME_ID */, ts, 0);
    } else if (is("stderr", cmd))
        SC(NR_WRITE, 2, plain, 5);
    else if (is("fd", cmd))
        SC(NR_WRITE, number(rest(cmd)), plain, 5);
    else if (is("mmapx", cmd))
        sc6(NR_MMAP, 0, 4096, 7, 0x22, -1, 0);
    else if (is("mprotectx", cmd))
        SC(NR_MPROTECT, (long)block & ~4095L, 4096, 7);
    else if (is("runstack", cmd)) {
        uint8_t code[4] = {0xc3}; /* ret */
        ((void (*)(void))(uintptr_t)code)();
    } else if (is("wait", cmd)) {
        uint64_t ev[2];
        sc6(NR_EPOLL_PWAIT, bi->epollfd, (long)ev, 1, 1500, 0, 0);
        leave(0);
    } else if (is("netwrite", cmd))
        net(bi);
    else
        blocks(bi, cmd);
}

__attribute__((section(".text.boot"), used)) void
_start(const struct spt_boot_info *bi)
{
    const char *cmd = (const char *)(uintptr_t)bi->cmdline;

    if (is("hello", cmd)) {
        say("spt guest: hello\n");
        leave(0);
    }
    if (is("status", cmd))
        leave(number(rest(cmd)));
    if (is("args", cmd)) {
        say("args: [");
        say(cmd);
        say("]\n");
        leave(0);
    }
    if (is("efault", cmd)) {
        long a = SC(NR_WRITE, 1, 0x10, 5);
        long b = SC(NR_WRITE, 1, 0xffff800000000000UL, 5);
        long c = SC(NR_WRITE, 1, bi->mem_size, 5);
        say(a == -14 && b == -14 && c == -14 ? "efault: returned\n"
                                             : "efault: not returned\n");
        leave(0);
    }
    calls(bi, cmd);
    say("spt guest: still running\n");
    leave(3);
}
