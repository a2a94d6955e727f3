/* wxops.S: a guest that writes the boot data the monitor gave it, in plain
 * assembly so that nothing stands between it and the memory. The guest's
 * page tables map the boot data read-only, so each case first clears
 * CR0.WP, which lets ring 0 write read-only pages: only the host's mapping
 * is left to stop the write. The first character of its command line picks
 * the target:
 *   b  the boot info (its mem_size field)
 *   c  the command line (its first byte)
 *   m  the manifest copy (its version field)
 *   B  the boot info with CR0.WP left set: the guest's own page fault,
 *      a triple fault in this guest without an IDT
 *   h  asks the monitor to write it: WALLTIME with its struct on the
 *      boot info
 * anything else: halt with status 0. After a write that went through, it
 * says so on the console and halts with status 0. */
#include "rawcall.inc"
    .section .text.boot, "ax"
    .globl _start
_start:
    movq 24(%rdi), %rsi         /* boot info: cmdline */
    movq 32(%rdi), %r9          /* boot info: mft */
    movzbl (%rsi), %eax
    cmpb $'b', %al
    je write_boot_info
    cmpb $'c', %al
    je write_cmdline
    cmpb $'m', %al
    je write_manifest
    cmpb $'B', %al
    je write_boot_info_wp
    cmpb $'h', %al
    je walltime_boot_info
    jmp done

clear_wp:
    movq %cr0, %rax
    andq $~(1 << 16), %rax
    movq %rax, %cr0
    ret

write_boot_info:
    call clear_wp
    movq $0x40000000, (%rdi)    /* claim 1 GiB of memory */
    jmp wrote
write_cmdline:
    call clear_wp
    movb $'X', (%rsi)
    jmp wrote
write_manifest:
    call clear_wp
    movl $0xbad, (%r9)
    jmp wrote
write_boot_info_wp:
    movq $0x40000000, (%rdi)
    jmp wrote
walltime_boot_info:
    movq %rdi, %rax
    movw $0x501, %dx
    outl %eax, %dx
    jmp wrote

/* PUTS(msg, msg_len) with the struct on the stack, then halt. */
wrote:
    raw_puts msg, msg_len
done:
    raw_halt

    .section .rodata
msg:
    .ascii "wxops: FAILURE: the boot data write went through\n"
    msg_len = . - msg
