/* skeleton.S: the smallest guest that uses the hvt ABI: it prints one line
 * with PUTS and halts with the status given as a decimal number on its
 * command line (none: 0). It needs no kernel/, so it tests the monitor alone. */
    .section .text.boot, "ax"
    .globl _start
_start:
    /* rdi = struct hvt_boot_info; its cmdline field is at offset 24 */
    movq 24(%rdi), %rsi
    xorl %ebx, %ebx
1:  movzbl (%rsi), %ecx
    subl $'0', %ecx
    cmpl $9, %ecx
    ja 2f
    imull $10, %ebx, %ebx
    addl %ecx, %ebx
    incq %rsi
    jmp 1b
2:
    /* PUTS(msg, len): struct hvt_hc_puts {data, len} on the stack */
    subq $16, %rsp
    leaq msg(%rip), %rax
    movq %rax, 0(%rsp)
    movq $msg_len, 8(%rsp)
    movq %rsp, %rax
    movw $0x502, %dx
    outl %eax, %dx
    /* HALT: struct hvt_hc_halt {cookie = 0, exit_status} */
    movq $0, 0(%rsp)
    movl %ebx, 8(%rsp)
    movq %rsp, %rax
    movw $0x508, %dx
    outl %eax, %dx
3:  jmp 3b /* the monitor never resumes a halted guest */

    .section .rodata
msg:
    .ascii "skeleton: hello from a guest under KVM\n"
    .set msg_len, . - msg
