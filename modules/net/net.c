/* net.c: the net module: Ethernet devices backed by Linux taps, one frame
 * per NET_WRITE or NET_READ hypercall, and the shared ring (ring.c) for
 * guests that take it.
 *
 * Options: --net:NAME=IFACE (an existing, up tap), --net:NAME=@FD (a tap
 * descriptor the caller opened), --net-mac:NAME=MAC, and ring.c's. Binding
 * one device twice, or one tap to two devices, is an error. Each tap is
 * registered with the core's POLL under its device's handle.
 *
 * The system calls it needs after setup, on the tap descriptors attach
 * moves to their fixed numbers (mon_fd_device) and on ring.c's eventfds,
 * are listed with their reasons in module.yml, which the filter is made
 * from. Everything else (socket, ioctl, open, fcntl, dup3, close,
 * getrandom, eventfd2, clone) happens before the guest runs.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "../../include/tender_fds.h"
#include "../../include/hvt_dev_abi.h"
#include "../core/monitor.h"
#include "../core/services.h"
#include "ring.h"
#include "tap.h"

#define MOD_NET_HLEN 14 /* Ethernet header */
/* More than the largest frame a tap without offloads hands over: a 64 KiB
 * packet with its Ethernet header and a VLAN tag. */
#define MOD_NET_FRAME_MAX (65536 + 64)

struct mod_net_dev {
    const char *spec; /* IFACE or @FD from --net:, NULL while unbound */
    int has_mac;      /* set by --net-mac: */
    uint8_t mac[MOD_NET_ALEN];
    int attached; /* set once the guest's manifest entry is filled in */
    struct mod_net_tap tap;
    int warned_big;  /* reported a frame too big for the guest's buffer */
    int warned_down; /* reported the tap down, and not seen up since */
};

/* Indexed by handle (the device's index in the guest's manifest). */
static struct mod_net_dev mod_net_devs[MFT_MAX_ENTRIES];

/* NET_READ reads a frame here, whole, then copies it to the guest's
 * buffer: a frame longer than that buffer is seen whole and refused, never
 * silently cut short. (One read(2) and a copy rather than a readv(2) into
 * both: read is in every orchestrator's list, readv not in urunc's.) */
static uint8_t mod_net_frame[MOD_NET_FRAME_MAX];

static int mod_net_bind(struct mon *m, unsigned h, const char *arg,
                        const char *value)
{
    struct mod_net_dev *d = &mod_net_devs[h];

    if (d->spec) {
        mon_warn("%s: net device '%s' is already bound to '%s'", arg,
                 m->mft->e[h].name, d->spec);
        return -1;
    }
    if (mod_net_check_spec(arg, value) < 0)
        return -1;
    d->spec = value;
    return 1;
}

static int mod_net_set_mac(struct mon *m, unsigned h, const char *arg,
                           const char *value)
{
    struct mod_net_dev *d = &mod_net_devs[h];

    if (d->has_mac) {
        mon_warn("%s: net device '%s' already has a MAC address", arg,
                 m->mft->e[h].name);
        return -1;
    }
    if (mod_net_parse_mac(arg, value, d->mac) < 0)
        return -1;
    d->has_mac = 1;
    return 1;
}

static int mod_net_option(struct mon *m, const char *arg)
{
    unsigned h;
    const char *value;
    int rc;

    if (mod_net_ring_option(arg))
        return 1;
    rc = mon_device_option(m, arg, "--net", MFT_DEV_NET_BASIC, &h, &value);
    if (rc != 0)
        return rc < 0 ? -1 : mod_net_bind(m, h, arg, value);
    rc = mon_device_option(m, arg, "--net-mac", MFT_DEV_NET_BASIC, &h, &value);
    if (rc != 0)
        return rc < 0 ? -1 : mod_net_set_mac(m, h, arg, value);
    return 0;
}

static int mod_net_is_bound(const struct mon *m, unsigned h)
{
    return m->mft->e[h].type == MFT_DEV_NET_BASIC && mod_net_devs[h].spec;
}

/* Adopts the @FD taps (which tells their interface names) and records the
 * names of the others, so that sharing can be checked before any open. */
static int mod_net_resolve(const struct mon *m)
{
    int rc = 0;

    for (unsigned h = 1; h < m->mft->entries; h++) {
        struct mod_net_dev *d = &mod_net_devs[h];
        int fd;
        if (!mod_net_is_bound(m, h))
            continue;
        d->tap.fd = -1;
        if (mod_net_parse_fd(d->spec, &fd) == 0) {
            if (mod_net_tap_adopt(m->mft->e[h].name, fd, &d->tap) < 0)
                rc = -1;
        } else {
            snprintf(d->tap.ifname, sizeof(d->tap.ifname), "%s", d->spec);
        }
    }
    return rc;
}

/* One tap serving two devices would split its traffic between them at
 * random; refuse it, naming both devices. */
