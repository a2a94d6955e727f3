/* blkfile.c: makes block test images on the host, and the images a test
 * expects after a guest run.
 *
 *   blkfile OUT SIZE HSEED [BS GSEED BLOCK...]
 *
 * writes SIZE bytes of the host pattern HSEED to OUT, then each BLOCK (an
 * index, in blocks of BS bytes) with the guest pattern GSEED, exactly as
 * blkguest writes it (pattern.h). cmp(1) then compares an image with it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

static unsigned long long number(const char *s)
{
    char *end;

    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *s == 0 || *end != 0) {
        fprintf(stderr, "blkfile: not a number: '%s'\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc == 5) {
        fprintf(stderr, "usage: blkfile OUT SIZE HSEED [BS GSEED BLOCK...]\n");
        return 2;
    }
    size_t size = (size_t)number(argv[2]);
    uint32_t hseed = (uint32_t)number(argv[3]);
    uint8_t *img = malloc(size ? size : 1);
    if (!img)
        return 2;
    for (size_t pos = 0; pos < size; pos++)
        img[pos] = blk_host_byte(pos, hseed);
    if (argc > 5) {
        size_t bs = (size_t)number(argv[4]);
        uint32_t gseed = (uint32_t)number(argv[5]);
        for (int i = 6; i < argc; i++) {
            size_t b = (size_t)number(argv[i]);
            if (bs == 0 || b >= size / bs) {
                fprintf(stderr, "blkfile: block %zu outside the image\n", b);
                return 2;
            }
            for (size_t k = 0; k < bs; k++)
                img[b * bs + k] = blk_guest_byte(b, k, gseed);
        }
    }
    FILE *f = fopen(argv[1], "wb");
    if (!f || fwrite(img, 1, size, f) != size || fclose(f) != 0) {
        fprintf(stderr, "blkfile: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    free(img);
    return 0;
}
