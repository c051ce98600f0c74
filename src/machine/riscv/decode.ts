import { INSTRUCTIONS, type InstructionSpec } from './isa-table';
import { Op } from './ops';

/** The result of decoding one instruction: what to execute and its operands. */
export interface Decoded {
  /** The table entry, or undefined for an illegal/reserved encoding. */
  readonly spec: InstructionSpec | undefined;
  readonly op: Op;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  /**
   * Immediate, already sign-extended and shifted as the operation uses it: byte offsets for
   * loads/stores/branches/jumps, `imm << 12` for lui/auipc, shamt for shifts, the CSR number for
   * CSR instructions (uimm goes in rs1 for the `i` forms), pred<<4|succ for fence. For an illegal
   * encoding: the raw bits (what mtval reports).
   */
  readonly imm: number;
  readonly length: 2 | 4;
  /** The raw encoding (16 or 32 bits, unsigned). */
  readonly raw: number;
}

/** Bits [hi:lo] of v. */
const bits = (v: number, hi: number, lo: number) => (v >>> lo) & ((1 << (hi - lo + 1)) - 1);
/** Sign-extends the low `width` bits of v. */
const sext = (v: number, width: number) => (v << (32 - width)) >> (32 - width);

// Candidates by 7-bit opcode (32-bit) and by quadrant|funct3<<2 (compressed), in table order.
const buckets32: InstructionSpec[][] = Array.from({ length: 128 }, () => []);
const bucketsC: InstructionSpec[][] = Array.from({ length: 32 }, () => []);
for (const spec of INSTRUCTIONS) {
  if (spec.length === 4) buckets32[spec.match & 0x7f].push(spec);
  else bucketsC[(spec.match & 3) | (((spec.match >>> 13) & 7) << 2)].push(spec);
}

/** True when the low 16 bits of an instruction parcel start a 32-bit instruction. */
export function isLongInstruction(parcel: number): boolean {
  return (parcel & 3) === 3;
}

function illegal(raw: number, length: 2 | 4): Decoded {
  return { spec: undefined, op: Op.ILLEGAL, rd: 0, rs1: 0, rs2: 0, imm: raw, length, raw };
}

/**
 * Decodes an instruction. `raw` holds the 16-bit parcel (compressed) or the full 32 bits.
 * With `compressed` false (misa.C cleared), every 16-bit encoding is illegal.
 */
export function decode(raw: number, compressed = true): Decoded {
  if ((raw & 3) !== 3) {
    const h = raw & 0xffff;
    return compressed ? decodeCompressed(h) : illegal(h, 2);
  }
  const w = raw >>> 0;
  // 48-bit and longer encodings (bits 4:2 all set) are not implemented: illegal.
  if ((w & 0x1c) === 0x1c) return illegal(w, 4);
  for (const spec of buckets32[w & 0x7f]) {
    if ((w & spec.mask) >>> 0 === spec.match) return decode32(spec, w);
  }
  return illegal(w, 4);
}

function decode32(spec: InstructionSpec, w: number): Decoded {
  const rd = bits(w, 11, 7);
  const rs1 = bits(w, 19, 15);
  const rs2 = bits(w, 24, 20);
  let imm = 0;
  switch (spec.format) {
    case 'I':
    case 'load':
    case 'jalr':
      imm = w >> 20;
      break;
    case 'Ishift':
      imm = rs2;
      break;
    case 'S':
      imm = ((w >> 25) << 5) | rd;
      break;
    case 'B':
      imm = sext(
        (bits(w, 31, 31) << 12) |
          (bits(w, 7, 7) << 11) |
          (bits(w, 30, 25) << 5) |
          (bits(w, 11, 8) << 1),
        13,
      );
      break;
    case 'U':
      imm = w & 0xfffff000;
      imm |= 0;
      break;
    case 'J':
      imm = sext(
        (bits(w, 31, 31) << 20) |
          (bits(w, 19, 12) << 12) |
          (bits(w, 20, 20) << 11) |
          (bits(w, 30, 21) << 1),
        21,
      );
      break;
    case 'csr':
    case 'csri':
      imm = w >>> 20;
      break;
    case 'amo':
    case 'lr':
      imm = bits(w, 26, 25); // aq<<1 | rl
      break;
    case 'fence':
      imm = bits(w, 27, 20);
      break;
    default:
      break;
  }
  const op = spec.op;
  return { spec, op, rd, rs1, rs2, imm, length: 4, raw: w };
}

