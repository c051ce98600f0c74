import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { numRuns } from '../../support/property';
import * as A from './asm';
import { HartDriver, RAM_BASE } from './driver';

const { a0, a1, a2, a3, t0 } = A;

/**
 * An independent reference for register-register and register-immediate operations, written
 * with BigInt arithmetic on the ISA manual's definitions (not with the core's int32 tricks).
 */
const toU = (v: number) => BigInt(v >>> 0);
const toS = (v: number) => BigInt(v | 0);
const wrap = (v: bigint) => Number(BigInt.asIntN(32, v));
const REFERENCE: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => wrap(toS(a) + toS(b)),
  sub: (a, b) => wrap(toS(a) - toS(b)),
  sll: (a, b) => wrap(toU(a) << BigInt(b & 31)),
  slt: (a, b) => (toS(a) < toS(b) ? 1 : 0),
  sltu: (a, b) => (toU(a) < toU(b) ? 1 : 0),
  xor: (a, b) => wrap(toU(a) ^ toU(b)),
  srl: (a, b) => wrap(toU(a) >> BigInt(b & 31)),
  sra: (a, b) => wrap(toS(a) >> BigInt(b & 31)),
  or: (a, b) => wrap(toU(a) | toU(b)),
  and: (a, b) => wrap(toU(a) & toU(b)),
  mul: (a, b) => wrap(toS(a) * toS(b)),
  mulh: (a, b) => wrap((toS(a) * toS(b)) >> 32n),
  mulhsu: (a, b) => wrap((toS(a) * toU(b)) >> 32n),
  mulhu: (a, b) => wrap((toU(a) * toU(b)) >> 32n),
  div: (a, b) => (b === 0 ? -1 : a === -0x80000000 && b === -1 ? a : wrap(toS(a) / toS(b))),
  divu: (a, b) => (b === 0 ? -1 : wrap(toU(a) / toU(b))),
  rem: (a, b) => (b === 0 ? a : a === -0x80000000 && b === -1 ? 0 : wrap(toS(a) % toS(b))),
  remu: (a, b) => (b === 0 ? a : wrap(toU(a) % toU(b))),
};
const R_ENCODERS: Record<string, (rd: number, rs1: number, rs2: number) => number> = {
  add: A.add, sub: A.sub, sll: A.sll, slt: A.slt, sltu: A.sltu, xor: A.xor, srl: A.srl,
  sra: A.sra, or: A.or, and: A.and, mul: A.mul, mulh: A.mulh, mulhsu: A.mulhsu,
  mulhu: A.mulhu, div: A.div, divu: A.divu, rem: A.rem, remu: A.remu,
}; // prettier-ignore

function runR(name: string, a: number, b: number): number {
  const d = new HartDriver();
  d.setRegisters({ [a1]: a, [a2]: b });
  d.exec([R_ENCODERS[name](a0, a1, a2)]);
  return d.reg(a0);
}

const interesting = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.constantFrom(0, 1, -1, 2, -2, 31, 32, 0x7fffffff, -0x80000000, 0xffff, 0x10000),
);

describe('RV32I/M register-register operations against a BigInt reference', () => {
  for (const name of Object.keys(R_ENCODERS)) {
    test(name, () => {
      fc.assert(
        fc.property(interesting, interesting, (a, b) => runR(name, a, b) === REFERENCE[name](a, b)),
        { numRuns: numRuns(150) },
      );
    });
  }
});

describe('RV32I register-immediate operations', () => {
  const I_OPS: [string, (rd: number, rs1: number, imm: number) => number, string][] = [
    ['addi', A.addi, 'add'],
    ['slti', A.slti, 'slt'],
    ['sltiu', A.sltiu, 'sltu'],
    ['xori', A.xori, 'xor'],
    ['ori', A.ori, 'or'],
    ['andi', A.andi, 'and'],
  ];
  for (const [name, enc, ref] of I_OPS) {
    test(`${name} sign-extends its 12-bit immediate`, () => {
      fc.assert(
        fc.property(interesting, fc.integer({ min: -2048, max: 2047 }), (a, imm) => {
          const d = new HartDriver();
          d.setRegisters({ [a1]: a });
          d.exec([enc(a0, a1, imm)]);
          return d.reg(a0) === REFERENCE[ref](a, imm);
        }),
        { numRuns: numRuns(150) },
      );
    });
  }
  for (const [name, enc, ref] of [
    ['slli', A.slli, 'sll'],
    ['srli', A.srli, 'srl'],
    ['srai', A.srai, 'sra'],
  ] as const) {
    test(`${name} for every shift amount`, () => {
      for (let sh = 0; sh < 32; sh++) {
        const d = new HartDriver();
        d.setRegisters({ [a1]: 0x8765_4321 });
        d.exec([enc(a0, a1, sh)]);
        assert.equal(d.reg(a0), REFERENCE[ref](0x8765_4321 | 0, sh), `${name} by ${sh}`);
      }
    });
  }
});

