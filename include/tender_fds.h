/* tender_fds.h: the fixed descriptor numbers a monitor moves its host
 * resources to before its sandbox closes, so the seccomp filter tender-gen
 * generates can name them, each one exactly (docs/design.md decision 4). Shared
 * by tender-gen and modules/. High numbers keep them clear of the
 * descriptors the monitor opens along the way. The sandbox closes every
 * descriptor that is not stdio or pinned here (mon_fd_pin), whatever the
 * caller left open. */
#ifndef TENDER_FDS_H
#define TENDER_FDS_H

#define MON_FD_STDOUT 1      /* the guest's console */
#define MON_FD_STDERR 2      /* the monitor's own messages */
#define MON_FD_VCPU 60       /* the one vCPU: KVM_RUN */
#define MON_FD_POLL_EPOLL 55 /* POLL: the timer and the taps */
#define MON_FD_POLL_TIMER 63 /* POLL's deadline: a timerfd, no slack */
/* Ring I/O (modules/net/ring.c): eventfds between the guest, the vCPU
 * thread and the I/O thread. */
#define MON_FD_RING_KICK 61 /* KVM_IOEVENTFD on port 0x600; halt's wake-up */
#define MON_FD_RING_DONE 62 /* the I/O thread: started, or drained */
/* The opt-in debugging modules (modules/gdb, modules/dumpcore). Guest
 * memory is read and written through /proc/self/mem, where a page the host
 * maps unreadable or read-only gives an error instead of a crash. */
#define MON_FD_GDB_CONN 56     /* the debugger's connection */
#define MON_FD_GDB_MEM 57      /* /proc/self/mem, read-write */
#define MON_FD_DUMPCORE_DIR 58 /* --dumpcore=DIR, where cores are created */
#define MON_FD_DUMPCORE_MEM 59 /* /proc/self/mem, read-only */
/* The core's and the modules' fixed numbers, all of them. */
#define MON_FD_FIXED_FIRST MON_FD_POLL_EPOLL
#define MON_FD_FIXED_LAST MON_FD_POLL_TIMER
/* The core file: what openat returns under the sandbox, the lowest free
 * descriptor, which is 3 once the sandbox has closed everything below the
 * fixed numbers and the dumpcore module has made sure 0..2 are open. It is
 * created with exactly these flags (from <fcntl.h>), which the filter pins:
 * never an existing file. */
#define MON_FD_DUMPCORE_FILE 3
#define MON_DUMPCORE_OPEN_FLAGS                                                \
    (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)

/* A device's descriptor is its type's BASE + its rank among the devices
 * of that type (1..63, mon_fd_device): the filter allows I/O on BASE + 1 ..
 * BASE + the shape's count of that type, one rule per descriptor, and on
 * no other number in the range. */
#define MON_FD_NET_BASE 64    /* taps: 65..127 */
#define MON_FD_BLOCK_BASE 128 /* block files: 129..191 */

#endif /* TENDER_FDS_H */