function decodeCompressed(h: number): Decoded {
  for (const spec of bucketsC[(h & 3) | (((h >>> 13) & 7) << 2)]) {
    if ((h & spec.mask) === spec.match) return expand(spec, h) ?? illegal(h, 2);
  }
  return illegal(h, 2);
}

const rdPrime = (h: number) => 8 + bits(h, 4, 2);
const rs1Prime = (h: number) => 8 + bits(h, 9, 7);
/** imm[5] = bit 12, imm[4:0] = bits 6:2 (unsigned 6-bit value). */
const ciImm6 = (h: number) => (bits(h, 12, 12) << 5) | bits(h, 6, 2);

/** Expands a compressed encoding to its 32-bit operation and operands; null when reserved. */
function expand(spec: InstructionSpec, h: number): Decoded | null {
  let rd = 0,
    rs1 = 0,
    rs2 = 0,
    imm = 0;
  const full = bits(h, 11, 7); // rd/rs1 in CI/CR/CSS formats
  switch (spec.format) {
    case 'CIW':
      rd = rdPrime(h);
      rs1 = 2;
      imm =
        (bits(h, 10, 7) << 6) |
        (bits(h, 12, 11) << 4) |
        (bits(h, 5, 5) << 3) |
        (bits(h, 6, 6) << 2);
      if (imm === 0) return null; // includes the all-zero parcel
      break;
    case 'CL':
    case 'CS':
      rs1 = rs1Prime(h);
      if (spec.format === 'CL') rd = rdPrime(h);
      else rs2 = rdPrime(h);
      imm = (bits(h, 12, 10) << 3) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 6);
      break;
    case 'CI':
      rd = full;
      rs1 = spec.name === 'c.li' ? 0 : full;
      imm = sext(ciImm6(h), 6);
      break;
    case 'CI16sp':
      rd = rs1 = 2;
      imm = sext(
        (bits(h, 12, 12) << 9) |
          (bits(h, 6, 6) << 4) |
          (bits(h, 5, 5) << 6) |
          (bits(h, 4, 3) << 7) |
          (bits(h, 2, 2) << 5),
        10,
      );
      if (imm === 0) return null;
      break;
    case 'CIlui':
      rd = full;
      imm = sext(ciImm6(h), 6) << 12;
      if (imm === 0) return null;
      break;
    case 'CIshift':
      rd = rs1 = full;
      imm = ciImm6(h);
      if (imm & 0x20) return null; // shamt[5] is reserved on RV32
      break;
    case 'CIlwsp':
      rd = full;
      rs1 = 2;
      imm = (bits(h, 12, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6);
      if (rd === 0) return null;
      break;
    case 'CBshift':
      rd = rs1 = rs1Prime(h);
      imm = ciImm6(h);
      if (imm & 0x20) return null;
      break;
    case 'CBandi':
      rd = rs1 = rs1Prime(h);
      imm = sext(ciImm6(h), 6);
      break;
    case 'CA':
      rd = rs1 = rs1Prime(h);
      rs2 = rdPrime(h);
      break;
    case 'CJ':
      rd = spec.name === 'c.jal' ? 1 : 0;
      imm = sext(
        (bits(h, 12, 12) << 11) |
          (bits(h, 11, 11) << 4) |
          (bits(h, 10, 9) << 8) |
          (bits(h, 8, 8) << 10) |
          (bits(h, 7, 7) << 6) |
          (bits(h, 6, 6) << 7) |
          (bits(h, 5, 3) << 1) |
          (bits(h, 2, 2) << 5),
        12,
      );
      break;
    case 'CB':
      rs1 = rs1Prime(h);
      imm = sext(
        (bits(h, 12, 12) << 8) |
          (bits(h, 11, 10) << 3) |
          (bits(h, 6, 5) << 6) |
          (bits(h, 4, 3) << 1) |
          (bits(h, 2, 2) << 5),
        9,
      );
      break;
    case 'CR':
      if (spec.name === 'c.jr' || spec.name === 'c.jalr') {
        rs1 = full;
        rd = spec.name === 'c.jalr' ? 1 : 0;
        if (rs1 === 0) return null; // c.jr x0 is reserved (c.jalr x0 is c.ebreak, matched first)
      } else {
        rd = full;
        rs1 = spec.name === 'c.add' ? full : 0;
        rs2 = bits(h, 6, 2);
      }
      break;
    case 'CSS':
      rs1 = 2;
      rs2 = bits(h, 6, 2);
      imm = (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6);
      break;
    default:
      break;
  }
  return { spec, op: spec.op, rd, rs1, rs2, imm, length: 2, raw: h };
}
