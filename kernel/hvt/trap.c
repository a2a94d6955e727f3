/* trap.c: reports a CPU exception and aborts the guest.
 *
 * Every exception is fatal: the guest takes no interrupts and handles no
 * faults. The report follows Solo5's first lines (docs/hvt-abi.md §5.4), which
 * tests and people already match on, and adds the general registers. */
#include "hvt.h"

/* Built by tg_trap_common (boot.S), lowest address first. From cr2 on it is
 * Solo5's trap frame layout, which is passed to the monitor as HALT's
 * cookie (a dumpcore module reads it). */
struct tg_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t cr2, ec, rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct tg_trap_frame) == 22 * 8, "boot.S frame size");

#define TRAP_PF 14

static const char *const trap_names[32] = {
    "#DE", "#DB", "#NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "#9",  "#TS",  "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC",  "#XM", "#VE", "#CP", "#22", "#23",
    "#24", "#25", "#26",  "#27", "#28", "#VC", "#SX", "#31"};

/* Set on the first trap: a fault while reporting one would otherwise
 * restart on the same IST stack and loop forever. */
static volatile int in_trap;

static void report_registers(const struct tg_trap_frame *f)
{
    tg_log(TG_LOG_INFO,
           "Solo5: trap: rax=0x%lx rbx=0x%lx rcx=0x%lx rdx=0x%lx\n"
           "Solo5: trap: rsi=0x%lx rdi=0x%lx rbp=0x%lx r8=0x%lx\n"
           "Solo5: trap: r9=0x%lx r10=0x%lx r11=0x%lx r12=0x%lx\n"
           "Solo5: trap: r13=0x%lx r14=0x%lx r15=0x%lx\n",
           f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->r8, f->r9,
           f->r10, f->r11, f->r12, f->r13, f->r14, f->r15);
}

/* A page fault just below the kernel stack is a stack overflow: say so, as
 * the bare numbers do not. */
static bool is_stack_overflow(uint64_t vector, const struct tg_trap_frame *f)
{
    uintptr_t bottom = (uintptr_t)tg_stack_bottom;

    return vector == TRAP_PF && f->cr2 < bottom &&
           f->cr2 >= bottom - TG_PAGE_SIZE;
}

void tg_trap(uint64_t vector, struct tg_trap_frame *f)
{
    if (in_trap) {
        tg_console_puts("Solo5: ABORT: fault while reporting a fault\n");
        tg_halt(SOLO5_EXIT_ABORT, NULL);
    }
    in_trap = 1;

    tg_log(TG_LOG_INFO,
           "Solo5: trap: type=%s ec=0x%lx rip=0x%lx rsp=0x%lx rflags=0x%lx\n",
           trap_names[vector & 31], f->ec, f->rip, f->rsp, f->rflags);
    if (vector == TRAP_PF)
        tg_log(TG_LOG_INFO, "Solo5: trap: cr2=0x%lx\n", f->cr2);
    report_registers(f);
    if (is_stack_overflow(vector, f))
        tg_log(TG_LOG_INFO, "Solo5: trap: stack overflow (%lu KiB stack)\n",
               (unsigned long)(tg_stack_top - tg_stack_bottom) / 1024);
    TG_PANIC("Fatal trap", &f->cr2);
}
