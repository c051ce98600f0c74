/* Start file for firmware that is loaded straight into RAM (virt, spike): QEMU's reset ROM
 * (or our machine's loader) jumps to _start at the ELF entry with the image already in place,
 * so there is no .data copy; .bss is cleared here. Then main() runs, and its return value is
 * the exit status (0 = pass). */
    .section .text.start, "ax"
    .globl _start
_start:
    /* gp must be set without relaxation, or the linker would rewrite this as gp-relative. */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      t0, trap_entry
    csrw    mtvec, t0

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:
    call    main
    call    board_exit          /* a0 = main's return value */
