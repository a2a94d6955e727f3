/* tap.c: opening and checking Linux tap interfaces, the net module's only
 * contact with the host's network configuration. All of it runs before the
 * guest starts. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <limits.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/hex.h"
#include "../core/messages.h"
#include "tap.h"

int mod_net_parse_fd(const char *spec, int *fd)
{
    int v = 0;

    if (spec[0] != '@' || spec[1] == 0)
        return -1;
    for (const char *p = spec + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        int digit = *p - '0';
        if (v > (INT_MAX - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    *fd = v;
    return 0;
}

int mod_net_check_spec(const char *arg, const char *value)
{
    int fd;

    if (value[0] == '@' && mod_net_parse_fd(value, &fd) < 0) {
        mon_warn("%s: '%s' is not a descriptor (@ and a decimal number)", arg,
                 value);
        return -1;
    }
    if (value[0] != '@' && strlen(value) >= IFNAMSIZ) {
        mon_warn("%s: interface name '%s' is longer than %d characters", arg,
                 value, IFNAMSIZ - 1);
        return -1;
    }
    return 0;
}

/* Exactly six two-digit hex bytes separated by colons. */
static int mod_net_mac_bytes(const char *s, uint8_t mac[MOD_NET_ALEN])
{
    for (int i = 0; i < MOD_NET_ALEN; i++) {
        int hi = mon_hex_digit(s[0]);
        int lo = hi < 0 ? -1 : mon_hex_digit(s[1]);
        if (lo < 0)
            return -1;
        mac[i] = (uint8_t)(hi << 4 | lo);
        s += 2;
        if (i < MOD_NET_ALEN - 1 && *s++ != ':')
            return -1;
    }
    return *s == 0 ? 0 : -1;
}

int mod_net_parse_mac(const char *arg, const char *value,
                      uint8_t mac[MOD_NET_ALEN])
{
    static const uint8_t zero[MOD_NET_ALEN];

    if (mod_net_mac_bytes(value, mac) < 0) {
        mon_warn("%s: '%s' is not a MAC address (six two-digit hex bytes: "
                 "xx:xx:xx:xx:xx:xx)",
                 arg, value);
        return -1;
    }
    if (mac[0] & 1) {
        mon_warn("%s: %s is a multicast address; a device needs a unicast "
                 "one",
                 arg, value);
        return -1;
    }
    if (memcmp(mac, zero, sizeof(zero)) == 0) {
        mon_warn("%s: the all-zero address is not a device address (leave "
                 "out --net-mac for a random one)",
                 arg);
        return -1;
    }
    return 0;
}

/* ioctl's request is an int in musl (and POSIX) but an unsigned long in
 * glibc, which the sanitizer builds use; TUN requests have the top bit
 * set, so each call converts explicitly. */
#ifdef __GLIBC__
typedef unsigned long mod_net_req;
#else
typedef int mod_net_req;
#endif

#define MOD_NET_TUN_PATH "/dev/net/tun"
#define MOD_NET_MTU_MAX 65535 /* the manifest's mtu field is 16 bits */

/* Interface requests (flags, MTU) need a socket of any kind; an AF_INET
 * datagram socket can be made in every network namespace. */
static int mod_net_ifreq(const char *ifname, mod_net_req req, struct ifreq *ifr)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rc, err;

    if (s < 0)
        return -1;
    memset(ifr, 0, sizeof(*ifr));
    snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
    rc = ioctl(s, req, ifr);
    err = errno;
    close(s);
    errno = err;
    return rc;
}

static int mod_net_no_interface(const char *dev, const char *ifname, int err)
{
    if (err == ENODEV)
        mon_warn("net device '%s': interface '%s' does not exist in this "
                 "network namespace",
                 dev, ifname);
    else
        mon_warn("net device '%s': cannot query interface '%s': %s", dev,
                 ifname, strerror(err));
    return -1;
}

