import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CSR } from '../../../src/machine/riscv';
import * as A from './asm';
import { HartDriver, RAM_BASE } from './driver';

const { a0, a1, a2 } = A;
const HANDLER = RAM_BASE + 0x400;

function run(program: number[], setup?: (d: HartDriver) => void): HartDriver {
  const d = new HartDriver();
  d.writeMemory(HANDLER, A.assemble([A.nop()]));
  d.hart.csr.mtvec = HANDLER;
  setup?.(d);
  d.exec(program);
  return d;
}

function assertIllegal(d: HartDriver, insn: number, epc = RAM_BASE): void {
  assert.equal(d.csr(CSR.mcause), 2, 'illegal instruction');
  assert.equal(d.csr(CSR.mepc), epc);
  assert.equal(d.csr(CSR.mtval), insn >>> 0, 'mtval holds the instruction');
}

describe('machine information and misa', () => {
  test('misa reads RV32IMAC (MXL=1, A C I M); ids read 0; mhartid is configurable', () => {
    const d = run(
      [
        A.csrr(a0, CSR.misa),
        A.csrr(a1, CSR.mvendorid),
        A.csrr(a2, CSR.mhartid),
        A.csrr(A.a3, CSR.marchid),
        A.csrr(A.a4, CSR.mimpid),
      ],
      undefined,
    );
    assert.equal(d.readRegister(a0), 0x40001105);
    assert.deepEqual([d.reg(a1), d.reg(a2), d.reg(A.a3), d.reg(A.a4)], [0, 0, 0, 0]);
    const h = new HartDriver({ hartId: 3 });
    h.exec([A.csrr(a0, CSR.mhartid)]);
    assert.equal(h.reg(a0), 3);
  });

  test('writing a read-only CSR traps; csrrs/csrrc with x0 or uimm 0 only read', () => {
    for (const insn of [
      A.csrrw(0, CSR.mhartid, a0),
      A.csrrs(a0, CSR.mvendorid, a1),
      A.csrrwi(a0, CSR.cycle, 0),
      A.csrrci(a0, CSR.instret, 1),
    ]) {
      const d = run([insn], (h) => h.setRegisters({ [a1]: 1 }));
      assertIllegal(d, insn);
    }
    const d = run([A.csrrs(a0, CSR.cycle, 0), A.csrrci(a1, CSR.mhartid, 0)]);
    assert.equal(d.getPC(), RAM_BASE + 8, 'no trap');
  });

  test('unknown CSRs (S-mode, debug, custom) raise illegal instruction', () => {
    for (const n of [0x100, 0x180, 0x7b0, 0x7c0, 0x302, 0x303, 0x30a, 0x747, 0xfff]) {
      const insn = A.csrr(a0, n);
      assertIllegal(run([insn]), insn);
    }
  });
});

describe('trap CSRs: WARL legalisation', () => {
  test('mstatus: only MIE and MPIE are writable and MPP always reads M', () => {
    const d = run([A.addi(a0, 0, -1), A.csrw(CSR.mstatus, a0), A.csrr(a1, CSR.mstatus)]);
    assert.equal(d.readRegister(a1), 0x1888);
    const z = run([A.csrw(CSR.mstatus, 0), A.csrr(a1, CSR.mstatus)]);
    assert.equal(z.readRegister(a1), 0x1800);
  });

  test('mie keeps MSIE/MTIE/MEIE only; mip ignores writes (lines are device-driven)', () => {
    const d = run([
      A.addi(a0, 0, -1),
      A.csrw(CSR.mie, a0),
      A.csrw(CSR.mip, a0),
      A.csrr(a1, CSR.mie),
      A.csrr(a2, CSR.mip),
    ]);
    assert.equal(d.readRegister(a1), 0x888);
    assert.equal(d.readRegister(a2), 0);
  });

  test('mtvec: direct and vectored modes are kept, reserved modes leave it unchanged', () => {
    const d = run([
      ...A.li(a0, 0x80001001),
      A.csrw(CSR.mtvec, a0),
      A.csrr(a1, CSR.mtvec),
      A.addi(a0, a0, 1), // mode 2: reserved
      A.csrw(CSR.mtvec, a0),
      A.csrr(a2, CSR.mtvec),
    ]);
    assert.equal(d.readRegister(a1), 0x80001001);
    assert.equal(d.readRegister(a2), 0x80001001);
  });

  test('mepc clears bit 0; mscratch, mcause and mtval hold any value', () => {
    const d = run([
      A.addi(a0, 0, -1),
      A.csrw(CSR.mepc, a0),
      A.csrw(CSR.mscratch, a0),
      A.csrw(CSR.mcause, a0),
      A.csrw(CSR.mtval, a0),
      A.csrr(a1, CSR.mepc),
      A.csrrw(a2, CSR.mscratch, 0),
      A.csrr(A.a3, CSR.mcause),
      A.csrr(A.a4, CSR.mtval),
    ]);
    assert.equal(d.readRegister(a1), 0xfffffffe);
    assert.equal(d.readRegister(a2), 0xffffffff);
    assert.equal(d.csr(CSR.mscratch), 0, 'csrrw swapped in x0');
    assert.equal(d.readRegister(A.a3), 0xffffffff);
    assert.equal(d.readRegister(A.a4), 0xffffffff);
  });

  test('csrrs/csrrc set and clear bits; the immediate forms use the 5-bit uimm', () => {
    const d = run([
      A.csrrsi(0, CSR.mscratch, 0x15),
      A.csrrci(a0, CSR.mscratch, 0x05),
      A.addi(a1, 0, 0x300),
      A.csrrs(a2, CSR.mscratch, a1),
      A.csrrc(A.a3, CSR.mscratch, a1),
      A.csrr(A.a4, CSR.mscratch),
    ]);
    assert.equal(d.reg(a0), 0x15);
    assert.equal(d.reg(a2), 0x10);
    assert.equal(d.reg(A.a3), 0x310);
    assert.equal(d.reg(A.a4), 0x10);
  });

  test('trigger CSRs exist: tselect reads 0, tdata1 ignores writes (no triggers)', () => {
    const d = run([
      A.addi(a0, 0, -1),
      A.csrw(CSR.tselect, a0),
      A.csrw(CSR.tdata1, a0),
      A.csrr(a1, CSR.tselect),
      A.csrr(a2, CSR.tdata1),
      A.csrr(A.a3, CSR.tdata2),
    ]);
    assert.deepEqual([d.reg(a1), d.reg(a2), d.reg(A.a3)], [0, 0, 0]);
    assert.equal(d.getPC(), RAM_BASE + 24);
  });

  test('PMP and hpm CSRs exist as hardwired zero', () => {
    const d = run([
      A.addi(a0, 0, -1),
      A.csrw(0x3b0, a0), // pmpaddr0
      A.csrw(0x3a0, a0), // pmpcfg0
      A.csrw(0xb03, a0), // mhpmcounter3
      A.csrr(a1, 0x3b0),
      A.csrr(a2, 0x3a0),
      A.csrr(A.a3, 0xc03), // hpmcounter3
    ]);
    assert.deepEqual([d.reg(a1), d.reg(a2), d.reg(A.a3)], [0, 0, 0]);
  });
});

