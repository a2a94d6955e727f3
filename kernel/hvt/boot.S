/* boot.S: the guest's entry point and the CPU trap entry stubs.
 *
 * The monitor enters _start in 64-bit mode with the state of docs/hvt-abi.md §3:
 * RDI = boot info, interrupts off, no IDT, and a GDT the guest cannot see.
 * Every guest instruction is costly on some hosts (emulated, about 1 us),
 * so this path is straight-line code: the GDT and IDT are laid out by
 * hvt.ld at link time and the TSS below is static. */

#define MSR_FS_BASE 0xc0000100
#include "../boot_entry.inc"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

    .section .text.boot, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    /* Our own stack, with the read-only page below it as a guard. The
     * monitor's stack is at the top of RAM, inside the application's heap,
     * with nothing to catch an overflow. */
    movq $tg_stack_top, %rsp
    movq %rdi, %rbx

    TG_SET_CANARY /* before any C code runs */

    /* FS base 0: until the application sets up TLS, a TLS access faults on
     * the unmapped zero page instead of reading garbage. */
    movl $MSR_FS_BASE, %ecx
    xorl %eax, %eax
    xorl %edx, %edx
    wrmsr

    /* Our GDT, then reload CS (far return) and the data segments. */
    lgdt tg_gdtr
    pushq $SEL_CODE
    pushq $1f
    lretq
1:  movl $SEL_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss

    /* The TSS holds the IST stacks the fault handlers run on. */
    movl $SEL_TSS, %eax
    ltr %ax
    lidt tg_idtr

    TG_ZERO_BSS

    movq %rbx, %rdi
    call tg_start
    ud2
    .size _start, . - _start

/* Trap entry: one 16-byte stub per vector 0-31, so that hvt.ld can compute
 * each IDT gate from the address of the first one. Each pushes a zero error
 * code when the CPU pushes none, then the vector, and joins
 * tg_trap_common. */
    .text
    .balign 512
    .globl tg_trap_stubs
tg_trap_stubs:
    .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .balign 16
    /* Vectors that push an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC
     * #SX. */
    .if (\vec != 8) && ((\vec < 10) || (\vec > 14)) && (\vec != 17) && (\vec != 21) && (\vec != 29) && (\vec != 30)
    pushq $0
    .endif
    pushq $\vec
    jmp tg_trap_common
    .endr
    .balign 16
tg_trap_stubs_end:

/* The frame built here is struct tg_trap_frame (trap.c): the general
 * registers, then CR2 in the slot that held the vector, then the error code
 * and what the CPU pushed. From CR2 up it is Solo5's trap frame layout
 * {cr2, ec, rip, cs, rflags, rsp, ss}, handed to the monitor with HALT. */
    .type tg_trap_common, @function
tg_trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq 120(%rsp), %rdi
    movq %cr2, %rax
    movq %rax, 120(%rsp)
    movq %rsp, %rsi
    cld
    /* 22 quadwords are on the 16-byte aligned IST stack, so RSP is 16-byte
     * aligned at the call, as the ABI requires. */
    call tg_trap
    ud2
    .size tg_trap_common, . - tg_trap_common

    .section .rodata
    .balign 8
    .word 0, 0, 0
tg_gdtr:
    .word tg_gdt_limit
    .quad tg_gdt
    .word 0, 0, 0
tg_idtr:
    .word tg_idt_limit
    .quad tg_idt

/* The 64-bit TSS: only the IST pointers matter, as the guest never leaves
 * ring 0. The I/O map base at the TSS limit means no I/O permission map. */
    .data
    .balign 16
    .globl tg_tss
tg_tss:
    .long 0            /* reserved */
    .quad 0, 0, 0      /* RSP0-2 */
    .quad 0            /* reserved */
    .quad tg_ist1_top  /* IST1 */
    .quad tg_ist2_top  /* IST2 */
    .quad 0, 0, 0, 0, 0 /* IST3-7 */
    .quad 0            /* reserved */
    .word 0            /* reserved */
    .word 104          /* I/O map base */

/* PT_INTERP (see hvt.ld). */
    .section .interp, "a", @progbits
    .asciz "/nonexistent/solo5/"

    .section .note.GNU-stack, "", @progbits
