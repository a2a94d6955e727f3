/* wxhigh.S: a guest whose text straddles a 2 MiB boundary (raw_high.ld),
 * with rodata and data in the same 2 MiB regions. It first runs code on
 * each side of the boundary (far_code, above 4 MiB), then, by the first
 * character of its command line, calls a `ret` placed where no code
 * belongs:
 *   r  in its rodata      d  in its data (written at run time)
 *   s  on its stack, at the top of guest memory
 * anything else: halt with status 0. With no IDT, the no-execute page
 * fault becomes a triple fault; returning means the code ran, and the
 * guest says so on the console and halts with status 0. */
#include "rawcall.inc"
    .section .text.boot, "ax"
    .globl _start
_start:
    call far_code
    movq 24(%rdi), %rsi         /* boot info: cmdline */
    movzbl (%rsi), %eax
    cmpb $'r', %al
    je call_rodata
    cmpb $'d', %al
    je call_data
    cmpb $'s', %al
    je call_stack
    jmp done

call_rodata:
    leaq ret_rodata(%rip), %rax
    call *%rax
    jmp ran
call_data:
    leaq ret_data(%rip), %rax
    movb $0xc3, (%rax)
    call *%rax
    jmp ran
call_stack:
    subq $16, %rsp
    movb $0xc3, (%rsp)
    movq %rsp, %rax
    call *%rax
    jmp ran

/* PUTS(msg, msg_len) with the struct on the stack, then halt. */
ran:
    raw_puts msg, msg_len
done:
    raw_halt

/* Past the 4 MiB boundary: the padding fills the rest of the first page. */
    .balign 0x1000
    .globl far_code
far_code:
    ret

    .section .rodata
ret_rodata:
    .byte 0xc3
msg:
    .ascii "wxhigh: FAILURE: code outside the text ran\n"
    msg_len = . - msg

    .data
ret_data:
    .byte 0
