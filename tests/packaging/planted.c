/* planted.c: what an attacker plants where a drop-in might run it: a
 * forged monitor in a cache, or a guest image's own dynamic loader. If it
 * ever runs it leaves a marker file (TG_PLANTED_MARKER, else /planted-ran,
 * the image's root inside a chroot) and says so. Static, so it runs inside
 * a chroot that holds nothing else. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    const char *marker = getenv("TG_PLANTED_MARKER");
    int fd = open(marker ? marker : "/planted-ran", O_WRONLY | O_CREAT, 0644);

    if (fd >= 0)
        close(fd);
    fputs("PLANTED CODE RAN\n", stderr);
    return 0;
}
