/* frontend.h: the two readers that turn an input into a device set. Both
 * report every problem through diag.h and return the number of errors they
 * reported (0: *out is complete and valid). (path) is used in messages only;
 * (buf, len) is the whole file. */
#ifndef TG_FRONTEND_H
#define TG_FRONTEND_H

#include <stddef.h>

#include "devset.h"

/* A YAML manifest (docs/manifest.md), or Solo5's
 * manifest.json, which is valid YAML. */
unsigned tg_read_yaml(const char *path, const unsigned char *buf, size_t len,
                      struct tg_devset *out);

/* A unikernel ELF: the ABI1, MFT1 and (optional) TGN1 notes, located by the
 * rule of docs/hvt-abi.md §1.3. */
unsigned tg_read_elf(const char *path, const unsigned char *buf, size_t len,
                     struct tg_devset *out);

/* True when (buf, len) starts with the ELF magic. */
int tg_is_elf(const unsigned char *buf, size_t len);

#endif /* TG_FRONTEND_H */
