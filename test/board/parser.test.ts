/** Parser: AST goldens, recovery (one diagnostic per place, parsing continues), never throws. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseBoard, parseNumberLiteral } from '../../src/board';
import { astJson, describeDiagnostics, EXAMPLES, golden } from './helpers';

describe('parser', () => {
  test('AST of examples/pc.board (golden)', () => {
    const text = readFileSync(join(EXAMPLES, 'pc.board'), 'utf8');
    const r = parseBoard(text);
    assert.deepEqual(r.diagnostics, []);
    golden('pc.ast.txt', astJson(r.file));
  });

  test('AST of every construct (golden)', () => {
    const text = `board "all constructs"
include "other.board"
const A = (1 + 2) * 3 - 4 / 2 % 3 << 1 >> 1 & 0xff | ~0 ^ 2
ram r "label" size 2^16 nonvolatile owner "dev id=x" parent "obj path=/machine"
romd f size 32M mmio-mode readonly
ramd d size 4K
reservation hole size 4K
container c size 4G {
  alias a @ 0x10 -> r offset 0x8 size 1K prio -2 disabled
  mmio m @ 0x1000 size 4K {
    reg S @ 0 : u16 w1c reset 0x3 {
      field A [0] rc
      field B [7:4] ro reset 2
      on-read { if old & 1 { disable a } else { enable a = value } }
      on-write { move a @ value << 4  alias-offset a = value }
    }
  }
  device u : ns16550a @ 0x2000 { irq = p:1, reg-shift = 2, clock = [1, "x"] }
}
space memory "QEMU name" = c
cpu h : rv32imac { space = memory, boot = "fw.elf" }
`;
    const r = parseBoard(text);
    assert.deepEqual(r.diagnostics, []);
    golden('constructs.ast.txt', astJson(r.file));
  });

  test('recovery: errors are reported once per place and parsing continues', () => {
    const text = `ram a size 4K sise 3
container {
  reg x
}
}
ram b @ -> (
foo = 3
rom ok size 1K
`;
    const r = parseBoard(text);
    golden('recovery.diagnostics.txt', describeDiagnostics(text, r.diagnostics));
    const offsets = r.diagnostics.map((d) => d.offset);
    assert.equal(new Set(offsets).size, offsets.length);
    assert.ok(r.file.items.some((i) => i.type === 'region' && i.name.text === 'ok'));
  });

  test('numbers: units, separators, bases, and what is rejected', () => {
    assert.equal(parseNumberLiteral('64K'), 65536n);
    assert.equal(parseNumberLiteral('4M'), 4n << 20n);
    assert.equal(parseNumberLiteral('1G'), 1n << 30n);
    assert.equal(parseNumberLiteral('2KiB'), 2048n);
    assert.equal(parseNumberLiteral('0x8000_0000'), 0x80000000n);
    assert.equal(parseNumberLiteral('0b1010'), 10n);
    assert.equal(parseNumberLiteral('0o17'), 15n);
    assert.equal(parseNumberLiteral('1_000_000'), 1000000n);
    for (const bad of ['0x', '1__0', '1_', '0x_1', '0x10K', '4Q', '08x']) {
      assert.equal(parseNumberLiteral(bad), undefined, bad);
    }
  });

  test('names with dashes and dots; binary minus needs spaces', () => {
    const r = parseBoard('const X-1 = 2\nconst Y = X-1 - 1\nram pc.ram size 4K\n');
    assert.deepEqual(r.diagnostics, []);
    const y = r.file.items[1]!;
    assert.ok(y.type === 'const' && y.value?.type === 'binary' && y.value.left.type === 'ref');
  });

  test('power is right-associative and binds tighter than unary minus', () => {
    const r = parseBoard('const A = -2^3^2\n');
    const a = r.file.items[0]!;
    assert.ok(a.type === 'const' && a.value?.type === 'unary');
    assert.ok(a.value.operand.type === 'binary' && a.value.operand.right.type === 'binary');
  });

  test('never throws on hostile text', () => {
    for (const t of [
      '',
      '{',
      '}',
      '{{{{',
      '"',
      '/*',
      '->->',
      '@@@',
      '\u0000\ud800',
      'reg',
      'device x :',
      'ram a size (((((',
    ]) {
      assert.doesNotThrow(() => parseBoard(t));
    }
  });
});
