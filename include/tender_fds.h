/* tender_fds.h: the fixed descriptor numbers a monitor moves its host
 * resources to before its sandbox closes, so the seccomp filter tender-gen
 * generates can name them (design.md decision 4). Shared by tender-gen and
 * modules/. High numbers keep them clear of the descriptors the monitor
 * opens along the way. */
#ifndef TENDER_FDS_H
#define TENDER_FDS_H

#define MON_FD_STDOUT 1 /* the guest's console */
#define MON_FD_STDERR 2 /* the monitor's own messages */
#define MON_FD_VCPU 60  /* the one vCPU: KVM_RUN */

/* A device's descriptor is BASE + its handle (1..63): the filter matches a
 * whole range with one masked comparison, fd & ~63 == BASE. */
#define MON_FD_RANGE_MASK (~63ULL)
#define MON_FD_NET_BASE 64    /* taps: 65..127 */
#define MON_FD_BLOCK_BASE 128 /* block files: 129..191 */

#endif /* TENDER_FDS_H */
