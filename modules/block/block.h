/* block.h: what the block module's files share: the one path every block
 * hypercall takes (block.c), which multi.c's hypercalls call too. */
#ifndef MOD_BLOCK_H
#define MOD_BLOCK_H

#include "../../include/hvt_dev_abi.h"
#include "../core/monitor.h"
#include "../core/services.h"

/* Serves the block hypercall whose argument struct is at (gpa): (what)
 * names it in messages; (write) moves guest memory to the file; (multi)
 * allows any whole number of blocks, not exactly one. Returns what a
 * hypercall handler returns. */
int mod_block_serve(struct mon *m, hvt_gpa_t gpa, const char *what, int write,
                    int multi);

#endif /* MOD_BLOCK_H */
