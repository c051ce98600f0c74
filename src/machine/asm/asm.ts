/**
 * A tiny RV32IMAC assembler: one function per instruction returning its encoding, plus a
 * label-resolving program builder. Used by the core's tests, the benchmark and for small code
 * stubs a board needs (a reset vector). Written from the ISA manual's encoding tables,
 * independently of the decoder (decode.ts), so tests check the decoder rather than mirror it.
 * Branch/jump offsets are byte offsets from the instruction itself. Out-of-range operands throw.
 */

export const [zero, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
];
export const [a6, a7, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6] = [
  16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
];

function check(value: number, bits: number, signed: boolean, what: string): void {
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new Error(`${what} ${value} does not fit ${signed ? 'signed' : 'unsigned'} ${bits} bits`);
  }
}

const u32 = (v: number) => v >>> 0;

export function rType(f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number) {
  return u32((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
}
export function iType(imm: number, rs1: number, f3: number, rd: number, op: number) {
  check(imm, 12, true, 'I-immediate');
  return u32(((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
}
function sType(imm: number, rs2: number, rs1: number, f3: number, op: number) {
  check(imm, 12, true, 'S-immediate');
  return u32(
    (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op,
  );
}
function bType(off: number, rs2: number, rs1: number, f3: number) {
  check(off, 13, true, 'branch offset');
  if (off & 1) throw new Error('branch offset must be even');
  return u32(
    (((off >> 12) & 1) << 31) |
      (((off >> 5) & 0x3f) << 25) |
      (rs2 << 20) |
      (rs1 << 15) |
      (f3 << 12) |
      (((off >> 1) & 0xf) << 8) |
      (((off >> 11) & 1) << 7) |
      0x63,
  );
}

// RV32I
export const lui = (rd: number, imm20: number) => u32(((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37);
export const auipc = (rd: number, imm20: number) =>
  u32(((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17);
export function jal(rd: number, off: number) {
  check(off, 21, true, 'jal offset');
  return u32(
    (((off >> 20) & 1) << 31) |
      (((off >> 1) & 0x3ff) << 21) |
      (((off >> 11) & 1) << 20) |
      (((off >> 12) & 0xff) << 12) |
      (rd << 7) |
      0x6f,
  );
}
export const jalr = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x67);
export const beq = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 0);
export const bne = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 1);
export const blt = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 4);
export const bge = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 5);
export const bltu = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 6);
export const bgeu = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 7);
export const lb = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x03);
export const lh = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 1, rd, 0x03);
export const lw = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 2, rd, 0x03);
export const lbu = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 4, rd, 0x03);
export const lhu = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 5, rd, 0x03);
export const sb = (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 0, 0x23);
export const sh = (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 1, 0x23);
export const sw = (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 2, 0x23);
export const addi = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x13);
export const slti = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 2, rd, 0x13);
export const sltiu = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 3, rd, 0x13);
export const xori = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 4, rd, 0x13);
export const ori = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 6, rd, 0x13);
export const andi = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 7, rd, 0x13);
export const slli = (rd: number, rs1: number, sh: number) => rType(0, sh, rs1, 1, rd, 0x13);
export const srli = (rd: number, rs1: number, sh: number) => rType(0, sh, rs1, 5, rd, 0x13);
export const srai = (rd: number, rs1: number, sh: number) => rType(0x20, sh, rs1, 5, rd, 0x13);
const alu = (f7: number, f3: number) => (rd: number, rs1: number, rs2: number) =>
  rType(f7, rs2, rs1, f3, rd, 0x33);
export const add = alu(0, 0);
export const sub = alu(0x20, 0);
export const sll = alu(0, 1);
export const slt = alu(0, 2);
export const sltu = alu(0, 3);
export const xor = alu(0, 4);
export const srl = alu(0, 5);
export const sra = alu(0x20, 5);
export const or = alu(0, 6);
export const and = alu(0, 7);
export const fence = (pred = 15, succ = 15) => u32((pred << 24) | (succ << 20) | 0x0f);
export const fence_i = () => 0x0000100f;
export const ecall = () => 0x00000073;
export const ebreak = () => 0x00100073;
export const mret = () => 0x30200073;
export const wfi = () => 0x10500073;
export const nop = () => addi(0, 0, 0);
// M
export const mul = alu(1, 0);
export const mulh = alu(1, 1);
export const mulhsu = alu(1, 2);
export const mulhu = alu(1, 3);
export const div = alu(1, 4);
export const divu = alu(1, 5);
export const rem = alu(1, 6);
export const remu = alu(1, 7);
// A
const amoOp =
  (f5: number) =>
  (rd: number, rs2: number, rs1: number, aq = 0, rl = 0) =>
    rType((f5 << 2) | (aq << 1) | rl, rs2, rs1, 2, rd, 0x2f);
