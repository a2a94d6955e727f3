/* input.h: one INPUT of the command line (a manifest or a unikernel ELF)
 * read into a named device set. */
#ifndef TG_INPUT_H
#define TG_INPUT_H

#include "devset.h"

/* Reads (path) with the front end its content calls for. When the input
 * names no service, names it after the file (base name without extension).
 * Returns the number of errors reported (0: *set is valid). */
unsigned tg_load_input(const char *path, struct tg_devset *set);

#endif /* TG_INPUT_H */
