/* ring.h: the net module's ring I/O (docs/hvt-abi.md §6): the part of the net
 * module that serves the shared ring from an I/O thread. */
#ifndef MOD_NET_RING_H
#define MOD_NET_RING_H

#include "../../include/hvt_dev_abi.h"
#include "../core/monitor.h"
#include "../core/services.h"

/* What the I/O thread needs of an attached net device. */
struct mod_net_ring_dev {
    int fd;             /* the tap, non-blocking; -1: not a net device */
    unsigned mtu;       /* frames are 14 to mtu + 14 bytes */
    const char *name;   /* the device, for messages */
    const char *ifname; /* the tap, for messages */
};

/* --no-net-ring, --no-net-batch: 1 when (arg) is one of them, else 0. */
int mod_net_ring_option(const char *arg);

/* At attach, once net devices are bound: reserves the ring's memory above
 * guest memory, unless the ring is turned off or a caller's seccomp filter
 * rules out its thread (then says so through mon_may_use()). */
void mod_net_ring_reserve(struct mon *m);

/* Before the sandbox: registers the kick (KVM_IOEVENTFD on port 0x600)
 * and starts the I/O thread. (devs) is
 * indexed by handle and must stay valid. When KVM cannot deliver the kick
 * the ring is off, with a message; the guest still has the hypercalls. */
void mod_net_ring_start(struct mon *m, int vm_fd,
                        const struct mod_net_ring_dev *devs);

/* Offers the ring in the boot info, when its I/O thread runs. */
void mod_net_ring_boot_info(struct mon *m, struct hvt_boot_info *bi);

/* After the guest halted: lets the I/O thread finish every entry the
 * guest submitted (frames it sent before halting still go out). */
void mod_net_ring_halt(struct mon *m, hvt_gpa_t cookie);

#endif /* MOD_NET_RING_H */
