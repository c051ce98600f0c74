/**
 * The console expression language and the QEMU-monitor text formats, in process.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import { createContainer, createRam, createRom, MemorySystem, debugWrite } from '../../src/engine';
import {
  evaluateExpression,
  ExpressionError,
  type ExpressionContext,
} from '../../src/debug/expression';
import { formatMemoryDump, isMonitorCommand } from '../../src/debug/inspect';
import { parseHitCondition, parseDataId, formatDataId } from '../../src/debug/breakpoints';

const memory = new Map<bigint, number>([
  [0x100n, 0x78],
  [0x101n, 0x56],
  [0x102n, 0x34],
  [0x103n, 0x12],
]);

const context: ExpressionContext = {
  register: (name) =>
    (({ a0: 5, $a0: 5, pc: 0x80000000, $pc: 0x80000000, sp: 0x100 }) as Record<string, number>)[
      name
    ],
  symbol: (name) =>
    name === 'counter'
      ? { address: 0x100, kind: 'object', size: 4 }
      : name === 'main'
        ? { address: 0x80000088, kind: 'func', size: 100 }
        : undefined,
  read(address, size) {
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) {
      const b = memory.get(address + BigInt(i));
      if (b === undefined) return undefined;
      v = (v << 8n) | BigInt(b);
    }
    return v;
  },
};

const value = (text: string) => evaluateExpression(text, context).value;

describe('debug expressions', () => {
  test('numbers, registers, symbols, memory and C precedence', () => {
    assert.equal(value('1 + 2 * 3'), 7n);
    assert.equal(value('(1 + 2) * 3'), 9n);
    assert.equal(value('0x10 | 0b1 << 2'), 0x14n);
    assert.equal(value('$a0 == 5 && a0 != 4'), 1n);
    assert.equal(value('$pc + 4'), 0x80000004n);
    assert.equal(value('counter'), 0x12345678n, 'a 4-byte object reads its value');
    assert.equal(value('&counter'), 0x100n);
    assert.equal(evaluateExpression('&counter', context).address, 0x100n);
    assert.equal(value('main'), 0x80000088n, 'a function gives its address');
    assert.equal(value('*(u8*)0x101'), 0x56n);
    assert.equal(value('*(u16*)sp'), 0x5678n);
    assert.equal(value('*0x100'), 0x12345678n);
    assert.equal(value('-1'), (1n << 64n) - 1n);
    assert.equal(value('a0 > 3 ? 10 : 20'), 10n);
    assert.equal(value('~0 >> 60'), 15n);
    assert.equal(value('1_000'), 1000n);
  });

  test('errors name the column', () => {
    assert.throws(() => value('1 +'), /unexpected end of expression \(at column 4\)/);
    assert.throws(() => value('a0 @ 1'), /unexpected character '@' \(at column 4\)/);
    assert.throws(() => value('nosuch'), /no register or symbol 'nosuch'/);
    assert.throws(() => value('*0x200'), /cannot read 4 byte\(s\) at 0x200/);
    assert.throws(() => value('4 / (a0 - 5)'), /division by zero/);
    assert.throws(() => value(''), /empty expression/);
    assert.throws(() => value('(1'), /expected '\)'/);
  });

  test('any text either evaluates or throws an ExpressionError (never anything else)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789abx()+-*/%&|^~!<>=?:$ ._'.split('')) }),
        (text) => {
          try {
            evaluateExpression(text, context);
          } catch (e) {
            assert.ok(e instanceof ExpressionError, String(e));
          }
        },
      ),
      { numRuns: numRuns(3000) },
    );
  });

  test('hit conditions and data ids', () => {
    assert.equal(parseHitCondition('3')!(2), false);
    assert.equal(parseHitCondition('3')!(3), true);
    assert.equal(parseHitCondition('3')!(4), true);
    assert.equal(parseHitCondition('==3')!(4), false);
    assert.equal(parseHitCondition('%2')!(4), true);
    assert.equal(parseHitCondition('%2')!(3), false);
    assert.equal(parseHitCondition('< 2')!(1), true);
    assert.equal(parseHitCondition(''), undefined);
    assert.throws(() => parseHitCondition('often'), /expected N/);
    assert.equal(formatDataId(0x800003e8, 4), '0x800003e8/4');
    assert.deepEqual(parseDataId('0x800003e8/4'), { address: 0x800003e8, size: 4 });
    assert.equal(parseDataId('0x800003e8/0'), undefined);
    assert.equal(parseDataId('0xffffffff/2'), undefined);
    assert.equal(parseDataId(42), undefined);
  });
});

describe('monitor formats', () => {
  const system = new MemorySystem();
  const root = createContainer(system, 'system', 1n << 32n);
  root.addSubregion(0x1000n, createRam(system, 'ram', 0x1000));
  root.addSubregion(0x3000n, createRom(system, 'rom', 0x10));
  const space = system.createAddressSpace(root, 'memory');
  debugWrite(
    space,
    0x1000,
    Uint8Array.from([
      0x01, 0x11, 0x17, 0x05, 0x41, 0x0a, 0x27, 0xff, 9, 10, 11, 12, 13, 14, 15, 16, 17,
    ]),
  );

  test("QEMU's memory_dump layout for each format and size", () => {
    assert.equal(
      formatMemoryDump(space, 0x1000n, 2, 'x', 4, false),
      '00001000: 0x05171101 0xff270a41',
    );
    assert.equal(
      formatMemoryDump(space, 0x1000n, 5, 'x', 4, false),
      '00001000: 0x05171101 0xff270a41 0x0c0b0a09 0x100f0e0d\n00001010: 0x00000011',
    );
    assert.equal(
      formatMemoryDump(space, 0x1000n, 9, 'x', 1, true),
      '0000000000001000: 0x01 0x11 0x17 0x05 0x41 0x0a 0x27 0xff\n0000000000001008: 0x09',
    );
    assert.equal(formatMemoryDump(space, 0x1000n, 1, 'd', 4, false), '00001000:   85397761');
    assert.equal(formatMemoryDump(space, 0x1000n, 1, 'o', 2, false), '00001000: 010401');
    assert.equal(
      formatMemoryDump(space, 0x1004n, 4, 'c', 1, false),
      "00001004: 'A' '\\n' '\\'' '\\xff'",
    );
    assert.equal(
      formatMemoryDump(space, 0x1000n, 1, 'x', 8, false),
      '00001000: 0xff270a4105171101',
    );
    assert.equal(
      formatMemoryDump(space, 0x2ff8n, 4, 'x', 4, false),
      '00002ff8: Cannot access memory',
    );
  });

  test('monitor commands are told from expressions', () => {
    for (const text of ['info mtree', 'x/4xw 0', 'xp 0x80000000', 'region enable x', 'help'])
      assert.ok(isMonitorCommand(text), text);
    for (const text of ['a0 + 1', 'xy', '$pc', 'main'])
      assert.equal(isMonitorCommand(text), false, text);
  });
});
