/* rawops.S: a guest that misbehaves on request, in plain assembly so that
 * no kernel/ check stands between it and the monitor. The first character
 * of its command line picks what it does:
 *   w  write to its own text        r  write to its own rodata
 *   p  OUT to a port that is no hypercall
 *   n  a hypercall number this monitor does not serve (BLOCK_WRITE)
 *   b  PUTS with a buffer beyond guest memory
 *   t  touch unmapped memory with no IDT: a triple fault
 *   i  hlt with interrupts off
 *   s  spin forever (for signal tests)
 * anything else: halt with status 0. */
    .section .text.boot, "ax"
    .globl _start
_start:
    movq 24(%rdi), %rsi         /* boot info: cmdline */
    movq 0(%rdi), %r8           /* boot info: mem_size */
    movzbl (%rsi), %eax
    cmpb $'w', %al
    je write_text
    cmpb $'r', %al
    je write_rodata
    cmpb $'p', %al
    je bad_port
    cmpb $'n', %al
    je bad_hypercall
    cmpb $'b', %al
    je bad_pointer
    cmpb $'t', %al
    je triple
    cmpb $'i', %al
    je halt_cpu
    cmpb $'s', %al
    je spin
    jmp done

write_text:
    leaq _start(%rip), %rax
    movb $0, (%rax)
    jmp done
write_rodata:
    leaq msg(%rip), %rax
    movb $0, (%rax)
    jmp done
bad_port:
    movw $0x1234, %dx
    outb %al, %dx
    jmp done
bad_hypercall:
    subq $48, %rsp
    movq %rsp, %rax
    movw $0x504, %dx
    outl %eax, %dx
    jmp done
bad_pointer:
    subq $16, %rsp
    movq %r8, 0(%rsp)           /* data = mem_size: just past the end */
    movq $16, 8(%rsp)
    movq %rsp, %rax
    movw $0x502, %dx
    outl %eax, %dx
    jmp done
triple:
    movabsq $0x1000000000, %rax /* 64 GiB: never mapped */
    movq (%rax), %rax
    jmp done
halt_cpu:
    hlt
    jmp done
spin:
    jmp spin

done:
    subq $16, %rsp
    movq $0, 0(%rsp)
    movl $0, 8(%rsp)
    movq %rsp, %rax
    movw $0x508, %dx
    outl %eax, %dx
1:  jmp 1b

    .section .rodata
msg:
    .ascii "rodata"
