// Malformed .debug_line input: truncation everywhere, corrupt header fields, bad string
// references and random mutations. Each must raise a DwarfError naming the section and offset —
// never a TypeError/RangeError, never an endless loop.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../../support/property';
import { parseElf } from '../../../src/machine/loader';
import { DwarfError, parseDebugLine, type DebugLineSections } from '../../../src/machine/debuginfo';
import { readFirmware } from '../loader/elfFixtures';

const elf = parseElf(readFirmware('hello'));
const sections: DebugLineSections = {
  debugLine: elf.section('.debug_line')!.data,
  debugLineStr: elf.section('.debug_line_str')!.data,
  debugStr: elf.section('.debug_str')!.data,
};
const firstUnitLength = new DataView(
  sections.debugLine.buffer,
  sections.debugLine.byteOffset,
).getUint32(0, true);

function withLine(
  edit: (bytes: Uint8Array, view: DataView) => void,
  base = sections.debugLine,
): DebugLineSections {
  const copy = new Uint8Array(base);
  edit(copy, new DataView(copy.buffer));
  return { ...sections, debugLine: copy };
}

function refusal(input: DebugLineSections): DwarfError {
  try {
    parseDebugLine(input);
  } catch (e) {
    if (e instanceof DwarfError) return e;
    throw new Error(`expected a DwarfError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a DwarfError, but the input was accepted');
}

describe('truncated .debug_line', () => {
  test('every prefix that cuts a unit is refused with a located error', () => {
    const unitEnds = new Set<number>();
    for (let at = 0; at < sections.debugLine.length;) {
      at +=
        4 +
        new DataView(sections.debugLine.buffer, sections.debugLine.byteOffset + at).getUint32(
          0,
          true,
        );
      unitEnds.add(at);
    }
    for (let n = 1; n < sections.debugLine.length; n++) {
      if (unitEnds.has(n)) {
        assert.doesNotThrow(() =>
          parseDebugLine({ ...sections, debugLine: sections.debugLine.subarray(0, n) }),
        );
        continue;
      }
      const e = refusal({ ...sections, debugLine: sections.debugLine.subarray(0, n) });
      assert.equal(e.section, '.debug_line');
      assert.ok(e.offset !== undefined && e.offset <= n, `prefix ${n}: ${e.message}`);
    }
  });
  test('message names the unit and sizes', () => {
    const e = refusal({ ...sections, debugLine: sections.debugLine.subarray(0, 40) });
    assert.equal(e.code, 'truncated');
    assert.match(
      e.message,
      new RegExp(
        `^DWARF: truncated: the unit at 0x0 claims 0x${firstUnitLength.toString(16)} bytes.*\\(at \\.debug_line offset 0x0\\)$`,
      ),
    );
  });
});

describe('corrupt header fields of the first unit', () => {
  const cases: [string, (b: Uint8Array, v: DataView) => void, string, RegExp][] = [
    [
      'version 1',
      (_b, v) => v.setUint16(4, 1, true),
      'unsupported-version',
      /version 1 is not supported/,
    ],
    ['version 6', (_b, v) => v.setUint16(4, 6, true), 'unsupported-version', /version 6/],
    ['address size 3', (b) => (b[6] = 3), 'malformed', /address_size 3/],
    ['segment selectors', (b) => (b[7] = 4), 'malformed', /segment selectors/],
    [
      'header_length too long',
      (_b, v) => v.setUint32(8, 0x100000, true),
      'malformed',
      /header_length 0x100000 runs past/,
    ],
    ['VLIW', (b) => (b[13] = 4), 'malformed', /VLIW/],
    ['line_range 0', (b) => (b[16] = 0), 'malformed', /line_range is 0/],
    ['opcode_base 0', (b) => (b[17] = 0), 'malformed', /opcode_base is 0/],
    [
      'reserved unit length',
      (_b, v) => v.setUint32(0, 0xfffffff5, true),
      'malformed',
      /reserved value/,
    ],
  ];
  for (const [name, edit, code, message] of cases) {
    test(name, () => {
      const e = refusal(withLine(edit));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, message);
      assert.match(e.message, /\(at \.debug_line offset 0x[0-9a-f]+\)$/);
    });
  }
  test('DW_FORM_line_strp without .debug_line_str, and an offset past its end', () => {
    assert.match(
      refusal({ debugLine: sections.debugLine }).message,
      /refers to \.debug_line_str, which the file does not have/,
    );
    assert.match(
      refusal({ ...sections, debugLineStr: sections.debugLineStr!.subarray(0, 8) }).message,
      /outside \.debug_line_str/,
    );
  });
  test('an unsupported form in the directory entry format', () => {
    // The first unit's directory format: count at 30, then (content type, form) ULEB pairs.
    assert.equal(sections.debugLine[30], 1);
    assert.equal(refusal(withLine((b) => (b[32] = 0x25))).code, 'unsupported-form'); // DW_FORM_strx1
  });
});

describe('random corruption never crashes', () => {
  const accepts = (input: DebugLineSections): boolean => {
    try {
      parseDebugLine(input);
      return true;
    } catch (e) {
      if (e instanceof DwarfError) return true;
      throw e;
    }
  };
  test('byte mutations anywhere in .debug_line', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat(sections.debugLine.length - 1), fc.integer({ min: 0, max: 255 })),
          { minLength: 1, maxLength: 8 },
        ),
        (edits) => accepts(withLine((b) => edits.forEach(([at, value]) => (b[at] = value)))),
      ),
      { numRuns: numRuns(2000) },
    );
  });
  test('random bytes behind a plausible v5 header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (tail) => {
        const bytes = new Uint8Array(6 + tail.length);
        new DataView(bytes.buffer).setUint32(0, 2 + tail.length, true);
        bytes[4] = 5;
        bytes.set(tail, 6);
        return accepts({ ...sections, debugLine: bytes });
      }),
      { numRuns: numRuns(2000) },
    );
  });
});
