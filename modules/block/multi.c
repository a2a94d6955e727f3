/* multi.c: multi-block requests, tender-gen's extension to the block module
 * (HVT_FEATURE_TG_BLOCK_MULTI): HVT_HYPERCALL_TG_BLOCK_WRITE and _READ move
 * any whole number of blocks in one hypercall, where Solo5's move exactly
 * one. Solo5 guests never use them; a guest of ours uses them only when
 * the boot info offers the bit (kernel/include/solo5_ext.h).
 *
 * Part of the block module: it uses block.c's devices and transfer, and
 * its system calls are block.c's (pread64 and pwrite64 on the block
 * descriptors). */
#include "../core/monitor.h"

/* The device behind a multi-block request, if the request is valid: a
 * block device's handle, an offset that is a multiple of its block size, a
 * length that is a non-zero multiple of it, all inside the capacity. NULL
 * otherwise (the guest gets EINVAL). */
static struct mod_block_dev *mod_block_multi_request(struct mon *m,
                                                     uint64_t handle,
                                                     uint64_t offset,
                                                     uint64_t len)
{
    if (handle == 0 || handle >= m->mft->entries)
        return NULL;
    const struct mft_entry *e = &m->mft->e[handle];
    if (e->type != MFT_DEV_BLOCK_BASIC || !e->attached)
        return NULL;
    struct mod_block_dev *d = &mod_block_devs[handle];
    uint64_t bs = e->u.block_basic.block_size;
    /* offset + len is compared without overflowing. */
    if (len == 0 || len % bs != 0 || offset % bs != 0 || offset > d->capacity ||
        len > d->capacity - offset)
        return NULL;
    return d;
}

static void mod_block_multi_write(struct mon *m, hvt_gpa_t gpa)
{
    mod_block_serve(m, gpa, "TG_BLOCK_WRITE", 1, mod_block_multi_request);
}

static void mod_block_multi_read(struct mon *m, hvt_gpa_t gpa)
{
    mod_block_serve(m, gpa, "TG_BLOCK_READ", 0, mod_block_multi_request);
}
