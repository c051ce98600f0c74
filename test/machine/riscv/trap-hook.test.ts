/**
 * The hart's trap hook (RiscvHart.onTrap): offered every trap as it is taken; claiming one ends
 * run()/step() with reason 'trap' before the handler's first instruction, whether the trap came
 * from the interpreter, a compiled block or a slow path. Runs in all three compiler modes
 * (default, RV_JIT_THRESHOLD=0, RV_JIT=off) through HartDriver.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CSR, IRQ_MTI } from '../../../src/machine/riscv';
import * as A from './asm';
import { HartDriver, RAM_BASE, RAM_SIZE } from './driver';

const { a0, a1, t0 } = A;
const HANDLER = RAM_BASE + 0x400;

interface Seen {
  cause: number;
  tval: number;
  pc: number;
  interrupt: boolean;
}

/** A driver whose handler increments a1 (so a test can tell whether it ran) and loops. */
function withHook(claim: (t: Seen) => boolean): { d: HartDriver; seen: Seen[] } {
  const d = new HartDriver();
  d.writeMemory(HANDLER, A.assemble([A.addi(a1, a1, 1), A.jal(0, 0)]));
  d.hart.csr.mtvec = HANDLER;
  const seen: Seen[] = [];
  d.hart.onTrap = (cause, tval, pc, interrupt) => {
    const t = { cause, tval, pc, interrupt };
    seen.push(t);
    return claim(t);
  };
  return { d, seen };
}

function assertStoppedAtHandler(d: HartDriver, cause: number, epc: number, tval: number): void {
  assert.equal(d.getPC(), HANDLER, 'pc at the handler');
  assert.equal(d.reg(a1), 0, "the handler's first instruction has not executed");
  assert.equal(d.csr(CSR.mcause), cause >>> 0, 'mcause');
  assert.equal(d.csr(CSR.mepc), epc >>> 0, 'mepc');
  assert.equal(d.csr(CSR.mtval), tval >>> 0, 'mtval');
  assert.deepEqual(d.hart.lastTrap, {
    cause: cause & 0x7fff_ffff,
    tval: tval >>> 0,
    pc: epc >>> 0,
    interrupt: cause >>> 31 === 1,
  });
}

describe('trap hook', () => {
  test('a load fault in a hot (compiled) loop stops with reason trap at the handler', () => {
    const { d, seen } = withHook(() => true);
    const iterations = 50;
    const end = RAM_BASE + RAM_SIZE;
    d.load([A.lw(t0, a0, 0), A.addi(a0, a0, 0x100), A.jal(0, -8)]);
    d.setRegisters({ [a0]: end - 0x100 * iterations });
    const r = d.hart.run(1_000_000);
    assert.equal(r.reason, 'trap');
    assertStoppedAtHandler(d, 5, RAM_BASE, end);
    assert.deepEqual(seen, [{ cause: 5, tval: end, pc: RAM_BASE, interrupt: false }]);
    assert.equal(r.executed, iterations * 3 + 1, 'the faulting load counts; nothing after it');
    // Continuing runs the handler.
    assert.equal(d.hart.run(1).reason, 'budget');
    assert.equal(d.reg(a1), 1);
  });

  test('ecall, an illegal instruction, a misaligned jump and a bad store each stop exactly', () => {
    const cases: { program: number[]; cause: number; at: number; tval: number }[] = [
      { program: [A.nop(), A.ecall(), A.nop()], cause: 11, at: 4, tval: 0 },
      { program: [A.nop(), 0, A.nop()], cause: 2, at: 4, tval: 0 },
      { program: [A.nop(), A.jalr(0, t0, 2), A.nop()], cause: 0, at: 4, tval: RAM_BASE + 2 },
      { program: [A.nop(), A.sw(t0, a0, 0), A.nop()], cause: 7, at: 4, tval: 0x1000 },
    ];
    for (const c of cases) {
      const { d, seen } = withHook(() => true);
      d.hart.csr.write(CSR.misa, d.csr(CSR.misa) & ~(1 << 2), RAM_BASE); // IALIGN=32
      d.load(c.program);
      d.setRegisters({ [t0]: RAM_BASE, [a0]: 0x1000 });
      const r = d.hart.run(1000);
      assert.equal(r.reason, 'trap', `cause ${c.cause}`);
      assert.equal(r.executed, 2);
      assertStoppedAtHandler(d, c.cause, RAM_BASE + c.at, c.tval);
      assert.equal(seen.length, 1);
    }
  });

  test('a hook that declines lets the run go on into the handler', () => {
    const { d, seen } = withHook(() => false);
    d.load([A.nop(), A.ecall()]);
    const r = d.hart.run(10);
    assert.equal(r.reason, 'budget');
    assert.equal(seen.length, 1);
    assert.ok(d.reg(a1) >= 1, 'the handler ran');
    assert.equal(d.hart.lastTrap, undefined);
  });

  test('interrupts are offered with interrupt = true; step() reports a claimed trap', () => {
    const { d, seen } = withHook((t) => t.interrupt);
    d.load([A.nop(), A.nop(), A.nop(), 0]);
    d.hart.csr.mie = 1 << IRQ_MTI;
    d.hart.csr.mstatus |= 1 << 3;
    d.hart.setInterruptLine(IRQ_MTI, true);
    const r = d.hart.step();
    assert.equal(r.reason, 'trap');
    assert.equal(r.executed, 0);
    assertStoppedAtHandler(d, 0x8000_0007, RAM_BASE, 0);
    assert.deepEqual(seen, [{ cause: 7, tval: 0, pc: RAM_BASE, interrupt: true }]);
    // An exception declined by this hook does not stop a step.
    d.hart.setInterruptLine(IRQ_MTI, false);
    d.setPC(RAM_BASE + 12);
    assert.equal(d.step().reason, 'budget');
    assert.equal(d.getPC(), HANDLER);
    assert.equal(seen.length, 2);
  });

  test('without a hook nothing changes: the same program runs on into the handler', () => {
    const d = new HartDriver();
    d.writeMemory(HANDLER, A.assemble([A.addi(a1, a1, 1), A.jal(0, 0)]));
    d.hart.csr.mtvec = HANDLER;
    d.load([A.nop(), 0]);
    assert.equal(d.hart.run(3).reason, 'budget');
    assert.equal(d.reg(a1), 1);
  });
});
