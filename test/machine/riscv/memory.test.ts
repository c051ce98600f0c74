import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CSR } from '../../../src/machine/riscv';
import * as A from './asm';
import { HartDriver, RAM_BASE, RAM_SIZE } from './driver';

const { a0, a1, a2, t0 } = A;
const DATA = RAM_BASE + 0x1000;
const HANDLER = RAM_BASE + 0x400;

function driver(): HartDriver {
  const d = new HartDriver();
  d.writeMemory(HANDLER, A.assemble([A.nop()]));
  d.hart.csr.mtvec = HANDLER;
  d.writeMemory(
    DATA,
    Uint8Array.from({ length: 16 }, (_, i) => 0x80 + i * 0x11),
  );
  d.setRegisters({ [t0]: DATA });
  return d;
}

describe('misaligned loads and stores work (split as QEMU 7.2 splits them)', () => {
  test('lw, lh, lhu at every misalignment', () => {
    for (let off = 1; off < 4; off++) {
      const d = driver();
      d.exec([A.lw(a0, t0, off), A.lh(a1, t0, off), A.lhu(a2, t0, off)]);
      const b = (i: number) => 0x80 + (off + i) * 0x11;
      assert.equal(d.readRegister(a0), (b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24)) >>> 0);
      assert.equal(d.reg(a1), ((b(0) | (b(1) << 8)) << 16) >> 16);
      assert.equal(d.reg(a2), b(0) | (b(1) << 8));
      assert.equal(d.getPC(), RAM_BASE + 12, 'no trap');
    }
  });

  test('sw and sh at misaligned addresses write exactly their bytes', () => {
    const d = driver();
    d.setRegisters({ [a0]: 0x4433_2211 });
    d.exec([A.sw(a0, t0, 1), A.sh(a0, t0, 7)]);
    assert.deepEqual(
      Array.from(d.readMemory(DATA, 10)),
      [0x80, 0x11, 0x22, 0x33, 0x44, 0xd5, 0xe6, 0x11, 0x22, 0x19],
    );
  });

  test('a misaligned load straddling the end of RAM faults with the failing piece (QEMU mtval)', () => {
    const d = driver();
    const end = RAM_BASE + RAM_SIZE;
    d.setRegisters({ [t0]: end - 2 });
    d.load([A.lw(a0, t0, 0)]);
    d.step();
    assert.equal(d.csr(CSR.mcause), 5);
    assert.equal(d.csr(CSR.mtval), end, 'the second aligned word, past RAM');
    assert.equal(d.reg(a0), 0, 'no write-back');
  });
});

describe('A extension', () => {
  test('lr.w/sc.w succeed on a reserved address and fail without a reservation', () => {
    const d = driver();
    d.setRegisters({ [a1]: 77 });
    d.exec([A.lr_w(a0, t0), A.sc_w(a2, a1, t0), A.sc_w(A.a3, a1, t0)]);
    assert.equal(d.readRegister(a0), 0xb3a29180, 'lr.w loaded the word');
    assert.equal(d.reg(a2), 0, 'first sc succeeds');
    assert.equal(d.reg(A.a3), 1, 'second sc fails: the reservation was consumed');
    assert.equal(d.read32(DATA), 77);
  });

  test('sc.w to a different address than the reservation fails and does not write', () => {
    const d = driver();
    d.setRegisters({ [a1]: 5, [a2]: DATA + 4 });
    d.exec([A.lr_w(a0, t0), A.sc_w(A.a3, a1, a2)]);
    assert.equal(d.reg(A.a3), 1);
    assert.notEqual(d.read32(DATA + 4), 5);
  });

  test('a trap between lr and sc clears the reservation', () => {
    const d = driver();
    d.writeMemory(
      HANDLER,
      A.assemble([A.csrr(A.a4, CSR.mepc), A.addi(A.a4, A.a4, 4), A.csrw(CSR.mepc, A.a4), A.mret()]),
    );
    d.setRegisters({ [a1]: 9 });
    d.exec([A.lr_w(a0, t0), A.ecall(), A.sc_w(a2, a1, t0)], 7);
    assert.equal(d.reg(a2), 1);
  });

  const AMOS: [string, (rd: number, rs2: number, rs1: number) => number, (m: number, s: number) => number][] = [
    ['amoswap.w', A.amoswap_w, (_m, s) => s],
    ['amoadd.w', A.amoadd_w, (m, s) => (m + s) | 0],
    ['amoxor.w', A.amoxor_w, (m, s) => m ^ s],
    ['amoand.w', A.amoand_w, (m, s) => m & s],
    ['amoor.w', A.amoor_w, (m, s) => m | s],
    ['amomin.w', A.amomin_w, (m, s) => Math.min(m, s)],
    ['amomax.w', A.amomax_w, (m, s) => Math.max(m, s)],
    ['amominu.w', A.amominu_w, (m, s) => (m >>> 0 < s >>> 0 ? m : s)],
    ['amomaxu.w', A.amomaxu_w, (m, s) => (m >>> 0 > s >>> 0 ? m : s)],
  ]; // prettier-ignore
  for (const [name, enc, f] of AMOS) {
    test(`${name} returns the old value and stores the result`, () => {
      for (const [m, s] of [
        [5, 3],
        [-5, 3],
        [3, -5],
        [0x7fffffff, 1],
        [-1, 1],
      ]) {
        const d = driver();
        d.write32(DATA, m);
        d.setRegisters({ [a1]: s });
        d.exec([enc(a0, a1, t0)]);
        assert.equal(d.reg(a0), m, 'rd = old memory value');
        assert.equal(d.read32(DATA) | 0, f(m, s), `${name}(${m}, ${s})`);
      }
    });
  }

  test('misaligned AMOs and LR raise address-misaligned, unmapped ones access faults', () => {
    const cases: [number, number, number][] = [
      [A.amoadd_w(a0, a1, t0), DATA + 2, 6],
      [A.sc_w(a0, a1, t0), DATA + 1, 6],
      [A.lr_w(a0, t0), DATA + 2, 4],
      [A.amoswap_w(a0, a1, t0), 0x100, 7],
      [A.lr_w(a0, t0), 0x100, 5],
    ];
    for (const [insn, address, cause] of cases) {
      const d = driver();
      d.setRegisters({ [t0]: address });
      d.load([insn]);
      d.step();
      assert.equal(d.csr(CSR.mcause), cause, `cause for ${insn.toString(16)}`);
      assert.equal(d.csr(CSR.mtval), address);
    }
  });
});
