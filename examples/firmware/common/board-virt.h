/* Device addresses of QEMU's riscv32 `virt` machine (`qemu-system-riscv32 -M virt -bios none`),
 * checked against QEMU 7.2's `info mtree` (test/firmware/oracle/virt-riscv32.mtree.txt). */
#ifndef BOARD_VIRT_H
#define BOARD_VIRT_H

#define UART0_BASE      0x10000000u /* NS16550A, 8 byte-wide registers ("serial") */
#define FINISHER_BASE   0x00100000u /* SiFive test finisher ("riscv.sifive.test") */
#define CLINT_BASE      0x02000000u /* ACLINT: msip at +0 ("riscv.aclint.swi") */
#define CLINT_MTIMECMP  (CLINT_BASE + 0x4000u) /* hart 0 mtimecmp, 64-bit ("riscv.aclint.mtimer") */
#define CLINT_MTIME     (CLINT_BASE + 0xbff8u) /* mtime, 64-bit, 10 MHz on virt */
#define PLIC_BASE       0x0c000000u

#endif