static int mod_net_check_shared(const struct mon *m)
{
    int rc = 0;

    for (unsigned i = 1; i < m->mft->entries; i++)
        for (unsigned j = i + 1; j < m->mft->entries; j++) {
            if (!mod_net_is_bound(m, i) || !mod_net_is_bound(m, j) ||
                strcmp(mod_net_devs[i].tap.ifname,
                       mod_net_devs[j].tap.ifname) != 0)
                continue;
            mon_warn("net devices '%s' and '%s' are both bound to tap '%s'; "
                     "each needs its own",
                     m->mft->e[i].name, m->mft->e[j].name,
                     mod_net_devs[i].tap.ifname);
            rc = -1;
        }
    return rc;
}

static int mod_net_random_mac(uint8_t mac[MOD_NET_ALEN])
{
    ssize_t n;

    do
        n = getrandom(mac, MOD_NET_ALEN, 0);
    while (n < 0 && errno == EINTR);
    if (n != MOD_NET_ALEN)
        return -1;
    mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02); /* unicast, local */
    return 0;
}

/* Moves every tap to its fixed number (mon_fd_device), which the seccomp
 * filter names. An adopted descriptor may already sit on another device's
 * number, so all of them first move above the fixed ranges. (Under a
 * caller's filter the core leaves descriptors where they are.) */
static int mod_net_pin(const struct mon *m)
{
    for (unsigned h = 1; h < m->mft->entries; h++) {
        struct mod_net_tap *t = &mod_net_devs[h].tap;
        if (!mod_net_is_bound(m, h))
            continue;
        int fd = mon_fd_lift(t->fd);
        if (fd < 0) {
            mon_warn("net device '%s': cannot move descriptor %d: %s",
                     m->mft->e[h].name, t->fd, strerror(errno));
            return -1;
        }
        t->fd = fd;
    }
    for (unsigned h = 1; h < m->mft->entries; h++)
        if (mod_net_is_bound(m, h))
            mod_net_devs[h].tap.fd =
                mon_fd_pin(mod_net_devs[h].tap.fd, mon_fd_device(m, h));
    return 0;
}

/* Fills in the guest's manifest entry and registers the tap for POLL. */
static int mod_net_publish(struct mon *m, unsigned h)
{
    struct mft_entry *e = &m->mft->e[h];
    struct mod_net_dev *d = &mod_net_devs[h];

    if (!d->has_mac && mod_net_random_mac(d->mac) < 0) {
        mon_warn("net device '%s': cannot make a random MAC address: %s",
                 e->name, strerror(errno));
        return -1;
    }
    if (mon_poll_add(m, d->tap.fd, h) < 0) {
        mon_warn("net device '%s': too many descriptors to poll", e->name);
        return -1;
    }
    memcpy(e->u.net_basic.mac, d->mac, MOD_NET_ALEN);
    e->u.net_basic.mtu = (uint16_t)d->tap.mtu;
    e->b.hostfd = d->tap.fd;
    e->attached = 1;
    d->attached = 1;
    return 0;
}

static int mod_net_attach(struct mon *m)
{
    int rc = 0;

    if (mod_net_resolve(m) < 0 || mod_net_check_shared(m) < 0)
        return -1;
    for (unsigned h = 1; h < m->mft->entries; h++) {
        struct mod_net_dev *d = &mod_net_devs[h];
        const char *name = m->mft->e[h].name;
        if (!mod_net_is_bound(m, h))
            continue;
        if (d->tap.fd >= 0 ? mod_net_tap_finish(name, &d->tap) < 0
                           : mod_net_tap_open(name, d->spec, &d->tap) < 0)
            rc = -1;
    }
    if (rc == 0)
        rc = mod_net_pin(m);
    int any = 0;
    for (unsigned h = 1; h < m->mft->entries && rc == 0; h++)
        if (mod_net_is_bound(m, h)) {
            rc = mod_net_publish(m, h);
            any = 1;
        }
    if (rc == 0 && any)
        mod_net_ring_reserve(m);
    return rc;
}

/* The ring's view of the devices, indexed by handle. */
static struct mod_net_ring_dev mod_net_ring_devs[MFT_MAX_ENTRIES];

static int mod_net_start(struct mon *m, int vm_fd)
{
    for (unsigned h = 0; h < MFT_MAX_ENTRIES; h++) {
        struct mod_net_ring_dev *r = &mod_net_ring_devs[h];
        const struct mod_net_dev *d = &mod_net_devs[h];
        r->fd = h < m->mft->entries && d->attached ? d->tap.fd : -1;
        r->mtu = d->tap.mtu;
        r->name = h < m->mft->entries ? m->mft->e[h].name : "";
        r->ifname = d->tap.ifname;
    }
    mod_net_ring_start(m, vm_fd, mod_net_ring_devs);
    return 0;
}

/* The attached net device with handle (handle), or NULL. */
static struct mod_net_dev *mod_net_dev_of(const struct mon *m, uint64_t handle)
{
    if (handle == 0 || handle >= m->mft->entries ||
        !mod_net_devs[handle].attached)
        return NULL;
    return &mod_net_devs[handle];
}

/* A tap that is down refuses writes (EIO). Like a link without carrier,
 * that loses frames rather than ending the guest: NET_WRITE returns
 * EUNSPEC, and the host hears of it once each time the link goes down. */
