// Type names (gdb's whatis), value formatting corner cases (string repeats and limits, floats,
// flag enums) and the DWARF expression machine, on constructed types and bytes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type DwarfType,
  type FunctionType,
  VOID,
  arrayOf,
  baseType,
  evaluateLocation,
  formatFloat,
  formatValue,
  parseExpression,
  pointerTo,
  typeName,
  valueFromBytes,
  ExpressionError,
} from '../../../src/machine/debuginfo';

const int = baseType('int', 4, 'signed');
const char = baseType('char', 1, 'signed-char');
const noMemory = (_a: number, n: number) => ({
  data: new Uint8Array(n),
  status: new Uint8Array(n).fill(1),
});
const constQ = (target: DwarfType): DwarfType => ({
  kind: 'qualified',
  qualifier: 'const',
  size: target.size,
  target,
});
const fn = (returnType: DwarfType, parameters: DwarfType[], variadic = false): FunctionType => ({
  kind: 'function',
  returnType,
  parameters,
  prototyped: true,
  variadic,
  size: 1,
});

describe('type names as gdb whatis prints them', () => {
  const cases: [DwarfType, string][] = [
    [pointerTo(constQ(char)), 'const char *'],
    [constQ(pointerTo(char)), 'char * const'],
    [arrayOf(arrayOf(int, 4), 3), 'int [3][4]'],
    [pointerTo(arrayOf(int, 4)), 'int (*)[4]'],
    [arrayOf(pointerTo(char), 3), 'char *[3]'],
    [pointerTo(fn(int, [pointerTo(constQ(char))])), 'int (*)(const char *)'],
    [fn(VOID, []), 'void (void)'],
    [fn(int, [int], true), 'int (int, ...)'],
    [arrayOf(pointerTo(fn(VOID, [int])), 2), 'void (*[2])(int)'],
    [pointerTo(pointerTo(VOID)), 'void **'],
    [arrayOf(char, undefined), 'char []'],
    [{ kind: 'struct', name: undefined, size: 0, members: [], incomplete: false }, 'struct {...}'],
  ];
  for (const [type, name] of cases) test(name, () => assert.equal(typeName(type), name));
});

describe('formatting', () => {
  const chars = (text: number[]) =>
    valueFromBytes(arrayOf(char, text.length), Uint8Array.from(text), noMemory);
  test('strings: one trailing NUL dropped, runs over 10 as repeats, escapes', () => {
    assert.equal(formatValue(chars([104, 105, 0, 0])), '"hi\\000"');
    assert.equal(
      formatValue(chars([...Array(12).fill(120), 0x22, 0x5c, 7, 0])),
      '\'x\' <repeats 12 times>, "\\"\\\\\\a"',
    );
    assert.equal(formatValue(chars([0])), '""');
  });
  test('strings stop at 200 characters with ...', () => {
    const text = Array.from({ length: 250 }, (_, i) => 65 + (i % 26));
    assert.equal(formatValue(chars(text)), `"${String.fromCharCode(...text.slice(0, 200))}"...`);
  });
  test('arrays: repeats count as 10 towards the 200-element limit', () => {
    const values = [...Array(15).fill(7), ...Array.from({ length: 300 }, (_, i) => i % 2)];
    const bytes = new Uint8Array(values.length * 4);
    values.forEach((v, i) => new DataView(bytes.buffer).setInt32(i * 4, v, true));
    const text = formatValue(valueFromBytes(arrayOf(int, values.length), bytes, noMemory));
    const elements = text.slice(1, -1).split(', ');
    assert.equal(elements[0], '7 <repeats 15 times>');
    assert.equal(elements.length, 1 + 190);
    assert.ok(text.endsWith('...}'));
  });
  test('floats with %.9g and %.17g', () => {
    assert.equal(formatFloat(Math.fround(0.1), 4), '0.100000001');
    assert.equal(formatFloat(0.1, 8), '0.10000000000000001');
    assert.equal(formatFloat(1e21, 8), '1e+21');
    assert.equal(formatFloat(-1.5e-7, 8), '-1.4999999999999999e-07');
    assert.equal(formatFloat(100, 4), '100');
    assert.equal(formatFloat(Infinity, 8), 'inf');
  });
  test('flag enums', () => {
    const flags: DwarfType = {
      kind: 'enum',
      name: 'f',
      size: 4,
      isSigned: false,
      isFlag: true,
      enumerators: [
        { name: 'A', value: 1n },
        { name: 'B', value: 4n },
      ],
    };
    const v = (n: number) => valueFromBytes(flags, Uint8Array.of(n, 0, 0, 0), noMemory);
    assert.equal(formatValue(v(5)), '(A | B)');
    assert.equal(formatValue(v(3)), '(A | unknown: 0x2)');
    assert.equal(formatValue(v(8)), '(unknown: 0x8)');
    assert.equal(formatValue(v(0)), '0');
  });
});

