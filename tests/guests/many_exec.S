/* many_exec.S: code in 16 executable segments (many_exec.ld). A monitor
 * refuses the file before it runs; were it run, it would halt with
 * status 0. */
#include "rawcall.inc"
    .section .text.boot, "ax"
    .globl _start
_start:
    raw_halt

    .section .text1, "ax"
    ret
    .section .text2, "ax"
    ret
    .section .text3, "ax"
    ret
    .section .text4, "ax"
    ret
    .section .text5, "ax"
    ret
    .section .text6, "ax"
    ret
    .section .text7, "ax"
    ret
    .section .text8, "ax"
    ret
    .section .text9, "ax"
    ret
    .section .text10, "ax"
    ret
    .section .text11, "ax"
    ret
    .section .text12, "ax"
    ret
    .section .text13, "ax"
    ret
    .section .text14, "ax"
    ret
    .section .text15, "ax"
    ret
