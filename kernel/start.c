/* start.c: from the boot info to solo5_app_main().
 *
 * boot.S has set up the CPU (stack, canary, GDT, TSS, IDT, FS base, .bss);
 * this sets up the rest and hands over. The banner is one console write:
 * on hosts that emulate guest instructions, every formatted line costs. */
#include "kernel.h"

#ifndef TG_VERSION
#define TG_VERSION "unknown"
#endif

const struct hvt_boot_info *tg_boot_info;

/* The application may keep the pointer it is given. */
static struct solo5_start_info start_info;

static void print_banner(uintptr_t heap_start, uint64_t mem_size)
{
    tg_log(TG_LOG_INFO,
           "Solo5: tender-gen kernel " TG_VERSION ", hvt ABI %d\n"
           "Solo5: Memory map: %lu MB addressable:\n"
           "Solo5:   stack @ (0x%lx - 0x%lx)\n"
           "Solo5:   image @ (0x%lx - 0x%lx)\n"
           "Solo5:    heap @ (0x%lx - 0x%lx)\n",
           HVT_ABI_VERSION, (unsigned long)(mem_size >> 20),
           (uintptr_t)tg_stack_bottom, (uintptr_t)tg_stack_top - 1,
           (uintptr_t)_stext, (uintptr_t)_end - 1, heap_start,
           (uintptr_t)mem_size - 1);
}

void tg_start(const struct hvt_boot_info *bi)
{
    uintptr_t heap_start = TG_PAGE_ALIGN_UP((uintptr_t)_end);

    tg_boot_info = bi;
    start_info.cmdline = tg_cmdline_parse((const char *)(uintptr_t)bi->cmdline);
    tg_clock_init(bi->cpu_cycle_freq);

    /* The stack is below the image, so the heap is all RAM above it. */
    if (heap_start >= bi->mem_size)
        TG_PANIC("Not enough memory", NULL);
    start_info.heap_start = heap_start;
    start_info.heap_size = (size_t)(bi->mem_size - heap_start);
    print_banner(heap_start, bi->mem_size);

    solo5_exit(solo5_app_main(&start_info));
}
