import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CSR, decode, Op } from '../../../src/machine/riscv';
import { numRuns } from '../../support/property';
import * as A from './asm';
import { HartDriver, RAM_BASE } from './driver';

const DATA = RAM_BASE + 0x8000;
const HANDLER = RAM_BASE + 0x400;

/** Runs one instruction from a given register state; returns registers, pc and some memory. */
function runOne(insn: A.Insn, regs: number[]): { regs: number[]; pc: number; mem: number[] } {
  const d = new HartDriver();
  d.hart.csr.mtvec = HANDLER;
  for (let i = 1; i < 32; i++) d.hart.x[i] = regs[i];
  d.load([A.nop(), A.nop(), A.nop(), A.nop(), insn], RAM_BASE + 0x100);
  d.setPC(RAM_BASE + 0x110);
  d.step();
  return {
    regs: Array.from(d.hart.x),
    pc: d.getPC(),
    mem: Array.from(d.readMemory(DATA, 256)),
  };
}

const creg = fc.integer({ min: 8, max: 15 });
const anyReg = fc.integer({ min: 1, max: 31 });
/** Register state: sp and every x8..x15 point into RAM so loads/stores stay mapped. */
const regState = fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), {
  minLength: 32,
  maxLength: 32,
});
const pointerRegs = (r: number[]) =>
  r.map((v, i) => (i === 2 || (i >= 8 && i <= 15) ? DATA + (Math.abs(v) % 8) * 4 : v));

/** Offsets (in halfwords) other than +4 bytes, so pc+4 after a 16-bit branch means "not taken". */
const notFour = (k: number) => k !== 2;

/** Each compressed instruction with a generator of (compressed, equivalent 32-bit) pairs. */
const EQUIVALENCES: [string, fc.Arbitrary<[number, number]>][] = [
  ['c.addi4spn', fc.tuple(creg, fc.integer({ min: 1, max: 255 })).map(([rd, k]) => [A.c_addi4spn(rd, k * 4), A.addi(rd, 2, k * 4)])],
  ['c.lw', fc.tuple(creg, creg, fc.integer({ min: 0, max: 31 })).map(([rd, rs1, k]) => [A.c_lw(rd, rs1, k * 4), A.lw(rd, rs1, k * 4)])],
  ['c.sw', fc.tuple(creg, creg, fc.integer({ min: 0, max: 31 })).map(([rs2, rs1, k]) => [A.c_sw(rs2, rs1, k * 4), A.sw(rs2, rs1, k * 4)])],
  ['c.addi', fc.tuple(anyReg, fc.integer({ min: -32, max: 31 })).map(([rd, imm]) => [A.c_addi(rd, imm), A.addi(rd, rd, imm)])],
  ['c.jal', fc.integer({ min: -1024, max: 1023 }).filter(notFour).map((k) => [A.c_jal(k * 2), A.jal(1, k * 2)])],
  ['c.li', fc.tuple(anyReg, fc.integer({ min: -32, max: 31 })).map(([rd, imm]) => [A.c_li(rd, imm), A.addi(rd, 0, imm)])],
  ['c.addi16sp', fc.integer({ min: -32, max: 31 }).filter((k) => k !== 0).map((k) => [A.c_addi16sp(k * 16), A.addi(2, 2, k * 16)])],
  ['c.lui', fc.tuple(anyReg.filter((r) => r !== 2), fc.integer({ min: -32, max: 31 }).filter((k) => k !== 0)).map(([rd, k]) => [A.c_lui(rd, k), A.lui(rd, k & 0xfffff)])],
  ['c.srli', fc.tuple(creg, fc.integer({ min: 0, max: 31 })).map(([rd, sh]) => [A.c_srli(rd, sh), A.srli(rd, rd, sh)])],
  ['c.srai', fc.tuple(creg, fc.integer({ min: 0, max: 31 })).map(([rd, sh]) => [A.c_srai(rd, sh), A.srai(rd, rd, sh)])],
  ['c.andi', fc.tuple(creg, fc.integer({ min: -32, max: 31 })).map(([rd, imm]) => [A.c_andi(rd, imm), A.andi(rd, rd, imm)])],
  ['c.sub', fc.tuple(creg, creg).map(([rd, rs2]) => [A.c_sub(rd, rs2), A.sub(rd, rd, rs2)])],
  ['c.xor', fc.tuple(creg, creg).map(([rd, rs2]) => [A.c_xor(rd, rs2), A.xor(rd, rd, rs2)])],
  ['c.or', fc.tuple(creg, creg).map(([rd, rs2]) => [A.c_or(rd, rs2), A.or(rd, rd, rs2)])],
  ['c.and', fc.tuple(creg, creg).map(([rd, rs2]) => [A.c_and(rd, rs2), A.and(rd, rd, rs2)])],
  ['c.j', fc.integer({ min: -1024, max: 1023 }).filter(notFour).map((k) => [A.c_j(k * 2), A.jal(0, k * 2)])],
  ['c.beqz', fc.tuple(creg, fc.integer({ min: -128, max: 127 }).filter(notFour)).map(([rs1, k]) => [A.c_beqz(rs1, k * 2), A.beq(rs1, 0, k * 2)])],
  ['c.bnez', fc.tuple(creg, fc.integer({ min: -128, max: 127 }).filter(notFour)).map(([rs1, k]) => [A.c_bnez(rs1, k * 2), A.bne(rs1, 0, k * 2)])],
  ['c.slli', fc.tuple(anyReg, fc.integer({ min: 0, max: 31 })).map(([rd, sh]) => [A.c_slli(rd, sh), A.slli(rd, rd, sh)])],
  ['c.lwsp', fc.tuple(anyReg, fc.integer({ min: 0, max: 63 })).map(([rd, k]) => [A.c_lwsp(rd, k * 4), A.lw(rd, 2, k * 4)])],
  ['c.jr', anyReg.map((rs1) => [A.c_jr(rs1), A.jalr(0, rs1, 0)])],
  ['c.mv', fc.tuple(anyReg, anyReg).map(([rd, rs2]) => [A.c_mv(rd, rs2), A.add(rd, 0, rs2)])],
  ['c.jalr', anyReg.map((rs1) => [A.c_jalr(rs1), A.jalr(1, rs1, 0)])],
  ['c.add', fc.tuple(anyReg, anyReg).map(([rd, rs2]) => [A.c_add(rd, rs2), A.add(rd, rd, rs2)])],
  ['c.swsp', fc.tuple(anyReg, fc.integer({ min: 0, max: 63 })).map(([rs2, k]) => [A.c_swsp(rs2, k * 4), A.sw(rs2, 2, k * 4)])],
]; // prettier-ignore

