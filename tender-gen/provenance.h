/* provenance.h: reads back what a monitor says about its own making: the
 * `.tender_gen` section holding "tender-gen VERSION\nshape: SHAPE\n
 * digest: sha256:HEX\n" (emit_monitor.c writes it). */
#ifndef TG_PROVENANCE_H
#define TG_PROVENANCE_H

#include <stddef.h>

#include "shape.h"

struct tg_provenance {
    char version[32];
    char shape[TG_SHAPE_TEXT_MAX];
    char digest[65]; /* hex, without the "sha256:" */
};

/* Parses the section in the ELF image (image, len); libelf may use (image)
 * as scratch space, hence not const. Returns 0, or -1 with the reason in
 * (why). */
int tg_provenance_read(char *image, size_t len, struct tg_provenance *prov,
                       char *why, size_t whysize);

#endif /* TG_PROVENANCE_H */
