// Random corruption of real DWARF (the oracle ELFs): whatever the bytes, reading units, building
// frames, formatting every argument, local and global and evaluating expressions must never
// throw — faults become DwarfErrors in `problems`, `<error: …>` values or expression errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { numRuns } from '../../support/property';
import { parseElf } from '../../../src/machine/loader';
import {
  FrameTable,
  SourceSymbols,
  formatValue,
  frameExpressionScope,
  printExpression,
} from '../../../src/machine/debuginfo';
import { elfPath } from './oracle/boardmapStop';

const SECTIONS = [
  '.debug_info',
  '.debug_abbrev',
  '.debug_loclists',
  '.debug_rnglists',
  '.debug_str',
  '.debug_loc',
];

/** Reads everything; returns how many faults were reported (unit errors, error values). */
function exercise(bytes: Uint8Array): number {
  const elf = parseElf(bytes);
  const symbols = new SourceSymbols(elf, FrameTable.fromElf(elf));
  const readMemory = (address: number, length: number) => ({
    data: new Uint8Array(length).fill(address & 0xff),
    status: new Uint8Array(length),
  });
  let faults = 0;
  const registers = Array.from({ length: 32 }, (_, i) => 0x80004000 + i * 4);
  for (const fn of elf.symbols.functions()) {
    for (const pc of [fn.value, fn.value + 4]) {
      for (const frame of symbols.framesAt(
        { level: 0, pc, registers, cfa: 0x80004100 },
        readMemory,
      )) {
        for (const v of [...frame.arguments(), ...frame.locals()])
          if (formatValue(v.value()).includes('<error')) faults++;
        const scope = frameExpressionScope(symbols, frame, { readMemory }, pc);
        for (const text of [
          'g_triangle',
          'rx_ring.buf[1]',
          '*shape',
          'r->head',
          'sizeof(struct shape)',
        ])
          printExpression(text, scope);
      }
    }
    for (const g of symbols.globals(fn.value, readMemory)) formatValue(g.value());
  }
  return (
    faults + symbols.program.units.filter((u) => u.error).length + symbols.program.problems.length
  );
}

for (const name of ['types-O2', 'ring-O2-dwarf4']) {
  test(`corrupted ${name}: no exception escapes`, () => {
    const original = new Uint8Array(readFileSync(elfPath(name)));
    const elf = parseElf(original);
    const ranges = SECTIONS.map((s) => elf.section(s))
      .filter((s) => s !== undefined)
      .map((s) => [s.offset, s.size] as const);
    assert.ok(ranges.length >= 4);
    assert.equal(exercise(original), 0, 'the uncorrupted file reads without faults');
    let faultyRuns = 0;
    const runs = numRuns(60);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ section: fc.nat(ranges.length - 1), at: fc.nat(), value: fc.nat(255) }),
          { minLength: 1, maxLength: 12 },
        ),
        (edits) => {
          const bytes = Uint8Array.from(original);
          for (const { section, at, value } of edits) {
            const [offset, size] = ranges[section]!;
            bytes[offset + (at % size)] = value;
          }
          if (exercise(bytes) > 0) faultyRuns++;
        },
      ),
      { numRuns: runs, seed: 1312 },
    );
    // The corruption reaches the readers: many runs report faults (and none throws).
    assert.ok(
      faultyRuns >= Math.ceil(runs / 6),
      `only ${faultyRuns} of ${runs} corrupted files reported a fault`,
    );
  });
}
