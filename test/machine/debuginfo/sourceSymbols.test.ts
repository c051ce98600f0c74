// SourceSymbols and values on an oracle ELF without running it (memory = the ELF's load image):
// globals, children with their C expressions (evaluateName), paging, addresses and sizes (DAP
// memoryReference), assignment plans, name lookup across units, Step Into helpers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  childrenOf,
  evaluateExpression,
  formatValue,
  frameExpressionScope,
  indexedCount,
  planAssignment,
  valueFromInteger,
  valueForAssignment,
  type Value,
} from '../../../src/machine/debuginfo';
import { loadOracleElf } from './oracle/boardmapStop';

function imageMemory(elf: string) {
  const { elf: file } = loadOracleElf(elf);
  const ram = new Uint8Array(0x10000);
  for (const s of file.loadSegments) ram.set(s.data, s.paddr - 0x80000000);
  return (address: number, length: number) => {
    const data = new Uint8Array(length);
    const status = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const off = address + i - 0x80000000;
      if (off >= 0 && off < ram.length) data[i] = ram[off]!;
      else status[i] = 1;
    }
    return { data, status };
  };
}

describe('SourceSymbols on types-O0 (static image)', () => {
  const { symbols, lines } = loadOracleElf('types-O0');
  const readMemory = imageMemory('types-O0');
  const main = symbols.functionNamed('main')!;
  const scope = frameExpressionScope(symbols, undefined, { readMemory }, main.address);
  const value = (text: string): Value => evaluateExpression(text, scope);

  test('globals of the unit: sorted, with kinds', () => {
    const globals = symbols.globals(main.address, readMemory);
    const names = globals.map((g) => g.name);
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.includes('g_triangle') && names.includes('s_file_static'));
    assert.equal(globals.find((g) => g.name === 's_file_static')!.kind, 'static');
    assert.equal(globals.find((g) => g.name === 'g_int')!.kind, 'global');
    assert.equal(symbols.globals(main.address, readMemory, 3).length, 3);
  });

  test('struct children carry their C expressions, addresses and sizes', () => {
    const triangle = value('g_triangle');
    const children = childrenOf(triangle);
    assert.deepEqual(
      children.map((c) => c.name),
      ['name', 'color', 'corners', 'tag', 'bits', 'area', 'next', 'label', 'status', 'visible'],
    );
    const corners = children.find((c) => c.name === 'corners')!;
    assert.equal(corners.expression('g_triangle'), 'g_triangle.corners');
    assert.equal(indexedCount(corners.value), 3);
    const second = childrenOf(corners.value, 1, 1);
    assert.deepEqual(
      second.map((c) => c.name),
      ['[1]'],
    );
    assert.equal(second[0]!.expression('g_triangle.corners'), 'g_triangle.corners[1]');
    assert.equal(formatValue(second[0]!.value), '{x = 4, y = 0}');
    assert.equal(second[0]!.value.address, triangle.address! + 8 + 8);
    assert.equal(second[0]!.value.size, 8);
    // The expression a child names evaluates to the same storage.
    assert.equal(
      value(second[0]!.expression('g_triangle.corners')).address,
      second[0]!.value.address,
    );
  });

  test('paging a 2-D array and following a pointer', () => {
    const rows = childrenOf(value('g_matrix'), 2, 5);
    assert.deepEqual(
      rows.map((r) => r.name),
      ['[2]'],
    );
    assert.equal(formatValue(rows[0]!.value), '{9, 10, 11, 12}');
    const pointer = childrenOf(value('g_int_ptr'));
    assert.equal(pointer[0]!.name, '*');
    assert.equal(pointer[0]!.expression('g_int_ptr'), '*g_int_ptr');
    assert.equal(formatValue(pointer[0]!.value), '7');
    assert.deepEqual(childrenOf(value('g_null')), [], 'no target under a null pointer');
  });

  test('assignment plans: plain, bitfield (other bits kept), and a non-lvalue', () => {
    const g = value('g_int');
    const plan = planAssignment(g, valueFromInteger(g.type, 5n, readMemory));
    assert.deepEqual(plan, {
      kind: 'memory',
      address: g.address,
      bytes: Uint8Array.of(5, 0, 0, 0),
    });
    const mode = value('g_bits.mode');
    const before = value('g_bits').contents().bytes;
    const bits = planAssignment(mode, valueFromInteger(mode.type, 2n, readMemory));
    assert.ok(typeof bits === 'object' && bits.kind === 'memory');
    if (typeof bits !== 'object' || bits.kind !== 'memory') return;
    assert.equal(bits.address, value('g_bits').address);
    // Only the byte holding bits 1-3 is written, with its other bits as they were.
    assert.deepEqual(bits.bytes, Uint8Array.of((before[0]! & ~(7 << 1)) | (2 << 1)));
    assert.equal(
      planAssignment(value('g_int + 1'), g),
      'Left operand of assignment is not an lvalue.',
    );
    // setVariable's text, converted as C converts an assignment (300 wraps in a uchar).
    const uchar = value('g_uchar');
    const converted = valueForAssignment('299 + 1', uchar.type, scope);
    assert.deepEqual(planAssignment(uchar, converted), {
      kind: 'memory',
      address: uchar.address,
      bytes: Uint8Array.of(44),
    });
    assert.throws(() => valueForAssignment('g_triangle', uchar.type, scope), {
      message: 'Argument to arithmetic operation not a number or boolean.',
    });
  });

  test('names from other units and functions resolve; unknown names say so with a column', () => {
    assert.match(
      formatValue(value('print_str'), { symbolize: symbols.symbolize }),
      /^\{void \(const char \*\)\} 0x[0-9a-f]+ <print_str>$/,
    );
    assert.throws(() => value('1 + nothing_here'), {
      message: 'No symbol "nothing_here" in current context.',
      column: 4,
    });
  });

  test('Step Into: a function entered at its first instruction, and where its body starts', () => {
    const inspect = symbols.functionNamed('inspect')!;
    const entered = symbols.enteredFunction(inspect.address, lines)!;
    assert.equal(entered.name, 'inspect');
    assert.equal(entered.bodyAddress, symbols.functionBreakpoint('inspect', lines));
    assert.ok(entered.hasLines);
    assert.equal(symbols.enteredFunction(inspect.address + 2, lines), undefined);
  });
});