/* TUNSETIFF's errors, in words that say what to do about them. */
static int mod_net_setiff_error(const char *dev, const char *ifname, int err)
{
    switch (err) {
    case EBUSY:
        mon_warn("net device '%s': tap '%s' is already in use (by another "
                 "monitor?)",
                 dev, ifname);
        break;
    case EINVAL:
        mon_warn("net device '%s': interface '%s' is not a single-queue tap "
                 "device",
                 dev, ifname);
        break;
    case EPERM:
        mon_warn("net device '%s': not permitted to attach tap '%s' (it "
                 "belongs to another user or group)",
                 dev, ifname);
        break;
    default:
        mon_warn("net device '%s': cannot attach tap '%s': %s", dev, ifname,
                 strerror(err));
    }
    return -1;
}

int mod_net_tap_open(const char *dev, const char *ifname,
                     struct mod_net_tap *tap)
{
    struct ifreq ifr;

    if (strlen(ifname) >= IFNAMSIZ) {
        mon_warn("net device '%s': interface name '%s' is longer than %d "
                 "characters",
                 dev, ifname, IFNAMSIZ - 1);
        return -1;
    }
    /* TUNSETIFF on a name that does not exist creates a new tap connected
     * to nothing: look first, so that a typo is an error, not a dead link. */
    if (mod_net_ifreq(ifname, SIOCGIFFLAGS, &ifr) < 0)
        return mod_net_no_interface(dev, ifname, errno);
    /* No O_CLOEXEC: the monitor never execs, and musl backs the flag with
     * an fcntl that an orchestrator's filter (urunc's) forbids. */
    int fd = open(MOD_NET_TUN_PATH, O_RDWR | O_NONBLOCK);
    if (fd < 0) {
        mon_warn("net device '%s': cannot open %s: %s", dev, MOD_NET_TUN_PATH,
                 strerror(errno));
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, (mod_net_req)TUNSETIFF, &ifr) < 0) {
        int err = errno;
        close(fd);
        return mod_net_setiff_error(dev, ifname, err);
    }
    tap->fd = fd;
    snprintf(tap->ifname, sizeof(tap->ifname), "%s", ifname);
    return mod_net_tap_finish(dev, tap);
}

/* What TUNGETIFF's flags say about a descriptor we were handed; NULL when
 * it delivers plain Ethernet frames, as the guest expects. */
static const char *mod_net_bad_tap_flags(int flags)
{
    if ((flags & (IFF_TUN | IFF_TAP)) != IFF_TAP)
        return "a tun (IP) device, not a tap";
    if (!(flags & IFF_NO_PI))
        return "set up without IFF_NO_PI (frames would carry a header)";
    if (flags & IFF_VNET_HDR)
        return "set up with IFF_VNET_HDR (frames would carry a header)";
    return NULL;
}

/* TUNGETIFF on (fd). */
static int mod_net_getiff(int fd, struct ifreq *ifr)
{
    memset(ifr, 0, sizeof(*ifr));
    return ioctl(fd, (mod_net_req)TUNGETIFF, ifr);
}

/* The flags of the tap behind (fd), exactly. TUNGETIFF adds IFF_NOFILTER
 * when the descriptor has no socket filter, and IFF_NOFILTER is the same
 * bit as IFF_NO_PI: without a filter, that bit says nothing. So when the
 * caller attached no filter, an accept-all one is attached for the
 * question and removed after it. */
