/* entry-offset.elf — an ELF whose entry (0x80100100) is neither its lowest address nor the
 * start of DRAM, with an absolute symbol (__stack_size = 0x1000, as picolibc's linker script
 * defines one) and a data object over code. QEMU's reset vector still jumps to 0x80000000
 * (-bios none) and passes the lowest load address (0x800ff000) in fw_dynamic_info.next_addr. */
    .section .text
    .globl _start
    .org 0x100
_start:
    li      t0, 0x100000
    li      t1, 0x5555
    sw      t1, 0(t0)
1:  j       1b
    .globl  code_as_data
    .type   code_as_data, @object
    .size   code_as_data, 8
code_as_data:
    .word   0, 0
