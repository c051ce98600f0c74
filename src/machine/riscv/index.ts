/*
 * Public API of the RISC-V core: the hart (implements Cpu), its options and hooks, interrupt
 * numbers, CSR numbers, the disassembler, the instruction table and the assembler.
 */
export { RiscvHart, type RiscvHartOptions } from './hart';
export { Cause, EbreakAction, INTERRUPT_BIT } from './constants';
export { CSR, IRQ_MEI, IRQ_MSI, IRQ_MTI, MISA_RV32IMAC } from './csr';
export { csrName } from './csr-names';
export { decode, type Decoded } from './decode';
export { disassembleBuffer, disassembleRaw, formatTarget } from './disasm';
export { isSemihostingCall } from './semihosting';
export { INSTRUCTIONS, ABI_NAMES, type InstructionSpec, type Extension } from './isa-table';
export { CSR_REGISTER_BASE, PC_REGISTER_ID, RISCV_REGISTERS } from './registers';

export { DisassemblyContext } from './disasm-hints';
export { Op } from './ops';
