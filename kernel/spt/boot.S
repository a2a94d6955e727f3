/* boot.S: the spt guest's entry point.
 *
 * The monitor calls _start(struct spt_boot_info *) in its own process, on
 * a stack at the top of guest memory (docs/spt-abi.md). That stack lies in
 * what the application gets as its heap, so the kernel moves to its own,
 * in the image (spt.ld), before any C code runs. */

#include "../boot_canary.inc"

    .section .text.boot, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    movq $tg_stack_top, %rsp
    movq %rdi, %rbx

    TG_SET_CANARY /* before any C code runs */

    /* Zero .bss: the loader zeroes it, but nothing makes every monitor's
     * loader promise it. */
    movq $__bss_start, %rdi
    movq $__bss_end, %rcx
    subq %rdi, %rcx
    shrq $3, %rcx
    xorl %eax, %eax
    rep stosq

    movq %rbx, %rdi
    call tg_spt_start
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
