import type { RegisterInfo } from '../cpu';
import { CSR_NUMBERS } from './csr';
import { csrName } from './csr-names';
import { ABI_NAMES } from './isa-table';

/** Register ids follow GDB's RISC-V numbering: x0..x31 = 0..31, pc = 32, CSR n = 65 + n. */
export const PC_REGISTER_ID = 32;
export const CSR_REGISTER_BASE = 65;

/** Extra spellings GDB and the assembler accept. */
const EXTRA_ALIASES: Record<number, string[]> = { 8: ['fp'] };

export const RISCV_REGISTERS: readonly RegisterInfo[] = [
  ...ABI_NAMES.map((name, i): RegisterInfo => ({
    id: i,
    name,
    aliases: [`x${i}`, ...(EXTRA_ALIASES[i] ?? [])],
    bits: 32,
    group: 'general',
    readOnly: i === 0,
  })),
  { id: PC_REGISTER_ID, name: 'pc', aliases: [], bits: 32, group: 'pc', readOnly: false },
  ...CSR_NUMBERS.map((n): RegisterInfo => ({
    id: CSR_REGISTER_BASE + n,
    name: csrName(n) ?? `csr${n}`,
    aliases: [],
    bits: 32,
    group: 'csr',
    readOnly: n >>> 10 === 3,
  })),
];
