import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Clint, IRQ_MEI, IRQ_MSI, IRQ_MTI, Plic } from '../../../src/machine/devices';
import { Bench } from './harness';

const MTIMECMP = 0x4000;
const MTIME = 0x4000 + 0x7ff8;

function clint(): { b: Bench; dev: Clint } {
  let dev!: Clint;
  const b = new Bench(
    (system, env) =>
      (dev = new Clint(system, env, { id: 'clint', harts: 1, timebase: 10_000_000 })),
    0x0200_0000,
  );
  return { b, dev };
}

describe('CLINT (ACLINT layout)', () => {
  test('msip drives MSIP', () => {
    const { b } = clint();
    b.store(0, 1, 4);
    assert.equal(b.env.hartIrqs.get(IRQ_MSI), true);
    assert.equal(b.load(0, 4), 1);
    b.store(0, 0, 4);
    assert.equal(b.env.hartIrqs.get(IRQ_MSI), false);
  });

  test('mtime counts one tick per 10 instructions and is writable', () => {
    const { b, dev } = clint();
    b.env.instructions = 12_345;
    assert.equal(b.load(MTIME, 4), 1234);
    assert.equal(b.load(MTIME + 4, 4), 0);
    b.store(MTIME, 5000, 4);
    assert.equal(dev.mtime, 5000);
    b.env.instructions += 100;
    assert.equal(b.load(MTIME, 4), 5010);
  });

  test('MTIP pending from reset (mtimecmp 0, as on QEMU 7.2); MTIP follows mtime >= mtimecmp', () => {
    const { b, dev } = clint();
    dev.reset();
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), true, 'mtime 0 >= mtimecmp 0 at reset');
    b.env.instructions = 50;
    dev.update();
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), true, 'stays pending as mtime runs');
    b.env.instructions = 0;
    b.store(MTIMECMP + 4, 0, 4);
    b.store(MTIMECMP, 100, 4);
    assert.equal(dev.instructionsUntilDeadline(), 1000);
    b.env.instructions = 999;
    dev.update();
    assert.notEqual(b.env.hartIrqs.get(IRQ_MTI), true);
    assert.equal(dev.instructionsUntilDeadline(), 1);
    b.env.instructions = 1000;
    dev.update();
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), true);
    b.store(MTIMECMP, 500, 4); // a later deadline clears MTIP at once
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), false);
    assert.equal(b.env.batchEnds, 3, 'every mtimecmp write ends the batch (the deadline moved)');
  });

  test('skipToDeadline fast-forwards a sleeping hart to the next deadline', () => {
    const { b, dev } = clint();
    dev.reset();
    assert.equal(dev.skipToDeadline(), false, 'MTIP already pending: no deadline ahead');
    b.store(MTIMECMP + 4, 0, 4);
    b.store(MTIMECMP, 1_000_000, 4);
    assert.equal(dev.skipToDeadline(), true);
    assert.equal(dev.mtime, 1_000_000);
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), true);
    assert.equal(b.env.instructions, 0, 'time moved, not the instruction count');
  });

  test('64-bit mtimecmp halves combine above 2^32', () => {
    const { b, dev } = clint();
    b.store(MTIMECMP + 4, 1, 4);
    b.store(MTIMECMP, 0, 4);
    dev.mtime = 2 ** 32 - 1;
    assert.notEqual(b.env.hartIrqs.get(IRQ_MTI), true);
    dev.mtime = 2 ** 32;
    assert.equal(b.env.hartIrqs.get(IRQ_MTI), true);
    assert.equal(b.load(MTIME + 4, 4), 1);
  });
});

const PLIC_CONTEXT = 0x200000;

function plic(): { b: Bench; dev: Plic } {
  let dev!: Plic;
  const b = new Bench(
    (system, env) =>
      (dev = new Plic(system, env, {
        id: 'plic',
        name: 'riscv.sifive.plic',
        sources: 64,
        contexts: 2,
        size: 0x600000,
      })),
    0x0c00_0000,
  );
  return { b, dev };
}

describe('PLIC', () => {
  test('a raised source pends; MEIP needs enable and priority above the threshold', () => {
    const { b, dev } = plic();
    dev.setInput(10, true);
    assert.equal(b.load(0x1000, 4), 1 << 10, 'pending bit');
    assert.notEqual(b.env.hartIrqs.get(IRQ_MEI), true, 'priority 0 never interrupts');
    b.store(10 * 4, 3, 4);
    assert.notEqual(b.env.hartIrqs.get(IRQ_MEI), true, 'not enabled yet');
    b.store(0x2000, 1 << 10, 4);
    assert.equal(b.env.hartIrqs.get(IRQ_MEI), true);
    b.store(PLIC_CONTEXT, 3, 4);
    assert.equal(b.env.hartIrqs.get(IRQ_MEI), false, 'threshold 3 masks priority 3');
    b.store(PLIC_CONTEXT, 2, 4);
    assert.equal(b.env.hartIrqs.get(IRQ_MEI), true);
  });

  test('claim returns the highest priority (lowest id on ties), complete re-pends a held line', () => {
    const { b, dev } = plic();
    for (const s of [5, 7, 9]) b.store(s * 4, s === 9 ? 1 : 4, 4);
    b.store(0x2000, (1 << 5) | (1 << 7) | (1 << 9), 4);
    dev.setInput(9, true);
    dev.setInput(7, true);
    dev.setInput(5, true);
    assert.equal(b.peek(PLIC_CONTEXT + 4, 4), 5, 'a peek does not claim');
    assert.equal(b.load(PLIC_CONTEXT + 4, 4), 5);
    assert.equal(b.load(PLIC_CONTEXT + 4, 4), 7);
    assert.equal(b.load(PLIC_CONTEXT + 4, 4), 9);
    assert.equal(b.load(PLIC_CONTEXT + 4, 4), 0, 'nothing left');
    assert.equal(b.env.hartIrqs.get(IRQ_MEI), false);
    dev.setInput(7, false);
    b.store(PLIC_CONTEXT + 4, 7, 4); // line low at completion: stays idle
    b.store(PLIC_CONTEXT + 4, 5, 4); // line still high: pends again
    assert.equal(b.load(0x1000, 4), 1 << 5);
    assert.equal(b.env.hartIrqs.get(IRQ_MEI), true);
  });

  test('context 1 has its own enables and threshold and does not drive MEIP', () => {
    const { b, dev } = plic();
    b.store(3 * 4, 1, 4);
    b.store(0x2000 + 0x80, 1 << 3, 4);
    dev.setInput(3, true);
    assert.notEqual(b.env.hartIrqs.get(IRQ_MEI), true);
    assert.equal(b.load(PLIC_CONTEXT + 0x1000 + 4, 4), 3);
  });
});
