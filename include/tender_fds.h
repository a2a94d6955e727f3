/* tender_fds.h: the fixed descriptor numbers a monitor moves its host
 * resources to before its sandbox closes, so the seccomp filter tender-gen
 * generates can name them, each one exactly (docs/design.md decision 4), and
 * the other constants the filter pins. High numbers keep them clear of the
 * descriptors the monitor opens along the way. Written by tender-gen
 * --fds-header from the modules' descriptors (modules/NAME/module.yml): edit
 * those. The sandbox closes every descriptor that is not stdio or pinned
 * here (mon_fd_pin), whatever the caller left open. */
#ifndef TENDER_FDS_H
#define TENDER_FDS_H

/* core (modules/core/module.yml): */
/* the guest's console */
#define MON_FD_STDOUT 1
/* the monitor's own messages */
#define MON_FD_STDERR 2
/* POLL: the timer and the taps */
#define MON_FD_POLL_EPOLL 55
/* the one vCPU: KVM_RUN */
#define MON_FD_VCPU 60
/* POLL's deadline: a timerfd, no slack */
#define MON_FD_POLL_TIMER 63

/* net (modules/net/module.yml): */
/* ring I/O: KVM_IOEVENTFD on port 0x600; halt's wake-up */
#define MON_FD_RING_KICK 61
/* ring I/O: the I/O thread started, or drained */
#define MON_FD_RING_DONE 62

/* gdb (modules/gdb/module.yml): */
/* the debugger's connection */
#define MON_FD_GDB_CONN 56
/* /proc/self/mem, read-write */
#define MON_FD_GDB_MEM 57

/* dumpcore (modules/dumpcore/module.yml): */
/* --dumpcore=DIR, where cores are created */
#define MON_FD_DUMPCORE_DIR 58
/* /proc/self/mem, read-only */
#define MON_FD_DUMPCORE_MEM 59
/* the core file: what openat returns under the sandbox, the lowest free
 * descriptor, which is 3 once the sandbox has closed everything below the
 * fixed numbers and the module has made sure 0..2 are open */
#define MON_FD_DUMPCORE_FILE 3
/* the core file's flags, which the filter pins: never an existing file */
#define MON_DUMPCORE_OPEN_FLAGS                                                \
    (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)

/* The fixed numbers of every module, from the lowest to the highest. */
#define MON_FD_FIXED_FIRST 55
#define MON_FD_FIXED_LAST 63

/* A device's descriptor is its type's BASE + its rank among the devices
 * of that type (1..63, mon_fd_device): the filter allows I/O on BASE + 1 ..
 * BASE + the shape's count of that type, one rule per descriptor, and on
 * no other number in the range. */
/* block devices: 129..191 */
#define MON_FD_BLOCK_BASE 128
/* net devices: 65..127 */
#define MON_FD_NET_BASE 64

/* The highest device descriptor: a descriptor lifted above it (mon_fd_lift)
 * is clear of every number a pin takes. */
#define MON_FD_LAST 191

#endif /* TENDER_FDS_H */
