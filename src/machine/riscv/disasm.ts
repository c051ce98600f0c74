import type { CpuBus } from '../bus';
import { hex } from '../../engine';
import type { DisassembledInstruction, SymbolLookup } from '../cpu';
import { csrName } from './csr-names';
import { decode, type Decoded } from './decode';
import { DisassemblyContext } from './disasm-hints';
import { ABI_NAMES } from './isa-table';

/**
 * A disassembler driven by the instruction table, printing what GNU objdump 2.40 prints by
 * default (`objdump -d`, aliases on): `li`, `mv`, `ret`, `j`, `nop`, `csrr`, compressed forms as
 * their expansions, and (with a DisassemblyContext) the `# address` hints after lui/auipc. The
 * golden test (test/machine/riscv/disasm.test.ts) compares it with the real objdump on thousands
 * of encodings. One deliberate difference: encodings the ISA reserves on RV32 that objdump still
 * names (c.addi16sp with immediate 0, compressed shifts with shamt[5]) print as `.2byte`, because
 * this core raises illegal instruction for them.
 */

const reg = (r: number) => ABI_NAMES[r];
const csrText = (n: number) => csrName(n) ?? hex(n);
/** `csrrw x0, cycle, x0`: the canonical 32-bit unimplemented instruction. */
const UNIMP_32 = 0xc0001073;
/** fm, rs1 and rd of a fence: objdump only names fences with these fields zero. */
const FENCE_RESERVED_FIELDS = 0xf00f8f80;
const FENCE_TSO = 0x8330000f;
const FENCE_I = 0x0000100f;
/** objdump prints immediate ALU forms under their register-form names (`add a0,a1,5`). */
const IMMEDIATE_ALU_NAMES: Record<string, string> = {
  addi: 'add',
  xori: 'xor',
  ori: 'or',
  andi: 'and',
  slli: 'sll',
  srli: 'srl',
  srai: 'sra',
};
const COUNTER_ALIASES: Record<number, string> = {
  0xc00: 'rdcycle',
  0xc01: 'rdtime',
  0xc02: 'rdinstret',
  0xc80: 'rdcycleh',
  0xc81: 'rdtimeh',
  0xc82: 'rdinstreth',
};

/** `80000010 <main+0x4>` as objdump renders a branch or jump target. */
export function formatTarget(target: number, symbols?: SymbolLookup): string {
  const t = target >>> 0;
  const sym = symbols?.(t);
  if (!sym) return t.toString(16);
  const off = sym.offset;
  return `${t.toString(16)} <${sym.name}${off > 0 ? `+${hex(off)}` : off < 0 ? `-${hex(-off)}` : ''}>`;
}

/** Renders `pred,succ` of a fence: the letters of i, o, r, w that are set. */
function fenceSet(bits: number): string {
  let s = '';
  if (bits & 8) s += 'i';
  if (bits & 4) s += 'o';
  if (bits & 2) s += 'r';
  if (bits & 1) s += 'w';
  return s || 'unknown';
}

function amoSuffix(aqrl: number): string {
  return ['', '.rl', '.aq', '.aqrl'][aqrl];
}

