/* preload.c: a library an attacker names in LD_PRELOAD, or puts in an
 * image's /lib: when a dynamic loader loads it, its constructor leaves a
 * marker file (TG_PLANTED_MARKER, else /planted-ran) and says so. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void planted(void)
{
    const char *marker = getenv("TG_PLANTED_MARKER");
    int fd = open(marker ? marker : "/planted-ran", O_WRONLY | O_CREAT, 0644);

    if (fd >= 0)
        close(fd);
    fputs("PLANTED LIBRARY RAN\n", stderr);
}
