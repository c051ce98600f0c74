/* ttext-*.elf — a program linked with -Ttext and GNU ld's default script (not our ram.ld):
 * its first PT_LOAD segment also carries the ELF and program headers, so it starts a page
 * below .text. With -Ttext=0x80000000 that page is 0x7ffff000, in virt's PCIe window: QEMU
 * drops those bytes and runs the program. With -Ttext=0x1000 the segment overlaps QEMU's
 * reset vector blob and QEMU refuses to start. It prints a line on the UART and passes. */
    .section .text
    .globl _start
_start:
    li      t0, 0x10000000
    la      t2, message
1:  lbu     t1, 0(t2)
    beqz    t1, 2f
    sb      t1, 0(t0)
    addi    t2, t2, 1
    j       1b
2:  li      t0, 0x100000
    li      t1, 0x5555
    sw      t1, 0(t0)
3:  j       3b
message:
    .asciz  "loaded, running at the start of DRAM\r\n"
