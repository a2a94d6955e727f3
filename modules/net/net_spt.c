/* net_spt.c: the net module of a process monitor. The guest reads and
 * writes its taps itself (read/write on the descriptor its manifest entry
 * names, the only numbers the filter allows), and waits for them in its
 * epoll set; the monitor only binds and checks them, as the hvt net module
 * does (tap.c is shared). Options: --net:NAME=IFACE | @FD and
 * --net-mac:NAME=HWADDR. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "../core/spt_services.h"
#include "tap.h"

struct spt_net_dev {
    const char *spec; /* IFACE or @FD, NULL while unbound */
    const char *arg;
    uint8_t mac[MOD_NET_ALEN];
    int has_mac;
    struct mod_net_tap tap;
};

static struct spt_net_dev spt_net_devs[MFT_MAX_ENTRIES];

static int spt_net_bind(struct spt *s, unsigned h, const char *arg,
                        const char *value)
{
    struct spt_net_dev *d = &spt_net_devs[h];

    if (d->spec) {
        mon_warn("%s: net device '%s' is already bound to '%s'", arg,
                 s->mft->e[h].name, d->spec);
        return -1;
    }
    if (mod_net_check_spec(arg, value) < 0)
        return -1;
    d->spec = value;
    d->arg = arg;
    return 1;
}

static int spt_net_set_mac(struct spt *s, unsigned h, const char *arg,
                           const char *value)
{
    struct spt_net_dev *d = &spt_net_devs[h];

    if (d->has_mac) {
        mon_warn("%s: net device '%s' already has a MAC address", arg,
                 s->mft->e[h].name);
        return -1;
    }
    if (mod_net_parse_mac(arg, value, d->mac) < 0)
        return -1;
    d->has_mac = 1;
    return 1;
}

static int spt_net_option(struct spt *s, const char *arg)
{
    unsigned h;
    const char *value;
    int rc = spt_device_option(s, arg, "--net", MFT_DEV_NET_BASIC, &h, &value);

    if (rc != 0)
        return rc < 0 ? -1 : spt_net_bind(s, h, arg, value);
    rc = spt_device_option(s, arg, "--net-mac", MFT_DEV_NET_BASIC, &h, &value);
    if (rc != 0)
        return rc < 0 ? -1 : spt_net_set_mac(s, h, arg, value);
    return 0;
}

/* Opens or adopts the tap of device (h), then moves it above every fixed
 * number: an adopted descriptor may sit on another device's number. */
static int spt_net_open(struct spt *s, unsigned h)
{
    struct spt_net_dev *d = &spt_net_devs[h];
    const char *name = s->mft->e[h].name;
    int fd;

    d->tap.fd = -1;
    if (mod_net_parse_fd(d->spec, &fd) == 0) {
        if (mod_net_tap_adopt(name, fd, &d->tap) < 0 ||
            mod_net_tap_finish(name, &d->tap) < 0)
            return -1;
    } else if (mod_net_tap_open(name, d->spec, &d->tap) < 0) {
        return -1;
    }
    fd = fcntl(d->tap.fd, F_DUPFD, MON_FD_NET_BASE + MFT_MAX_ENTRIES * 4);
    if (fd < 0) {
        mon_warn("net device '%s': cannot move descriptor %d: %s", name,
                 d->tap.fd, strerror(errno));
        return -1;
    }
    close(d->tap.fd);
    d->tap.fd = fd;
    return 0;
}

/* Fills in the guest's manifest entry and adds the tap to its epoll set. */
static int spt_net_publish(struct spt *s, unsigned h)
{
    struct mft_entry *e = &s->mft->e[h];
    struct spt_net_dev *d = &spt_net_devs[h];

    if (!d->has_mac) {
        if (getrandom(d->mac, MOD_NET_ALEN, 0) != MOD_NET_ALEN) {
            mon_warn("net device '%s': cannot make a random MAC address: %s",
                     e->name, strerror(errno));
            return -1;
        }
        d->mac[0] = (uint8_t)((d->mac[0] & 0xfe) | 0x02); /* unicast, local */
    }
    d->tap.fd = spt_fd_pin(d->tap.fd, spt_fd_device(s, h));
    spt_poll_add(d->tap.fd, h);
    memcpy(e->u.net_basic.mac, d->mac, MOD_NET_ALEN);
    e->u.net_basic.mtu = (uint16_t)d->tap.mtu;
    e->b.hostfd = d->tap.fd;
    e->attached = 1;
    return 0;
}

static int spt_net_attach(struct spt *s)
{
    for (unsigned h = 1; h < s->mft->entries; h++)
        if (spt_net_devs[h].spec && spt_net_open(s, h) < 0)
            return -1;
    for (unsigned i = 1; i < s->mft->entries; i++)
        for (unsigned j = i + 1; j < s->mft->entries; j++)
            if (spt_net_devs[i].spec && spt_net_devs[j].spec &&
                strcmp(spt_net_devs[i].tap.ifname,
                       spt_net_devs[j].tap.ifname) == 0) {
                mon_warn("net devices '%s' and '%s' are both bound to tap "
                         "'%s'; each needs its own",
                         s->mft->e[i].name, s->mft->e[j].name,
                         spt_net_devs[i].tap.ifname);
                return -1;
            }
    for (unsigned h = 1; h < s->mft->entries; h++)
        if (spt_net_devs[h].spec && spt_net_publish(s, h) < 0)
            return -1;
    return 0;
}

static const struct spt_module spt_net = {
    .name = "net",
    .option = spt_net_option,
    .attach = spt_net_attach,
};