describe('inline entries on ring-O2', () => {
  test('ring_push is inlined into fill, with its call site', () => {
    const { symbols } = loadOracleElf('ring-O2');
    const fill = symbols.functionNamed('fill')!;
    const entries = [];
    for (let pc = fill.address; pc < fill.address + 0x80; pc += 2)
      entries.push(...symbols.inlinedEntriesAt(pc));
    const push = entries.find((e) => e.name === 'ring_push');
    assert.ok(push, entries.map((e) => e.name).join(','));
    assert.equal(push.callLine, 52);
  });
});

describe('inline frames at an inlined instance entry (ring-Og: ring_next inlined in an out-of-line ring_push)', () => {
  const { symbols } = loadOracleElf('ring-Og');
  const entry = symbols.inlinedEntriesAt(0x80000104);
  const frame = { level: 0, pc: 0x80000104, registers: new Array<number | undefined>(32).fill(0) };
  const names = (options?: { atUserBreakpoint?: boolean }) =>
    symbols.framesAt(frame, imageMemory('ring-Og'), options).map((f) => f.functionName);
  test('the entry is ring_next, called from line 20', () => {
    assert.deepEqual(
      entry.map((e) => [e.name, e.callLine]),
      [['ring_next', 20]],
    );
  });
  test('a step that lands there shows the call site; a user breakpoint there shows ring_next', () => {
    assert.deepEqual(names(), ['ring_push']);
    assert.deepEqual(names({ atUserBreakpoint: true }), ['ring_next', 'ring_push']);
  });
});
