/* guestmem.S: a guest that hands the monitor hypercall structs and buffers
 * in memory it may read but not write (its own text and rodata, which the
 * host maps read-only), in plain assembly so that no library check stands
 * in the way. The monitor must stop it with one line naming the hypercall,
 * the address and why, never write there (a SIGSEGV, or an EFAULT from a
 * read into it). The first character of the command line picks the case:
 *   T  WALLTIME, struct in rodata       P  POLL, struct in rodata
 *   N  NET_WRITE, struct in rodata      Q  NET_READ, struct in rodata
 *   W  BLOCK_WRITE, struct in text      R  BLOCK_READ into rodata
 *   r  BLOCK_READ into text             U  TG_BLOCK_READ into rodata
 *   o  BLOCK_READ of block 0 into data, then PUTS of its first 16 bytes
 * anything else: halt with status 0. Block handle 1 is the manifest's
 * first device (guestmem.yml). */
#include "../guests/rawcall.inc"
    .section .text.boot, "ax"
    .globl _start
_start:
    movq 24(%rdi), %rsi         /* boot info: cmdline */
    movzbl (%rsi), %eax
    cmpb $'T', %al
    je walltime_ro
    cmpb $'P', %al
    je poll_ro
    cmpb $'N', %al
    je net_write_ro
    cmpb $'Q', %al
    je net_read_ro
    cmpb $'W', %al
    je block_write_text
    cmpb $'R', %al
    je block_read_ro
    cmpb $'r', %al
    je block_read_text
    cmpb $'U', %al
    je multi_read_ro
    cmpb $'o', %al
    je block_read_ok
    jmp done

/* hypercall(number in %edx's low byte + 0x500, struct address in %rax) */
walltime_ro:
    leaq ro_struct(%rip), %rax
    movw $0x501, %dx
    outl %eax, %dx
    jmp done
poll_ro:
    leaq ro_struct(%rip), %rax
    movw $0x503, %dx
    outl %eax, %dx
    jmp done
net_write_ro:
    leaq ro_struct(%rip), %rax
    movw $0x506, %dx
    outl %eax, %dx
    jmp done
net_read_ro:
    leaq ro_struct(%rip), %rax
    movw $0x507, %dx
    outl %eax, %dx
    jmp done
block_write_text:
    leaq _start(%rip), %rax
    movw $0x504, %dx
    outl %eax, %dx
    jmp done

/* A BLOCK_READ struct on the stack: handle 1, offset 0, data %rcx, len
 * %r8, through port %dx (kept in %r9w). */
block_read_rcx:
    movw %dx, %r9w
    subq $40, %rsp
    movq $1, 0(%rsp)
    movq $0, 8(%rsp)
    movq %rcx, 16(%rsp)
    movq %r8, 24(%rsp)
    movl $-1, 32(%rsp)
    movq %rsp, %rax
    movw %r9w, %dx
    outl %eax, %dx
    movl 32(%rsp), %eax         /* ret */
    addq $40, %rsp
    ret
block_read_ro:
    leaq ro_buf(%rip), %rcx
    movq $512, %r8
    movw $0x505, %dx
    call block_read_rcx
    jmp done
block_read_text:
    leaq _start(%rip), %rcx
    movq $512, %r8
    movw $0x505, %dx
    call block_read_rcx
    jmp done
multi_read_ro:
    leaq ro_buf(%rip), %rcx
    movq $1024, %r8
    movw $0x50a, %dx
    call block_read_rcx
    jmp done
block_read_ok:
    leaq rw_buf(%rip), %rcx
    movq $512, %r8
    movw $0x505, %dx
    call block_read_rcx
    testl %eax, %eax
    jnz done
    subq $16, %rsp              /* PUTS(rw_buf, 16) */
    leaq rw_buf(%rip), %rax
    movq %rax, 0(%rsp)
    movq $16, 8(%rsp)
    movq %rsp, %rax
    movw $0x502, %dx
    outl %eax, %dx
    addq $16, %rsp
    jmp done

done:
    raw_halt

    .section .rodata
    .balign 64
ro_struct:
    .fill 64, 1, 0
ro_buf:
    .fill 1024, 1, 0x5a

    .data
    .balign 512
rw_buf:
    .fill 512, 1, 0