describe('RV32I upper immediates, jumps and branches', () => {
  test('lui and auipc', () => {
    const d = new HartDriver();
    d.exec([A.lui(a0, 0xfedcb), A.auipc(a1, 0x12345), A.auipc(a2, 0)]);
    assert.equal(d.readRegister(a0), 0xfedcb000);
    assert.equal(d.readRegister(a1), (RAM_BASE + 4 + 0x12345000) >>> 0);
    assert.equal(d.readRegister(a2), RAM_BASE + 8);
  });

  test('jal links pc+4 and jumps; jalr clears bit 0 of the target', () => {
    const d = new HartDriver();
    d.load([A.jal(A.ra, 12), A.nop(), A.nop(), A.jalr(a0, A.ra, 9)]);
    d.step();
    assert.equal(d.getPC(), RAM_BASE + 12);
    assert.equal(d.readRegister(A.ra), RAM_BASE + 4);
    d.step();
    assert.equal(d.getPC(), RAM_BASE + 4 + 8); // (ra + 9) & ~1
    assert.equal(d.readRegister(a0), RAM_BASE + 16);
  });

  test('jalr with rd = rs1 uses the old rs1 value', () => {
    const d = new HartDriver();
    d.setRegisters({ [a0]: RAM_BASE + 0x100 });
    d.exec([A.jalr(a0, a0, 0)]);
    assert.equal(d.getPC(), RAM_BASE + 0x100);
    assert.equal(d.readRegister(a0), RAM_BASE + 4);
  });

  const BRANCHES: [string, (r1: number, r2: number, off: number) => number, (a: number, b: number) => boolean][] = [
    ['beq', A.beq, (a, b) => a === b],
    ['bne', A.bne, (a, b) => a !== b],
    ['blt', A.blt, (a, b) => a < b],
    ['bge', A.bge, (a, b) => a >= b],
    ['bltu', A.bltu, (a, b) => a >>> 0 < b >>> 0],
    ['bgeu', A.bgeu, (a, b) => a >>> 0 >= b >>> 0],
  ]; // prettier-ignore
  for (const [name, enc, taken] of BRANCHES) {
    test(`${name} taken and not taken, forwards and backwards`, () => {
      for (const [a, b] of [
        [1, 2],
        [2, 1],
        [-1, 1],
        [1, -1],
        [5, 5],
        [-0x80000000, 0x7fffffff],
      ]) {
        for (const off of [-8, 16]) {
          const d = new HartDriver();
          d.setRegisters({ [a1]: a, [a2]: b });
          d.load([A.nop(), A.nop(), A.nop(), enc(a1, a2, off)], RAM_BASE);
          d.setPC(RAM_BASE + 12);
          d.step();
          assert.equal(
            d.getPC(),
            RAM_BASE + 12 + (taken(a, b) ? off : 4),
            `${name} ${a},${b} ${off}`,
          );
        }
      }
    });
  }
});

describe('RV32I loads, stores and x0', () => {
  test('loads sign- or zero-extend; stores write the low bytes', () => {
    const d = new HartDriver();
    const data = RAM_BASE + 0x1000;
    d.write32(data, 0x8182_f3f4);
    d.setRegisters({ [t0]: data, [a3]: 0x1122_3344 });
    d.exec([
      A.lb(a0, t0, 0), A.lbu(a1, t0, 0), A.lh(a2, t0, 2), A.lhu(A.a4, t0, 2), A.lw(A.a5, t0, 0),
      A.sb(a3, t0, 8), A.sh(a3, t0, 12), A.sw(a3, t0, 16),
    ]); // prettier-ignore
    assert.equal(d.reg(a0), (0xf4 << 24) >> 24);
    assert.equal(d.reg(a1), 0xf4);
    assert.equal(d.reg(a2), (0x8182 << 16) >> 16);
    assert.equal(d.reg(A.a4), 0x8182);
    assert.equal(d.readRegister(A.a5), 0x8182_f3f4);
    assert.equal(d.read32(data + 8), 0x44);
    assert.equal(d.read32(data + 12), 0x3344);
    assert.equal(d.read32(data + 16), 0x1122_3344);
  });

  test('negative offsets address below the base register', () => {
    const d = new HartDriver();
    d.write32(RAM_BASE + 0x1ffc, 0xdeadbeef);
    d.setRegisters({ [t0]: RAM_BASE + 0x2000 });
    d.exec([A.lw(a0, t0, -4)]);
    assert.equal(d.readRegister(a0), 0xdeadbeef);
  });

  test('writes to x0 are discarded for every kind of instruction', () => {
    const d = new HartDriver();
    d.write32(RAM_BASE + 0x1000, 0x1234);
    d.setRegisters({ [t0]: RAM_BASE + 0x1000, [a1]: 7 });
    d.exec([
      A.addi(0, 0, 5), A.lui(0, 1), A.auipc(0, 1), A.add(0, a1, a1), A.lw(0, t0, 0),
      A.mul(0, a1, a1), A.jal(0, 4), A.csrrs(0, 0xf14, 0), A.amoadd_w(0, a1, t0),
    ]); // prettier-ignore
    assert.equal(d.readRegister(0), 0);
    assert.equal(d.read32(RAM_BASE + 0x1000), 0x1234 + 7, 'the AMO still wrote memory');
  });

  test('fence is a no-op that retires', () => {
    const d = new HartDriver();
    const r = d.exec([A.fence(), A.fence(3, 3), A.addi(a0, 0, 1)]);
    assert.equal(r.executed, 3);
    assert.equal(d.reg(a0), 1);
  });
});