export const lr_w = (rd: number, rs1: number, aq = 0, rl = 0) => amoOp(2)(rd, 0, rs1, aq, rl);
export const sc_w = amoOp(3);
export const amoswap_w = amoOp(1);
export const amoadd_w = amoOp(0);
export const amoxor_w = amoOp(4);
export const amoand_w = amoOp(0xc);
export const amoor_w = amoOp(8);
export const amomin_w = amoOp(0x10);
export const amomax_w = amoOp(0x14);
export const amominu_w = amoOp(0x18);
export const amomaxu_w = amoOp(0x1c);
// Zicsr
const csrOp = (f3: number) => (rd: number, csr: number, rs1OrUimm: number) =>
  u32((csr << 20) | (rs1OrUimm << 15) | (f3 << 12) | (rd << 7) | 0x73);
export const csrrw = csrOp(1);
export const csrrs = csrOp(2);
export const csrrc = csrOp(3);
export const csrrwi = csrOp(5);
export const csrrsi = csrOp(6);
export const csrrci = csrOp(7);
export const csrr = (rd: number, csr: number) => csrrs(rd, csr, 0);
export const csrw = (csr: number, rs1: number) => csrrw(0, csr, rs1);

// ---- C extension (16-bit) -------------------------------------------------------------------

const creg = (r: number) => {
  if (r < 8 || r > 15) throw new Error(`x${r} is not a compressed register (x8..x15)`);
  return r - 8;
};
const bit = (v: number, n: number) => (v >> n) & 1;
const bitsOf = (v: number, hi: number, lo: number) => (v >> lo) & ((1 << (hi - lo + 1)) - 1);

export const c_addi4spn = (rd: number, uimm: number) =>
  (bitsOf(uimm, 5, 4) << 11) |
  (bitsOf(uimm, 9, 6) << 7) |
  (bit(uimm, 2) << 6) |
  (bit(uimm, 3) << 5) |
  (creg(rd) << 2);
const clsw = (f3: number) => (r: number, rs1: number, uimm: number) =>
  (f3 << 13) |
  (bitsOf(uimm, 5, 3) << 10) |
  (creg(rs1) << 7) |
  (bit(uimm, 2) << 6) |
  (bit(uimm, 6) << 5) |
  (creg(r) << 2);
export const c_lw = clsw(2);
export const c_sw = clsw(6);
const ci = (f3: number, q: number) => (rd: number, imm: number) =>
  (f3 << 13) | (bit(imm, 5) << 12) | (rd << 7) | (bitsOf(imm, 4, 0) << 2) | q;
export const c_addi = ci(0, 1);
export const c_nop = () => c_addi(0, 0);
export const c_li = ci(2, 1);
export const c_lui = (rd: number, nzimm6: number) => ci(3, 1)(rd, nzimm6);
export const c_addi16sp = (imm: number) =>
  (3 << 13) |
  (bit(imm, 9) << 12) |
  (2 << 7) |
  (bit(imm, 4) << 6) |
  (bit(imm, 6) << 5) |
  (bitsOf(imm, 8, 7) << 3) |
  (bit(imm, 5) << 2) |
  1;
const cj = (f3: number) => (off: number) =>
  (f3 << 13) |
  (bit(off, 11) << 12) |
  (bit(off, 4) << 11) |
  (bitsOf(off, 9, 8) << 9) |
  (bit(off, 10) << 8) |
  (bit(off, 6) << 7) |
  (bit(off, 7) << 6) |
  (bitsOf(off, 3, 1) << 3) |
  (bit(off, 5) << 2) |
  1;
export const c_jal = cj(1);
export const c_j = cj(5);
const cbShift = (f2: number) => (rd: number, shamt: number) =>
  (4 << 13) | (bit(shamt, 5) << 12) | (f2 << 10) | (creg(rd) << 7) | (bitsOf(shamt, 4, 0) << 2) | 1;
export const c_srli = cbShift(0);
export const c_srai = cbShift(1);
export const c_andi = (rd: number, imm: number) =>
  (4 << 13) | (bit(imm, 5) << 12) | (2 << 10) | (creg(rd) << 7) | (bitsOf(imm, 4, 0) << 2) | 1;
const ca = (f2: number) => (rd: number, rs2: number) =>
  0x8c01 | (creg(rd) << 7) | (f2 << 5) | (creg(rs2) << 2);