describe('every compressed instruction behaves as its 32-bit expansion', () => {
  for (const [name, pairs] of EQUIVALENCES) {
    test(name, () => {
      fc.assert(
        fc.property(pairs, regState, ([c, full], raw) => {
          const regs = pointerRegs(raw);
          const got = runOne(A.C(c), regs);
          const want = runOne(full, regs);
          // The link register of c.jal/c.jalr holds pc+2, not pc+4.
          if (name === 'c.jal' || name === 'c.jalr') want.regs[1] -= 2;
          // An untaken 16-bit branch falls through to pc+2 (jump offsets of +4 are excluded).
          if (want.pc === RAM_BASE + 0x114) want.pc -= 2;
          assert.equal(decode(c).spec?.name, name);
          assert.deepEqual(got, want);
        }),
        { numRuns: numRuns(40) },
      );
    });
  }
});

describe('reserved and illegal compressed encodings', () => {
  const ILLEGAL: [string, number][] = [
    ['all-zero parcel', 0x0000],
    ['c.addi4spn with imm 0', A.c_addi4spn(9, 0)],
    ['c.addi16sp with imm 0', A.c_addi16sp(0)],
    ['c.lui with imm 0', A.c_lui(5, 0)],
    ['c.lwsp with rd = x0', A.c_lwsp(0, 8)],
    ['c.jr x0', A.c_jr(0)],
    ['c.slli with shamt[5] (RV32)', A.c_slli(5, 32)],
    ['c.srli with shamt[5] (RV32)', A.c_srli(9, 32)],
    ['c.srai with shamt[5] (RV32)', A.c_srai(9, 33)],
    ['c.fld', 0x2000 | (1 << 2)],
    ['c.flw', 0x6000 | (1 << 2)],
    ['c.fsd', 0xa000 | (1 << 2)],
    ['c.fsw', 0xe000 | (1 << 2)],
    ['c.fldsp', 0x2002 | (1 << 7)],
    ['c.flwsp', 0x6002 | (1 << 7)],
    ['c.fsdsp', 0xa002],
    ['c.fswsp', 0xe002],
    ['c.subw (RV64)', 0x9c01],
    ['c.addw (RV64)', 0x9c21],
    ['reserved CA slot 100 1 11 .. 10', 0x9c41],
  ];
  for (const [what, parcel] of ILLEGAL) {
    test(`${what} (0x${parcel.toString(16)}) raises illegal instruction with the parcel in mtval`, () => {
      const d = new HartDriver();
      d.hart.csr.mtvec = HANDLER;
      d.load([A.C(parcel), A.C(A.c_nop())]);
      d.step();
      assert.equal(d.csr(CSR.mcause), 2);
      assert.equal(d.csr(CSR.mtval), parcel);
      assert.equal(d.csr(CSR.mepc), RAM_BASE);
    });
  }

  test('HINT encodings execute as no-ops (c.addi x0, c.li x0, c.mv x0, c.lui x0, c.slli x0)', () => {
    const d = new HartDriver();
    const hints = [A.c_addi(0, 5), A.c_li(0, 3), A.c_mv(0, 5), A.c_lui(0, 1), A.c_slli(0, 3)];
    d.load(hints.map(A.C));
    const r = d.hart.run(hints.length);
    assert.equal(r.executed, 5);
    assert.equal(d.getPC(), RAM_BASE + 10);
    assert.equal(d.reg(0), 0);
  });

  test('every 16-bit parcel decodes to a compressed entry or to illegal, never throws', () => {
    const byName = new Map<string, number>();
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 3) === 3) continue;
      const d = decode(h);
      assert.equal(d.length, 2);
      if (d.op === Op.ILLEGAL) continue;
      const name = d.spec!.name;
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    // All 26 RV32C instructions are reachable.
    assert.equal(byName.size, 26, [...byName.keys()].join(' '));
  });
});
