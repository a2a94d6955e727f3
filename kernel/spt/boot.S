/* boot.S: the spt guest's entry point.
 *
 * The monitor calls _start(struct spt_boot_info *) in its own process, on
 * a stack at the top of guest memory (docs/spt-abi.md). That stack lies in
 * what the application gets as its heap, so the kernel moves to its own,
 * in the image (spt.ld), before any C code runs. */

#include "../boot_entry.inc"

    .section .text.boot, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    movq $tg_stack_top, %rsp
    movq %rdi, %rbx

    TG_SET_CANARY /* before any C code runs */

    TG_ZERO_BSS

    movq %rbx, %rdi
    call tg_spt_start
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
