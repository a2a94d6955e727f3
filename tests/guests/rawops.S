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
 *   W  PUTS whose buffer wraps around the 64-bit address space
 *   L  PUTS of 2^63 bytes
 *   S  a PUTS argument struct straddling the top of guest memory
 *   E  PUTS whose buffer ends exactly at the top of guest memory
 *   M  PUTS of all guest memory from 1 MiB to 2 MiB below the top (a
 *      console write of many megabytes; must work)
 *   H  HALT with its cookie in the last 512 bytes of guest memory
 *   k  a 4-byte OUT to the ring kick port 0x600 (no ring is offered)
 *   I  an IN from a hypercall port
 *   2  a 2-byte OUT to a hypercall port
 * anything else: halt with status 0. */
#include "rawcall.inc"
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
    cmpb $'W', %al
    je puts_wrap
    cmpb $'L', %al
    je puts_huge
    cmpb $'S', %al
    je puts_straddle
    cmpb $'E', %al
    je puts_at_top
    cmpb $'M', %al
    je puts_megabytes
    cmpb $'H', %al
    je halt_cookie_top
    cmpb $'k', %al
    je ring_kick
    cmpb $'I', %al
    je port_in
    cmpb $'2', %al
    je port_word
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

/* puts(data in %rcx, len in %rdx) with the struct on the stack */
puts_rcx_rdx:
    subq $16, %rsp
    movq %rcx, 0(%rsp)
    movq %rdx, 8(%rsp)
    movq %rsp, %rax
    movw $0x502, %dx
    outl %eax, %dx
    addq $16, %rsp
    ret
puts_wrap:
    movq $-0x1000, %rcx
    movq $0x2000, %rdx
    call puts_rcx_rdx
    jmp done
puts_huge:
    movq $0x100000, %rcx
    movabsq $0x8000000000000000, %rdx
    call puts_rcx_rdx
    jmp done
puts_straddle:
    leaq -8(%r8), %rax          /* struct at mem_size - 8: 8 bytes inside */
    movw $0x502, %dx
    outl %eax, %dx
    jmp done
puts_at_top:
    leaq -16(%r8), %rcx
    movq $16, %rdx
    call puts_rcx_rdx
    jmp done
puts_megabytes:
    movq $0x100000, %rcx
    leaq -0x300000(%r8), %rdx   /* mem_size - 3 MiB bytes from 1 MiB */
    call puts_rcx_rdx
    jmp done
halt_cookie_top:
    subq $16, %rsp
    leaq -100(%r8), %rax
    movq %rax, 0(%rsp)
    movl $0, 8(%rsp)
    movq %rsp, %rax
    movw $0x508, %dx
    outl %eax, %dx
    jmp done
ring_kick:
    xorl %eax, %eax
    movw $0x600, %dx
    outl %eax, %dx
    jmp done
port_in:
    movw $0x502, %dx
    inl %dx, %eax
    jmp done
port_word:
    movw $0x502, %dx
    outw %ax, %dx
    jmp done

done:
    raw_halt

    .section .rodata
msg:
    .ascii "rodata"
