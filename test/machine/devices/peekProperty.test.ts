// Property: debugger peeks never change what the guest sees. Two virt machines get the same
// random guest accesses to every device window (UART, CLINT, PLIC, finisher, HTIF-less map);
// one also gets random peeks in between. Every guest read, the console output and the exits
// must be the same, and no access may throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { numRuns } from '../../support/property';
import { AccessValue, addressSpaceLoad, addressSpaceStore } from '../../../src/engine';
import { Machine } from '../../../src/machine';

const WINDOWS: readonly [number, number][] = [
  [0x1000_0000, 8], // serial
  [0x0200_0000, 0x10], // ACLINT swi
  [0x0200_4000, 0x10], // mtimecmp
  [0x0200_bff8, 8], // mtime
  [0x0c00_0000, 0x100], // PLIC priorities
  [0x0c00_1000, 0x10], // pending
  [0x0c00_2000, 0x10], // enables
  [0x0c20_0000, 0x10], // threshold, claim
  [0x0010_0000, 8], // finisher
];

const access = fc.record({
  window: fc.integer({ min: 0, max: WINDOWS.length - 1 }),
  offset: fc.nat(),
  size: fc.constantFrom(1 as const, 2 as const, 4 as const),
  write: fc.boolean(),
  value: fc.integer({ min: 0, max: 0xffff_ffff }),
  peek: fc.option(
    fc.record({ window: fc.nat(), offset: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  ),
  input: fc.option(fc.integer({ min: 0, max: 255 })),
});

type Access = typeof access extends fc.Arbitrary<infer T> ? T : never;

function replay(ops: readonly Access[], peeking: boolean): string[] {
  const m = Machine.builtin('virt');
  const log: string[] = [];
  m.onOutput((o) => log.push(`out ${o.text.charCodeAt(0)}`));
  m.onExited((e) => log.push(`exit ${e.code}`));
  const out = new AccessValue();
  for (const op of ops) {
    const [base, size] = WINDOWS[op.window]!;
    const address = base + ((op.offset % size) & ~(op.size - 1));
    if (op.input !== null) m.input([op.input]);
    if (peeking && op.peek) {
      const [pb, ps] = WINDOWS[op.peek.window % WINDOWS.length]!;
      m.readMemory(pb + (op.peek.offset % ps), op.peek.length);
    }
    if (op.write) {
      if ((op.value & 0xffff) === 0x7777 && base === 0x0010_0000) continue; // reset: not a device-state property
      log.push(`w ${addressSpaceStore(m.space, address, op.size, op.value)}`);
    } else {
      const r = addressSpaceLoad(m.space, address, op.size, out);
      log.push(`r ${address.toString(16)} ${r} ${out.value}`);
    }
  }
  return log;
}

test('peeks are invisible to the guest, and device accesses never throw', () => {
  fc.assert(
    fc.property(fc.array(access, { maxLength: 60 }), (ops) => {
      assert.deepEqual(replay(ops, true), replay(ops, false));
    }),
    { numRuns: numRuns(40) },
  );
});
