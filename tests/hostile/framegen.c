/* framegen.c: sends Ethernet frames out of a network interface as fast as
 * it can for a while, through a packet socket: on the host side of a tap,
 * every frame reaches the guest's device.
 *     framegen IFACE MILLISECONDS
 * Frames are 64 bytes, to the broadcast address, of the local experimental
 * EtherType, so nothing on the host answers them. Prints the number sent.
 * Needs CAP_NET_RAW. */
#define _DEFAULT_SOURCE /* struct ifreq, clock_gettime with -std=c11 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    unsigned char frame[64];
    unsigned long sent = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: framegen IFACE MILLISECONDS\n");
        return 2;
    }
    int s = socket(AF_PACKET, SOCK_RAW, 0);
    struct sockaddr_ll to = {.sll_family = AF_PACKET,
                             .sll_ifindex = (int)if_nametoindex(argv[1]),
                             .sll_halen = 6};
    if (s < 0 || to.sll_ifindex == 0) {
        fprintf(stderr, "framegen: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    memset(frame, 0xa5, sizeof(frame));
    memset(frame, 0xff, 6);
    memset(to.sll_addr, 0xff, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    double end = now_ms() + atof(argv[2]);
    while (now_ms() < end)
        /* A full queue drops frames (ENOBUFS): go on. */
        sent += sendto(s, frame, sizeof(frame), 0, (struct sockaddr *)&to,
                       sizeof(to)) == (ssize_t)sizeof(frame);
    printf("framegen: sent %lu\n", sent);
    return 0;
}