/** Mnemonic and operands (tab-separated) of a decoded instruction at `address`. */
export function formatDecoded(
  d: Decoded,
  address: number,
  symbols?: SymbolLookup,
): { text: string; target?: number } {
  const spec = d.spec;
  if (!spec) {
    if (d.length === 2) return { text: d.raw === 0 ? 'unimp' : `.2byte\t${hex(d.raw)}` };
    return { text: `.4byte\t${hex(d.raw)}` };
  }
  if (d.raw === UNIMP_32) return { text: 'unimp' };
  const { rd, rs1, rs2, imm } = d;
  const name = spec.name;
  const t = (address + imm) >>> 0;
  const tgt = () => formatTarget(t, symbols);
  switch (spec.format) {
    case 'CIlui':
      if (rd === 0) return { text: `c.lui\tzero,${hex((imm >>> 12) & 0xfffff)}` };
      return { text: `lui\t${reg(rd)},${hex((imm >>> 12) & 0xfffff)}` };
    case 'U':
      return {
        text: `${name === 'auipc' ? 'auipc' : 'lui'}\t${reg(rd)},${hex((imm >>> 12) & 0xfffff)}`,
      };
    case 'J':
      if (rd === 0) return { text: `j\t${tgt()}`, target: t };
      if (rd === 1) return { text: `jal\t${tgt()}`, target: t };
      return { text: `jal\t${reg(rd)},${tgt()}`, target: t };
    case 'CJ':
      return { text: `${rd === 0 ? 'j' : 'jal'}\t${tgt()}`, target: t };
    case 'jalr':
      if (rd === 0 && rs1 === 1 && imm === 0) return { text: 'ret' };
      if (rd === 0 && imm === 0) return { text: `jr\t${reg(rs1)}` };
      if (rd === 1 && imm === 0) return { text: `jalr\t${reg(rs1)}` };
      if (rd === 0) return { text: `jr\t${imm}(${reg(rs1)})` };
      if (rd === 1) return { text: `jalr\t${imm}(${reg(rs1)})` };
      return { text: `jalr\t${reg(rd)},${imm}(${reg(rs1)})` };
    case 'CR':
      if (name === 'c.jr') return { text: rs1 === 1 ? 'ret' : `jr\t${reg(rs1)}` };
      if (name === 'c.jalr') return { text: `jalr\t${reg(rs1)}` };
      // rd = x0 is a HINT: objdump shows the compressed mnemonic.
      if (rd === 0) return { text: `${name}\tzero,${reg(rs2)}` };
      if (name === 'c.mv') return { text: `mv\t${reg(rd)},${reg(rs2)}` };
      return { text: `add\t${reg(rd)},${reg(rd)},${reg(rs2)}` };
    case 'B': {
      if (rs2 === 0 && name !== 'bltu' && name !== 'bgeu') {
        const alias = { beq: 'beqz', bne: 'bnez', blt: 'bltz', bge: 'bgez' }[name];
        return { text: `${alias}\t${reg(rs1)},${tgt()}`, target: t };
      }
      if (rs1 === 0 && (name === 'blt' || name === 'bge')) {
        return { text: `${name === 'blt' ? 'bgtz' : 'blez'}\t${reg(rs2)},${tgt()}`, target: t };
      }
      return { text: `${name}\t${reg(rs1)},${reg(rs2)},${tgt()}`, target: t };
    }
    case 'CB':
      return { text: `${name.slice(2)}\t${reg(rs1)},${tgt()}`, target: t };
    case 'load':
    case 'CL':
    case 'CIlwsp':
      return { text: `${spec.length === 2 ? 'lw' : name}\t${reg(rd)},${imm}(${reg(rs1)})` };
    case 'S':
    case 'CS':
    case 'CSS':
      return { text: `${spec.length === 2 ? 'sw' : name}\t${reg(rs2)},${imm}(${reg(rs1)})` };
    case 'I':
      if (name === 'addi') {
        if (rd === 0 && rs1 === 0 && imm === 0) return { text: 'nop' };
        if (rs1 === 0) return { text: `li\t${reg(rd)},${imm}` };
        if (imm === 0) return { text: `mv\t${reg(rd)},${reg(rs1)}` };
      }
      if (name === 'xori' && imm === -1) return { text: `not\t${reg(rd)},${reg(rs1)}` };
      if (name === 'sltiu' && imm === 1) return { text: `seqz\t${reg(rd)},${reg(rs1)}` };
      return { text: `${IMMEDIATE_ALU_NAMES[name] ?? name}\t${reg(rd)},${reg(rs1)},${imm}` };
    case 'CI':
      if (name === 'c.li') return { text: `${rd === 0 ? 'c.li' : 'li'}\t${reg(rd)},${imm}` };
      if (rd === 0) return { text: imm === 0 ? 'nop' : `c.nop\t${imm}` };
      return { text: `add\t${reg(rd)},${reg(rd)},${imm}` };
    case 'CIW':
    case 'CI16sp':
      return { text: `add\t${reg(rd)},sp,${imm}` };
    case 'CBandi':
      return { text: `and\t${reg(rd)},${reg(rd)},${imm}` };
    case 'Ishift':
      return { text: `${IMMEDIATE_ALU_NAMES[name]}\t${reg(rd)},${reg(rs1)},${hex(imm)}` };
    case 'CIshift':
    case 'CBshift':
      if (imm === 0) return { text: `${name}64\t${reg(rd)}` };
      if (rd === 0) return { text: `${name}\tzero,${hex(imm)}` };
      return { text: `${name.slice(2, 5)}\t${reg(rd)},${reg(rd)},${hex(imm)}` };
    case 'R':
      if (name === 'sub' && rs1 === 0) return { text: `neg\t${reg(rd)},${reg(rs2)}` };
      if (name === 'sltu' && rs1 === 0) return { text: `snez\t${reg(rd)},${reg(rs2)}` };
      if (name === 'slt' && rs2 === 0) return { text: `sltz\t${reg(rd)},${reg(rs1)}` };
      if (name === 'slt' && rs1 === 0) return { text: `sgtz\t${reg(rd)},${reg(rs2)}` };
      return { text: `${name}\t${reg(rd)},${reg(rs1)},${reg(rs2)}` };
    case 'CA':
      return { text: `${name.slice(2)}\t${reg(rd)},${reg(rd)},${reg(rs2)}` };
    case 'csr':
      return { text: formatCsr(name, rd, imm, reg(rs1), rs1 === 0) };
    case 'csri':
      return { text: formatCsr(name, rd, imm, String(rs1), false) };
    case 'amo':
      return { text: `${name}${amoSuffix(imm)}\t${reg(rd)},${reg(rs2)},(${reg(rs1)})` };
    case 'lr':
      return { text: `${name}${amoSuffix(imm)}\t${reg(rd)},(${reg(rs1)})` };
    case 'fence': {
      if (d.raw === FENCE_TSO) return { text: 'fence.tso' };
      if ((d.raw & FENCE_RESERVED_FIELDS) !== 0) return { text: `.4byte\t${hex(d.raw)}` };
      const pred = (imm >>> 4) & 15;
      const succ = imm & 15;
      if (pred === 15 && succ === 15) return { text: 'fence' };
      return { text: `fence\t${fenceSet(pred)},${fenceSet(succ)}` };
    }
    default:
      // Zifencei's reserved fields must be zero for objdump to name it.
      if (name === 'fence.i' && d.raw !== FENCE_I) return { text: `.4byte\t${hex(d.raw)}` };
      return { text: name.startsWith('c.') ? name.slice(2) : name };
  }
}

