/* tls.c: thread-local storage blocks for the application (x86_64, TLS
 * variant II).
 *
 * A block is the executable's TLS image (PT_TLS: .tdata then .tbss) with
 * its size rounded up to the segment's alignment, followed by the thread
 * control block, a single pointer to itself. The thread pointer (FS base)
 * points at that pointer, and the linker addresses TLS variables at
 * negative offsets from it. The sizes come from the target's linker script;
 * setting the thread pointer (solo5_set_tls_base) is the platform's. */
#include <string.h>

#include "kernel.h"

extern char tg_tdata_start[];
extern char tg_tls_filesz[], tg_tls_memsz[], tg_tls_align[];

/* The TCB of variant II: the thread pointer's self-reference. */
struct tcb {
    uintptr_t self;
};

/* Bytes of TLS data before the thread pointer. */
static size_t tls_data_size(void)
{
    size_t align = (size_t)tg_tls_align;

    return ((size_t)tg_tls_memsz + align - 1) & ~(align - 1);
}

size_t solo5_tls_size(void)
{
    return tls_data_size() + sizeof(struct tcb);
}

uintptr_t solo5_tls_tp_offset(uintptr_t tls)
{
    return tls + tls_data_size();
}

solo5_result_t solo5_tls_init(uintptr_t tls)
{
    size_t filesz = (size_t)tg_tls_filesz;
    struct tcb *tcb;

    if (tls == 0)
        return SOLO5_R_EINVAL;
    memcpy((void *)tls, tg_tdata_start, filesz);
    /* Solo5 leaves .tbss to the caller; zeroing it here costs little and
     * makes a fresh block behave like the main program's. */
    memset((char *)tls + filesz, 0, tls_data_size() - filesz);
    tcb = (struct tcb *)solo5_tls_tp_offset(tls);
    tcb->self = (uintptr_t)tcb;
    return SOLO5_R_OK;
}
