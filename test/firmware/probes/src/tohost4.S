/* spike-tohost4.elf — a `tohost` symbol of 4 bytes: QEMU 7.2's spike refuses the program
 * ("HTIF tohost must be 8 bytes"). */
    .section .text
    .globl _start
_start:
1:  j       1b
    .section .data
    .balign 64
    .globl  tohost
tohost:
    .dword  0
    .size   tohost, 4
    .globl  fromhost
fromhost:
    .dword  0
    .size   fromhost, 8
