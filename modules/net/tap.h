/* tap.h: attaching Linux tap interfaces for the net module: by name, or
 * from a descriptor the caller already opened. */
#ifndef MOD_NET_TAP_H
#define MOD_NET_TAP_H

#include <net/if.h>
#include <stdint.h>

#define MOD_NET_ALEN 6 /* Ethernet address */

/* An attached tap: a non-blocking descriptor delivering whole Ethernet
 * frames (no packet-information header, no virtio-net header). */
struct mod_net_tap {
    int fd;
    char ifname[IFNAMSIZ];
    unsigned mtu; /* the interface's MTU, Ethernet header excluded */
};

/* The status flags of (fd) (fcntl F_GETFL), or -1 when it is not open:
 * each target's core services define it (services.h, spt_services.h), so
 * tap.c needs neither target's headers. */
int mon_fd_flags(int fd);

/* The net options' values, for both targets' net modules. */

/* "@FD" -> FD: decimal digits only, within int. Returns 0, or -1. */
int mod_net_parse_fd(const char *spec, int *fd);

/* Checks the value of --net:NAME=(value): a tap's name, or @FD. Returns 0,
 * or -1 after printing why, naming (arg). */
int mod_net_check_spec(const char *arg, const char *value);

/* Parses the value of --net-mac:NAME=(value) into (mac): six two-digit hex
 * bytes, a unicast address that is not all zero. Returns 0, or -1 after
 * printing why, naming (arg). */
int mod_net_parse_mac(const char *arg, const char *value,
                      uint8_t mac[MOD_NET_ALEN]);

/* Attaches the existing, up tap interface (ifname) for net device (dev),
 * the device's name in messages. Returns 0, or -1 after printing why. */
int mod_net_tap_open(const char *dev, const char *ifname,
                     struct mod_net_tap *tap);

/* Takes over (fd), an already-open tap descriptor, for net device (dev):
 * learns its interface name; the MTU is read later by mod_net_tap_finish.
 * Returns 0, or -1 after printing why. */
int mod_net_tap_adopt(const char *dev, int fd, struct mod_net_tap *tap);

/* Completes an adopted tap: the interface must be up; reads its MTU.
 * Returns 0, or -1 after printing why. */
int mod_net_tap_finish(const char *dev, struct mod_net_tap *tap);

#endif /* MOD_NET_TAP_H */
