/* boot_canary.h: for both targets' boot.S, the stack-protector canary,
 * set before any C code runs (ssp.c). The TSC is the only entropy at hand
 * (an spt guest may make no system call for it): its fast-changing low
 * bits are folded into the high ones. The low byte is zero so that string
 * functions stop at the canary. __stack_chk_guard is in .data, not .bss.
 * Clobbers rax, rcx and rdx. */
.macro TG_SET_CANARY
    rdtsc
    shlq $32, %rdx
    orq %rdx, %rax
    movq %rax, %rcx
    shlq $24, %rcx
    xorq %rcx, %rax
    xorb %al, %al
    movq %rax, __stack_chk_guard
.endm