static void mod_net_down(const struct mon *m, uint64_t h)
{
    if (mod_net_devs[h].warned_down)
        return;
    mod_net_devs[h].warned_down = 1;
    mon_warn("net device '%s': tap '%s' is down; frames from the guest are "
             "dropped until it is up",
             m->mft->e[h].name, mod_net_devs[h].tap.ifname);
}

/* NET_WRITE's result, written back into the guest's struct. */
static int mod_net_write_ret(struct mon *m, hvt_gpa_t gpa,
                             struct hvt_hc_net_write *hc, int ret)
{
    hc->ret = ret;
    return mon_hc_results(m, gpa, hc, sizeof(*hc),
                          offsetof(struct hvt_hc_net_write, ret), "NET_WRITE");
}

static int mod_net_write(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_net_write hc;
    ssize_t n;

    if (mon_hc_args(m, gpa, &hc, sizeof(hc), 1, "NET_WRITE") < 0)
        return -1;
    struct mod_net_dev *d = mod_net_dev_of(m, hc.handle);
    /* Longer than MTU + header is EINVAL (docs/monitor.md, "Deliberate
     * differences": a tap would pass it on); shorter than a header the tap
     * would refuse. */
    if (!d || hc.len < MOD_NET_HLEN || hc.len > d->tap.mtu + MOD_NET_HLEN)
        return mod_net_write_ret(m, gpa, &hc, HVT_EINVAL);
    const uint8_t *p = mon_guest_in(m, hc.data, hc.len, "NET_WRITE");
    if (p == NULL)
        return -1;
    do
        n = write(d->tap.fd, p, hc.len);
    while (n < 0 && errno == EINTR);
    if (n == (ssize_t)hc.len) {
        d->warned_down = 0;
        return mod_net_write_ret(m, gpa, &hc, HVT_OK);
    }
    if (n < 0 && errno == EIO) {
        mod_net_down(m, hc.handle);
        return mod_net_write_ret(m, gpa, &hc, HVT_EUNSPEC);
    }
    if (n < 0)
        mon_fatal("net device '%s' (tap '%s'): write failed: %s",
                  m->mft->e[hc.handle].name, d->tap.ifname, strerror(errno));
    mon_fatal("net device '%s' (tap '%s'): wrote only %zd of %zu bytes",
              m->mft->e[hc.handle].name, d->tap.ifname, n, hc.len);
}

/* A frame longer than the guest's buffer is dropped and NET_READ returns
 * EINVAL; the first one per device is also reported here. */
static void mod_net_too_big(const struct mon *m, uint64_t h, size_t frame,
                            size_t buf)
{
    if (mod_net_devs[h].warned_big)
        return;
    mod_net_devs[h].warned_big = 1;
    mon_warn("net device '%s': dropped a %zu-byte frame, larger than the "
             "guest's %zu-byte buffer (NET_READ returned EINVAL; further "
             "drops are not reported)",
             m->mft->e[h].name, frame, buf);
}

/* NET_READ's results (len and ret), written back into the guest's struct. */
static int mod_net_read_ret(struct mon *m, hvt_gpa_t gpa,
                            struct hvt_hc_net_read *hc, int ret)
{
    hc->ret = ret;
    return mon_hc_results(m, gpa, hc, sizeof(*hc),
                          offsetof(struct hvt_hc_net_read, len), "NET_READ");
}

static int mod_net_read(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_net_read hc;
    ssize_t n;

    if (mon_hc_args(m, gpa, &hc, sizeof(hc), 1, "NET_READ") < 0)
        return -1;
    uint64_t h = hc.handle;
    struct mod_net_dev *d = mod_net_dev_of(m, h);
    if (!d)
        return mod_net_read_ret(m, gpa, &hc, HVT_EINVAL);
    uint8_t *buf = mon_guest_out(m, hc.data, hc.len, "NET_READ");
    if (buf == NULL)
        return -1;
    do
        n = read(d->tap.fd, mod_net_frame, sizeof(mod_net_frame));
    while (n < 0 && errno == EINTR);
    /* On AGAIN len stays the buffer's size, as in Solo5. */
    if (n == 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)))
        return mod_net_read_ret(m, gpa, &hc, HVT_AGAIN);
    if (n < 0)
        mon_fatal("net device '%s' (tap '%s'): read failed: %s",
                  m->mft->e[h].name, d->tap.ifname, strerror(errno));
    if ((size_t)n > hc.len) {
        mod_net_too_big(m, h, (size_t)n, hc.len);
        return mod_net_read_ret(m, gpa, &hc, HVT_EINVAL);
    }
    memcpy(buf, mod_net_frame, (size_t)n);
    hc.len = (size_t)n;
    return mod_net_read_ret(m, gpa, &hc, HVT_OK);
}

static const struct mon_module mod_net = {
    .name = "net",
    .option = mod_net_option,
    .attach = mod_net_attach,
    .start = mod_net_start,
    .boot_info = mod_net_ring_boot_info,
    .halt = mod_net_ring_halt,
};
