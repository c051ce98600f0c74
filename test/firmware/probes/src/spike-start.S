/* Start for the spike probes: gp, stack, then main (no trap handler, no .bss to clear). */
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    call    main
1:  j       1b