export const c_sub = ca(0);
export const c_xor = ca(1);
export const c_or = ca(2);
export const c_and = ca(3);
const cb = (f3: number) => (rs1: number, off: number) =>
  (f3 << 13) |
  (bit(off, 8) << 12) |
  (bitsOf(off, 4, 3) << 10) |
  (creg(rs1) << 7) |
  (bitsOf(off, 7, 6) << 5) |
  (bitsOf(off, 2, 1) << 3) |
  (bit(off, 5) << 2) |
  1;
export const c_beqz = cb(6);
export const c_bnez = cb(7);
export const c_slli = (rd: number, shamt: number) =>
  (bit(shamt, 5) << 12) | (rd << 7) | (bitsOf(shamt, 4, 0) << 2) | 2;
export const c_lwsp = (rd: number, uimm: number) =>
  (2 << 13) |
  (bit(uimm, 5) << 12) |
  (rd << 7) |
  (bitsOf(uimm, 4, 2) << 4) |
  (bitsOf(uimm, 7, 6) << 2) |
  2;
export const c_swsp = (rs2: number, uimm: number) =>
  (6 << 13) | (bitsOf(uimm, 5, 2) << 9) | (bitsOf(uimm, 7, 6) << 7) | (rs2 << 2) | 2;
export const c_jr = (rs1: number) => 0x8002 | (rs1 << 7);
export const c_mv = (rd: number, rs2: number) => 0x8002 | (rd << 7) | (rs2 << 2);
export const c_ebreak = () => 0x9002;
export const c_jalr = (rs1: number) => 0x9002 | (rs1 << 7);
export const c_add = (rd: number, rs2: number) => 0x9002 | (rd << 7) | (rs2 << 2);

/** Lays out a mix of 32-bit words and 16-bit parcels (values < 0x10000 that are not long). */
export type Insn = number | { c: number };
export const C = (half: number): Insn => ({ c: half & 0xffff });

/** Serialises instructions little-endian: numbers are 32-bit, `{ c }` entries 16-bit. */
export function assemble(program: readonly Insn[]): Uint8Array {
  const bytes: number[] = [];
  for (const insn of program) {
    if (typeof insn === 'number') {
      const w = insn >>> 0;
      bytes.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
    } else bytes.push(insn.c & 0xff, (insn.c >>> 8) & 0xff);
  }
  return Uint8Array.from(bytes);
}

/** Materialises a 32-bit constant into rd with lui+addi (the `li` pseudo-instruction). */
export function li(rd: number, value: number): number[] {
  const v = value | 0;
  const lo = (v << 20) >> 20;
  const hi = ((v - lo) >>> 12) & 0xfffff;
  if (hi === 0) return [addi(rd, 0, lo)];
  return [lui(rd, hi), addi(rd, rd, lo)];
}

/**
 * A program with labels: `emit` appends an instruction, `label` names the next address, and
 * `emitAt` appends an instruction computed from its own address once all labels are known
 * (branches and jumps to labels defined later).
 */
export class AsmProgram {
  private readonly items: { size: 2 | 4; make: (at: number) => Insn }[] = [];
  private readonly labels = new Map<string, number>();
  private size = 0;

  constructor(readonly base: number) {}

  /** The address the next instruction will have. */
  get here(): number {
    return (this.base + this.size) >>> 0;
  }

  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`);
    this.labels.set(name, this.here);
    return this;
  }

  emit(...insns: Insn[]): this {
    for (const insn of insns) this.emitAt(typeof insn === 'number' ? 4 : 2, () => insn);
    return this;
  }

  /** Appends an instruction of `size` bytes built from its address (e.g. a branch to a label). */
  emitAt(size: 2 | 4, make: (at: number) => Insn): this {
    this.items.push({ size, make });
    this.size += size;
    return this;
  }

  /** Pads with c.nop/nop until the next address is a multiple of `boundary` (2 or 4). */
  align(boundary: 2 | 4): this {
    if (this.here % boundary !== 0) this.emit(C(c_nop()));
    return this;
  }

  /** Byte offset from `at` to `label`. */
  offset(label: string, at: number): number {
    const target = this.labels.get(label);
    if (target === undefined) throw new Error(`undefined label ${label}`);
    return target - at;
  }

  address(label: string): number {
    return this.base + this.offset(label, this.base);
  }

  assemble(): Uint8Array {
    let at = this.base;
    const out: Insn[] = [];
    for (const item of this.items) {
      const insn = item.make(at);
      const size = typeof insn === 'number' ? 4 : 2;
      if (size !== item.size) throw new Error(`instruction at ${at.toString(16)} changed size`);
      out.push(insn);
      at += size;
    }
    return assemble(out);
  }
}