static int mod_net_tap_flags(int fd, struct ifreq *ifr)
{
    struct sock_filter accept_all = BPF_STMT(BPF_RET | BPF_K, 0xffffffff);
    struct sock_fprog prog = {.len = 1, .filter = &accept_all};
    struct sock_fprog theirs;
    int err;

    if (mod_net_getiff(fd, ifr) < 0)
        return -1;
    if ((ifr->ifr_flags & (IFF_TUN | IFF_TAP)) != IFF_TAP)
        return 0; /* refused for that already */
    memset(&theirs, 0, sizeof(theirs));
    if (ioctl(fd, (mod_net_req)TUNGETFILTER, &theirs) > 0)
        return 0; /* a filter of the caller's: the bit is exact */
    if (ioctl(fd, (mod_net_req)TUNATTACHFILTER, &prog) < 0)
        return -1;
    int rc = mod_net_getiff(fd, ifr);
    err = errno;
    if (ioctl(fd, (mod_net_req)TUNDETACHFILTER, &prog) < 0 && rc == 0) {
        err = errno;
        rc = -1;
    }
    errno = err;
    return rc;
}

int mod_net_tap_adopt(const char *dev, int fd, struct mod_net_tap *tap)
{
    struct ifreq ifr;
    int fl = mon_fd_flags(fd);
    int on = 1;

    if (fl < 0) {
        mon_warn("net device '%s': descriptor %d is not open", dev, fd);
        return -1;
    }
    if ((fl & O_ACCMODE) != O_RDWR) {
        mon_warn("net device '%s': descriptor %d is not open for reading and "
                 "writing",
                 dev, fd);
        return -1;
    }
    if (mod_net_tap_flags(fd, &ifr) < 0) {
        mon_warn("net device '%s': descriptor %d is not an attached tap (%s)",
                 dev, fd, strerror(errno));
        return -1;
    }
    const char *bad = mod_net_bad_tap_flags(ifr.ifr_flags);
    if (bad) {
        mon_warn("net device '%s': descriptor %d is attached to '%.*s', %s",
                 dev, fd, IFNAMSIZ, ifr.ifr_name, bad);
        return -1;
    }
    /* The descriptor's file description may be shared with whoever passed
     * it: it becomes non-blocking for them too, which NET_READ needs. An
     * ioctl, not fcntl, which a caller's filter may forbid. */
    if (ioctl(fd, (mod_net_req)FIONBIO, &on) < 0) {
        mon_warn("net device '%s': descriptor %d: cannot make it "
                 "non-blocking: %s",
                 dev, fd, strerror(errno));
        return -1;
    }
    tap->fd = fd;
    snprintf(tap->ifname, sizeof(tap->ifname), "%.*s", IFNAMSIZ - 1,
             ifr.ifr_name);
    return 0;
}

int mod_net_tap_finish(const char *dev, struct mod_net_tap *tap)
{
    struct ifreq ifr;

    if (mod_net_ifreq(tap->ifname, SIOCGIFFLAGS, &ifr) < 0)
        return mod_net_no_interface(dev, tap->ifname, errno);
    if (!(ifr.ifr_flags & IFF_UP)) {
        mon_warn("net device '%s': interface '%s' is down (bring it up "
                 "with: ip link set dev %s up)",
                 dev, tap->ifname, tap->ifname);
        return -1;
    }
    if (mod_net_ifreq(tap->ifname, SIOCGIFMTU, &ifr) < 0) {
        mon_warn("net device '%s': cannot read the MTU of '%s': %s", dev,
                 tap->ifname, strerror(errno));
        return -1;
    }
    if (ifr.ifr_mtu <= 0 || ifr.ifr_mtu > MOD_NET_MTU_MAX) {
        mon_warn("net device '%s': interface '%s' has MTU %d; the guest can "
                 "be given 1 to %d",
                 dev, tap->ifname, ifr.ifr_mtu, MOD_NET_MTU_MAX);
        return -1;
    }
    tap->mtu = (unsigned)ifr.ifr_mtu;
    /* No offloads: without a virtio-net header, a segmentation-offloaded
     * packet would arrive as one frame far above the MTU. A new tap has
     * none; a descriptor handed over may have had them turned on. Failure
     * leaves the default, so it is not an error. */
    (void)ioctl(tap->fd, (mod_net_req)TUNSETOFFLOAD, 0);
    return 0;
}
