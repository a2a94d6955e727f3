/* tapfd.c: opens a tap the way an orchestrator does before it starts a
 * monitor with --net:NAME=@FD, then runs the monitor with the descriptor
 * at the number asked for:
 *     tapfd [--pi | --vnet | --tun] IFACE FD COMMAND [ARGS...]
 * The descriptor is left blocking (the monitor must cope). --pi leaves out
 * IFF_NO_PI, --vnet adds IFF_VNET_HDR, and --tun attaches a tun (IP) device
 * instead: the monitor must refuse all three. (A tap that already exists
 * keeps the header settings it was made with: use a new IFACE for --pi and
 * --vnet.) */
#define _DEFAULT_SOURCE /* struct ifreq */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(
        stderr,
        "usage: tapfd [--pi | --vnet | --tun] IFACE FD COMMAND [ARGS...]\n");
    return 2;
}

static int open_tap(const char *ifname, short flags)
{
    struct ifreq ifr;
    int fd = open("/dev/net/tun", O_RDWR);

    if (fd < 0) {
        perror("tapfd: /dev/net/tun");
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
    ifr.ifr_flags = flags;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "tapfd: TUNSETIFF %s: %s\n", ifname, strerror(errno));
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    short flags = IFF_TAP | IFF_NO_PI;
    int i = 1;

    if (i < argc && strcmp(argv[i], "--pi") == 0) {
        flags = IFF_TAP;
        i++;
    } else if (i < argc && strcmp(argv[i], "--vnet") == 0) {
        flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
        i++;
    } else if (i < argc && strcmp(argv[i], "--tun") == 0) {
        flags = IFF_TUN | IFF_NO_PI;
        i++;
    }
    if (argc - i < 3)
        return usage();
    int target = atoi(argv[i + 1]);
    int fd = open_tap(argv[i], flags);
    if (fd < 0 || target < 3)
        return 1;
    if (fd != target) {
        if (dup2(fd, target) < 0) {
            perror("tapfd: dup2");
            return 1;
        }
        close(fd);
    }
    execvp(argv[i + 2], argv + i + 2);
    fprintf(stderr, "tapfd: %s: %s\n", argv[i + 2], strerror(errno));
    return 1;
}
