/* Start file for the `remap` board: the image is linked to run from the boot ROM at 0.
 * _start (in ROM) copies the payload — everything from .sram_header to the end of .data — from
 * its load address in ROM to its run address in SRAM (0x2000_0000), executes fence.i because it
 * just wrote code, and jumps to payload_start in SRAM, which sets up the C environment there
 * (gp, mtvec, .bss) and calls main. From then on nothing runs from ROM, so main may map the
 * SRAM alias over address 0 (hiding the ROM) without pulling the floor from under itself. */
    .section .text.boot, "ax"
    .globl _start
_start:
    la      sp, __stack_top
    la      t0, __payload_load      /* in ROM */
    la      t1, __payload_start     /* in SRAM */
    la      t2, __payload_end
1:  bgeu    t1, t2, 2f
    lw      t3, 0(t0)
    sw      t3, 0(t1)
    addi    t0, t0, 4
    addi    t1, t1, 4
    j       1b
2:  fence.i
    la      t0, payload_start
    jr      t0

    .text
payload_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
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
    call    board_exit