/** CSR instructions; objdump prints the immediate forms under the register-form names. */
function formatCsr(name: string, rd: number, csr: number, src: string, srcIsX0: boolean): string {
  const immediate = name.endsWith('i');
  const base = immediate ? name.slice(0, -1) : name;
  if (base === 'csrrs' && !immediate && srcIsX0) {
    const counter = COUNTER_ALIASES[csr];
    if (counter) return `${counter}\t${reg(rd)}`;
    return `csrr\t${reg(rd)},${csrText(csr)}`;
  }
  if (rd === 0) {
    const alias = { csrrw: 'csrw', csrrs: 'csrs', csrrc: 'csrc' }[base]!;
    return `${alias}\t${csrText(csr)},${src}`;
  }
  return `${base}\t${reg(rd)},${csrText(csr)},${src}`;
}

/**
 * Disassembles one instruction given its raw bits (16-bit parcel or full 32 bits). Pass the same
 * `context` for consecutive instructions to get objdump's `# address` hints.
 */
export function disassembleRaw(
  raw: number,
  address: number,
  symbols?: SymbolLookup,
  compressed = true,
  context?: DisassemblyContext,
): DisassembledInstruction {
  const d = decode(raw, compressed);
  const formatted = formatDecoded(d, address, symbols);
  const target = formatted.target;
  const text = context
    ? formatted.text + context.hint(d, address, (t) => formatTarget(t, symbols))
    : formatted.text;
  const hexDigits = d.length === 2 ? 4 : 8;
  return {
    address: address >>> 0,
    length: d.length,
    hex: d.raw.toString(16).padStart(hexDigits, '0'),
    text,
    ...(target === undefined ? {} : { target }),
  };
}

/** Fetches through the bus and disassembles the instruction at `address`. */
export function disassembleAt(
  bus: CpuBus,
  address: number,
  compressed: boolean,
  symbols?: SymbolLookup,
  context?: DisassemblyContext,
): DisassembledInstruction {
  const lo = bus.fetch16(address);
  if (bus.status !== 0) return { address, length: 0, hex: '', text: '<fetch error>' };
  let raw = lo;
  if ((lo & 3) === 3) {
    const hi = bus.fetch16((address + 2) >>> 0);
    if (bus.status !== 0) return { address, length: 0, hex: '', text: '<fetch error>' };
    raw = (lo | (hi << 16)) >>> 0;
  }
  return disassembleRaw(raw, address, symbols, compressed, context);
}

/**
 * Disassembles instructions from a byte buffer holding memory at `address` (e.g. read by a
 * debugger with a side-effect-free peek), stopping at `count` instructions or when the buffer
 * ends mid-instruction.
 */
export function disassembleBuffer(
  bytes: Uint8Array,
  address: number,
  count = Infinity,
  symbols?: SymbolLookup,
  compressed = true,
): DisassembledInstruction[] {
  const out: DisassembledInstruction[] = [];
  const context = new DisassemblyContext();
  let off = 0;
  while (out.length < count && off + 2 <= bytes.length) {
    const lo = bytes[off] | (bytes[off + 1] << 8);
    let raw = lo;
    if ((lo & 3) === 3) {
      if (off + 4 > bytes.length) break;
      raw = (lo | (bytes[off + 2] << 16) | (bytes[off + 3] << 24)) >>> 0;
    }
    const d = disassembleRaw(raw, (address + off) >>> 0, symbols, compressed, context);
    out.push(d);
    off += d.length;
  }
  return out;
}
