/* sptnull.S: the null guest for process (spt) monitors, the counterpart of
 * the hvt null guest (tests/guests/skeleton.S): it writes one line to
 * standard output and exits 0, with the two system calls its monitor's
 * filter allows for that, and nothing else. */
    .section .text.boot, "ax"
    .globl _start
_start:
    movl $1, %eax /* write(1, msg, msg_len) */
    movl $1, %edi
    leaq msg(%rip), %rsi
    movl $msg_len, %edx
    syscall
    movl $231, %eax /* exit_group(0) */
    xorl %edi, %edi
    syscall
1:  jmp 1b

    .section .rodata
msg:
    .ascii "sptnull: hello from a guest in a process\n"
    .set msg_len, . - msg
