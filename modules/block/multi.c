/* multi.c: multi-block requests, tender-gen's extension to the block module
 * (HVT_FEATURE_TG_BLOCK_MULTI): HVT_HYPERCALL_TG_BLOCK_WRITE and _READ move
 * any whole number of blocks in one hypercall, where Solo5's move exactly
 * one. Solo5 guests never use them; a guest of ours uses them only when
 * the boot info offers the bit (kernel/include/solo5_ext.h).
 *
 * Part of the block module: block.c's mod_block_serve (block.h) checks and
 * moves the request (with multi set), and its system calls are block.c's
 * (pread64 and pwrite64 on the block descriptors). */
#include "../core/monitor.h"
#include "block.h"

static int mod_block_multi_write(struct mon *m, hvt_gpa_t gpa)
{
    return mod_block_serve(m, gpa, "TG_BLOCK_WRITE", 1, 1);
}

static int mod_block_multi_read(struct mon *m, hvt_gpa_t gpa)
{
    return mod_block_serve(m, gpa, "TG_BLOCK_READ", 0, 1);
}
