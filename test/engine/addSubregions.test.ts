// MemoryRegion.addSubregionsOverlap: the same subregion order, flat view and errors as calling
// addSubregionOverlap once per entry (QEMU's insertion: priority, then newest first), without
// moving the whole list for every child (100,000 equal-priority siblings took minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createContainer, createRam, formatMtree, MemorySystem } from '../../src/engine';
import { numRuns } from '../support/property';

interface Step {
  readonly priority: number;
  readonly offset: number;
}

function build(before: readonly Step[], batch: readonly Step[], bulk: boolean): string {
  const system = new MemorySystem();
  const root = createContainer(system, 'root', 1n << 32n);
  system.createAddressSpace(root, 'memory');
  const ram = (i: number) => createRam(system, `r${i}`, 0x1000n);
  before.forEach((s, i) => root.addSubregionOverlap(s.offset * 0x800, ram(i), s.priority));
  const subs = batch.map((s, i) => ({
    offset: s.offset * 0x800,
    sub: ram(100 + i),
    priority: s.priority,
  }));
  if (bulk) root.addSubregionsOverlap(subs);
  else for (const e of subs) root.addSubregionOverlap(e.offset, e.sub, e.priority);
  return (
    root.subregions.map((r) => `${r.name}:${r.priority}`).join(' ') +
    '\n' +
    formatMtree(system, { flat: true })
  );
}

const step = fc.record({ priority: fc.integer({ min: -2, max: 2 }), offset: fc.nat({ max: 8 }) });

test('the same order and flat view as one addSubregionOverlap per entry', () => {
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 8 }),
      fc.array(step, { maxLength: 12 }),
      (before, batch) => {
        assert.equal(build(before, batch, true), build(before, batch, false));
      },
    ),
    { numRuns: numRuns(2000) },
  );
});

test('errors as one call per entry: the entries before the bad one stay added', () => {
  const system = new MemorySystem();
  const root = createContainer(system, 'root', 1n << 32n);
  const a = createRam(system, 'a', 0x1000n);
  const b = createRam(system, 'b', 0x1000n);
  const other = createContainer(system, 'other', 0x10000n);
  other.addSubregion(0, b);
  assert.throws(
    () =>
      root.addSubregionsOverlap([
        { offset: 0, sub: a, priority: 0 },
        { offset: 0x1000, sub: b, priority: 0 },
      ]),
    /cannot add 'b' to 'root': it is already a subregion of 'other'/,
  );
  assert.deepEqual(root.subregions, [a]);
  assert.equal(a.container, root);
  assert.throws(
    () =>
      root.addSubregionsOverlap([
        { offset: 0, sub: createRam(system, 'c', 1n), priority: 2 ** 31 },
      ]),
    /signed 32-bit integer/,
  );
  assert.throws(
    () => root.addSubregionsOverlap([{ offset: 0, sub: root, priority: 0 }]),
    /to itself/,
  );
});

test('100,000 equal-priority siblings in one call: linear-ish, newest first', () => {
  const system = new MemorySystem();
  const root = createContainer(system, 'root', 1n << 48n);
  const n = 100_000;
  const subs = Array.from({ length: n }, (_, i) => ({
    offset: i * 0x1000,
    sub: createContainer(system, `c${i}`, 0x1000n),
    priority: 0,
  }));
  const t0 = performance.now();
  root.addSubregionsOverlap(subs);
  const took = performance.now() - t0;
  assert.ok(took < 20_000, `${took} ms`); // one call per child: minutes on this machine
  assert.equal(root.subregions.length, n);
  assert.equal(root.subregions[0]!.name, `c${n - 1}`);
  assert.equal(root.subregions[n - 1]!.name, 'c0');
});
