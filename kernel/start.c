/* start.c: from the platform's boot to solo5_app_main().
 *
 * The platform's entry code has set up the CPU or the process (stack,
 * canary, FS base, .bss, and on hvt the GDT, TSS and IDT) and its own
 * state; this sets up the rest and hands over. The banner is one console
 * write: on hosts that emulate guest instructions, every exit costs. */
#include "kernel.h"
#include "line.h"

#ifndef TG_VERSION
#define TG_VERSION "unknown"
#endif

/* The application may keep the pointer it is given. */
static struct solo5_start_info start_info;

/* Solo5's banner says where things are; ours says it in the same words.
 * Built with line.h, not printf: on an emulating host this was most of a
 * hello's boot. */
static void print_banner(uintptr_t heap_start, uint64_t mem_size)
{
    struct tg_line l;

    l.len = 0; /* the buffer itself needs no clearing */

    if (!tg_log_enabled(TG_LOG_INFO))
        return;
    tg_line_lit(&l,
                "Solo5: tender-gen kernel " TG_VERSION ", " TG_TARGET_ABI "\n"
                "Solo5: Memory map: ");
    tg_line_dec(&l, (long long)(mem_size >> 20));
    tg_line_lit(&l, " MB addressable:\nSolo5:   stack @ (");
    tg_line_hex(&l, (uintptr_t)tg_stack_bottom);
    tg_line_lit(&l, " - ");
    tg_line_hex(&l, (uintptr_t)tg_stack_top - 1);
    tg_line_lit(&l, ")\nSolo5:   image @ (");
    tg_line_hex(&l, (uintptr_t)_stext);
    tg_line_lit(&l, " - ");
    tg_line_hex(&l, (uintptr_t)_end - 1);
    tg_line_lit(&l, ")\nSolo5:    heap @ (");
    tg_line_hex(&l, heap_start);
    tg_line_lit(&l, " - ");
    tg_line_hex(&l, mem_size - 1);
    tg_line_lit(&l, ")\n");
    solo5_console_write(l.buf, l.len);
}

void tg_kernel_start(const struct tg_boot *boot)
{
    uintptr_t heap_start = TG_PAGE_ALIGN_UP((uintptr_t)_end);

    tg_mft = boot->mft;
    start_info.cmdline = tg_cmdline_parse(boot->cmdline);

    /* The stack is part of the image (the target's linker script), so the
     * heap is all RAM above it. */
    if (heap_start >= boot->mem_size)
        TG_PANIC("Not enough memory", NULL);
    start_info.heap_start = heap_start;
    start_info.heap_size = (size_t)(boot->mem_size - heap_start);
    print_banner(heap_start, boot->mem_size);

    solo5_exit(solo5_app_main(&start_info));
}
