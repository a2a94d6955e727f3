/* pvh.S: the smallest guest QEMU boots, for bench/run's QEMU row: a PVH
 * kernel (Xen's direct-boot ABI, which QEMU's -kernel loader and the
 * microvm machine support) whose first instruction writes 0 to the
 * isa-debug-exit port, so QEMU exits with status (0 << 1) | 1 = 1. QEMU
 * enters it in 32-bit protected mode, paging off. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define DEBUG_EXIT_PORT 0xf4 /* -device isa-debug-exit,iobase=0xf4 */

    .section .note.pvh, "a", @note
    .balign 4
    .long 4 /* name size: "Xen" and its NUL */
    .long 4 /* descriptor size: a 32-bit entry address */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .long pvh_start

    .section .text, "ax"
    .code32
    .globl pvh_start
pvh_start:
    movw $DEBUG_EXIT_PORT, %dx
    xorl %eax, %eax
    outl %eax, %dx
1:  hlt /* not reached: QEMU has exited */
    jmp 1b
