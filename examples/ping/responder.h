/* responder.h: what a host does on an Ethernet link for ping, one
 * interface at a time: answer ARP requests for its own IPv4 address and
 * ICMP echo requests sent to it, ignore the rest, and count what it saw. */
#ifndef PING_RESPONDER_H
#define PING_RESPONDER_H

#include <stddef.h>
#include <stdint.h>

#include "solo5.h"

/* What one interface saw. Every frame read counts in frames and in exactly
 * one of the counts from arp_answered to malformed. */
struct ping_counts {
    uint64_t frames;        /* frames read */
    uint64_t arp_answered;  /* ARP requests for our address */
    uint64_t arp_ignored;   /* other ARP: for other addresses, replies */
    uint64_t echo_answered; /* ICMP echo requests to our address */
    uint64_t ignored;       /* for other IPv4 addresses or other MACs */
    uint64_t unsupported;   /* to us, but not ARP or ICMP echo */
    uint64_t malformed;     /* truncated, or a bad checksum */
    uint64_t dropped;       /* refused by the monitor (frame too big) */
};

struct ping_if {
    const char *name; /* the net device's name in the manifest */
    solo5_handle_t handle;
    struct solo5_net_info info;
    uint8_t ip[4];   /* our IPv4 address, network order */
    unsigned prefix; /* its prefix length, shown only */
    struct ping_counts n;
};

/* Handles the frame (f, len) read from (ifc). When it calls for an answer,
 * builds the answer in place and returns its length; otherwise returns 0.
 * Updates ifc->n. */
size_t ping_frame(struct ping_if *ifc, uint8_t *f, size_t len);

#endif /* PING_RESPONDER_H */