describe('DWARF expressions', () => {
  const context = {
    addressSize: 4,
    readRegister: (n: number) => (n === 2 ? 0x1000 : n === 10 ? 7 : undefined),
    readMemory: () => 0x11223344n,
    callFrameAddress: () => 0x2000,
  };
  const run = (...bytes: number[]) =>
    evaluateLocation(
      { bytes: Uint8Array.from(bytes), section: '.debug_info', offset: 0x100 },
      context,
    );
  test('stack arithmetic, branches and stack_value', () => {
    // lit5 lit3 minus lit2 mul stack_value → 4
    assert.deepEqual(run(0x35, 0x33, 0x1c, 0x32, 0x1e, 0x9f), {
      kind: 'location',
      location: [{ part: { kind: 'value', value: 4n } }],
    });
    // lit1 bra +1 (skip lit7) lit9 stack_value → 9
    assert.deepEqual(run(0x31, 0x28, 0x01, 0x00, 0x37, 0x39, 0x9f), {
      kind: 'location',
      location: [{ part: { kind: 'value', value: 9n } }],
    });
  });
  test('breg, call_frame_cfa, pieces and implicit_value', () => {
    assert.deepEqual(run(0x72, 0x08), {
      kind: 'location',
      location: [{ part: { kind: 'memory', address: 0x1008 } }],
    });
    assert.deepEqual(run(0x9c, 0x23, 0x04), {
      kind: 'location',
      location: [{ part: { kind: 'memory', address: 0x2004 } }],
    });
    const pieces = run(0x5a, 0x93, 0x04, 0x93, 0x04, 0x9e, 0x02, 0xaa, 0xbb, 0x93, 0x02);
    assert.equal(pieces.kind, 'location');
    if (pieces.kind !== 'location') return;
    assert.deepEqual(
      pieces.location.map((p) => [p.part.kind, p.bitSize]),
      [
        ['register', 32],
        ['optimized-out', 32],
        ['bytes', 16],
      ],
    );
  });
  test('unknown registers and entry values are unavailable, bad bytes are errors with offsets', () => {
    assert.equal(run(0x75, 0x00).kind, 'unavailable'); // breg5: not known
    assert.equal(run(0xa3, 0x01, 0x5a, 0x9f).kind, 'unavailable'); // entry_value(reg10)
    const truncated = run(0x0c, 0x01);
    assert.equal(truncated.kind, 'error');
    if (truncated.kind === 'error')
      assert.match(truncated.error.message, /\(at \.debug_info offset 0x101\)$/);
    const underflow = run(0x1c);
    assert.equal(underflow.kind, 'error');
  });
});

describe('C expression syntax errors have gdb wording and a column', () => {
  const error = (text: string) => {
    try {
      parseExpression(text);
    } catch (e) {
      if (e instanceof ExpressionError) return [e.message, e.column];
      throw e;
    }
    return undefined;
  };
  test('cases', () => {
    assert.deepEqual(error('a +'), ["A syntax error in expression, near `'.", 3]);
    assert.deepEqual(error('a + )b'), ["A syntax error in expression, near `)b'.", 4]);
    assert.deepEqual(error("'ab"), ['Unmatched single quote.', 0]);
    assert.deepEqual(error('a # b'), ["Invalid character '#' in expression.", 2]);
    assert.equal(error('(unsigned char)x->y[2] * sizeof(int)'), undefined);
  });
});