describe('counters', () => {
  test('minstret counts retired instructions; the reading instruction is not included', () => {
    const d = run([A.nop(), A.nop(), A.nop(), A.csrr(a0, CSR.minstret), A.csrr(a1, CSR.instret)]);
    assert.equal(d.reg(a0), 3);
    assert.equal(d.reg(a1), 4);
  });

  test('cycle counts steps including trapping ones; instret does not count them', () => {
    const d = new HartDriver();
    d.writeMemory(HANDLER, A.assemble([A.csrr(a0, CSR.mcycle), A.csrr(a1, CSR.minstret)]));
    d.hart.csr.mtvec = HANDLER;
    d.exec([A.nop(), A.ecall()], 4);
    assert.equal(d.reg(a0), 2, 'nop + ecall cycles');
    assert.equal(d.reg(a1), 2, 'nop + csrr retired, ecall not');
  });

  test('writing minstret: the writing instruction is not counted, the next ones are', () => {
    const d = run([
      A.addi(a0, 0, 100),
      A.csrw(CSR.minstret, a0),
      A.nop(),
      A.csrr(a1, CSR.minstret),
    ]);
    assert.equal(d.reg(a1), 101);
  });

  test('minstret/minstreth wrap from 2^64-1 to 0', () => {
    const d = run([
      A.addi(a0, 0, -1),
      A.csrw(CSR.minstreth, a0),
      A.csrw(CSR.minstret, a0),
      A.nop(),
      A.csrr(a1, CSR.minstret),
      A.csrr(a2, CSR.minstreth),
    ]);
    assert.equal(d.reg(a1), 0, 'the nop wrapped minstret to 0');
    assert.equal(d.reg(a2), 0, 'and carried into minstreth');
  });

  test('mcycleh carries from mcycle', () => {
    const d = run([
      A.addi(a0, 0, -3),
      A.csrw(CSR.mcycle, a0),
      A.nop(),
      A.nop(),
      A.nop(),
      A.csrr(a1, CSR.mcycleh),
      A.csrr(a2, CSR.cycle),
    ]);
    assert.equal(d.reg(a1), 1);
    assert.equal(d.reg(a2), 1);
  });

  test('mcountinhibit freezes mcycle (CY) and minstret (IR) independently', () => {
    const d = run([
      A.csrrwi(0, CSR.mcountinhibit, 4),
      A.nop(),
      A.nop(),
      A.csrr(a0, CSR.minstret),
      A.csrr(a1, CSR.mcycle),
      A.csrrwi(0, CSR.mcountinhibit, 0x1f),
      A.csrr(a2, CSR.mcountinhibit),
    ]);
    assert.equal(d.reg(a0), 0, 'the inhibiting write takes effect before it retires');
    assert.equal(d.reg(a1), 4);
    assert.equal(d.reg(a2), 5, 'bit 1 (TM) and hpm bits are zero');
  });

  test('counters keep counting across run() batches', () => {
    const d = new HartDriver();
    d.load([A.nop(), A.nop(), A.nop(), A.csrr(a0, CSR.minstret)]);
    d.hart.run(1);
    d.hart.run(2);
    d.hart.run(1);
    assert.equal(d.reg(a0), 3);
  });

  test('time reads the injected clock source; without one it follows mcycle', () => {
    const d = new HartDriver({ readTime: () => 0x1_2345_6789 });
    d.exec([A.csrr(a0, CSR.time), A.csrr(a1, CSR.timeh)]);
    assert.equal(d.readRegister(a0), 0x2345_6789);
    assert.equal(d.readRegister(a1), 1);
    const e = new HartDriver();
    e.exec([A.nop(), A.csrr(a0, CSR.time)]);
    assert.equal(e.reg(a0), 1);
  });
});
