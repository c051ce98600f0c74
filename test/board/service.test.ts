/** Language service: hover, outline, definition, references, rename, completion, folding, format. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getBoardMapService, type BoardHost, type Position } from '../../src/board';

const TEXT = `board demo
const BASE = 0x2000_0000
ram sram size 64K
container system size 2^32 {
  rom boot @ 0 size 64K
  alias remap @ 0 -> sram size 64K prio 1
  ram sram-view @ BASE size 4K
  device plic : plic @ 0x0c00_0000
  device uart : ns16550a @ 0x1000_0000 { irq = plic:3 }
  device ctl : memctl @ 0x4000_0000 {
    reg REMAP @ 4 : u32 rw {
      field EN [0]
      on-write { enable remap = EN }
    }
  }
}
space memory = system
cpu hart0 : rv32imac { space = memory }
`;

/** Position of the @n-th occurrence of @needle (plus @delta characters). */
function at(needle: string, n = 0, delta = 1): Position {
  let i = -1;
  for (let k = 0; k <= n; k++) i = TEXT.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  const before = TEXT.substring(0, i + delta);
  return {
    line: before.split('\n').length - 1,
    character: i + delta - before.lastIndexOf('\n') - 1,
  };
}

const svc = getBoardMapService();
const URI = 'demo.board';

describe('language service', () => {
  test('diagnostics with line/character ranges', () => {
    const ds = svc.diagnostics(URI, TEXT);
    // boot is hidden by the priority-1 remap alias
    assert.deepEqual(
      ds.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`),
      ['BM310 4:6'],
    );
  });

  test('hover on a region: kind, size, absolute range, what hides it', () => {
    const h = svc.hover(URI, TEXT, at('boot'))!;
    assert.match(h.markdown, /\*\*rom\*\* `boot` — 64 KiB \(0x10000\)/);
    assert.match(h.markdown, /`memory`: 0x0–0xffff/);
    assert.match(h.markdown, /Hidden by: `remap`/);
    const r = svc.hover(URI, TEXT, at('remap @'))!;
    assert.match(r.markdown, /shows `sram` 0x0–0xffff/);
    assert.match(r.markdown, /Hides: `boot`/);
    const s = svc.hover(URI, TEXT, at('sram size'))!;
    assert.match(s.markdown, /through alias `remap`/);
    const v = svc.hover(URI, TEXT, at('sram-view'))!;
    assert.match(v.markdown, /0x2000_0000–0x2000_0fff/);
  });

  test('hover on constants, registers, fields, models and parameters', () => {
    assert.match(svc.hover(URI, TEXT, at('BASE', 1))!.markdown, /0x20000000/);
    assert.match(svc.hover(URI, TEXT, at('REMAP'))!.markdown, /absolute 0x4000_0004/);
    assert.match(svc.hover(URI, TEXT, at('EN', 1))!.markdown, /\*\*field\*\* `EN`/);
    assert.match(svc.hover(URI, TEXT, at('ns16550a'))!.markdown, /NS16550A UART/);
    assert.match(svc.hover(URI, TEXT, at('irq'))!.markdown, /Interrupt output/);
  });

  test('outline', () => {
    const syms = svc.documentSymbols(URI, TEXT);
    assert.deepEqual(
      syms.map((s) => `${s.kind}:${s.name}`),
      ['board:demo', 'constant:BASE', 'region:sram', 'region:system', 'space:memory', 'cpu:hart0'],
    );
    const system = syms[3]!;
    assert.deepEqual(
      system.children.map((c) => c.name),
      ['boot', 'remap', 'sram-view', 'plic', 'uart', 'ctl'],
    );
    assert.equal(system.children[5]!.children[0]!.name, 'REMAP');
    assert.match(system.children[0]!.detail, /rom · @ 0x0 · 64 KiB/);
  });

  test('definition, references, rename', () => {
    const def = svc.definition(URI, TEXT, at('sram size 64K prio'));
    assert.equal(def.length, 1);
    assert.deepEqual(def[0]!.range.start, { line: 2, character: 4 });
    const refs = svc.references(URI, TEXT, at('remap = EN'), true);
    assert.equal(refs.length, 2);
    const edits = svc.rename(URI, TEXT, at('plic:3'), 'intc');
    assert.ok(edits instanceof Map);
    assert.equal(edits.get(URI)!.length, 2);
    assert.equal(typeof svc.rename(URI, TEXT, at('ns16550a'), 'x'), 'string');
    const quoted = svc.rename(URI, TEXT, at('sram size'), 'main ram') as Map<
      string,
      { newText: string }[]
    >;
    assert.equal(quoted.get(URI)![0]!.newText, '"main ram"');
  });

  test('definition of an include goes to the file', () => {
    const host: BoardHost = {
      readFile: (u) => (u === 'inc.board' ? 'ram shared size 4K\n' : undefined),
      resolveInclude: (_f, p) => p,
    };
    const s = getBoardMapService(host);
    const text = 'include "inc.board"\nalias a -> shared\n';
    assert.deepEqual(
      s.definition('main.board', text, { line: 0, character: 12 }).map((l) => l.uri),
      ['inc.board'],
    );
    assert.deepEqual(
      s.definition('main.board', text, { line: 1, character: 13 }).map((l) => l.uri),
      ['inc.board'],
    );
  });

  test('completion by context', () => {
    const labels = (text: string, pos: Position) =>
      svc.completion(URI, text, pos).map((c) => c.label);
    assert.ok(labels('', { line: 0, character: 0 }).includes('container'));
    const inBody = 'container c size 4K {\n  \n}\n';
    assert.ok(labels(inBody, { line: 1, character: 2 }).includes('reg'));
    assert.ok(labels('ram a size 4K\nalias b -> ', { line: 1, character: 11 }).includes('a'));
    assert.ok(labels('device u : ', { line: 0, character: 11 }).includes('ns16550a'));
    assert.ok(labels('cpu h : ', { line: 0, character: 8 }).includes('rv32imac'));
    assert.ok(labels('ram a ', { line: 0, character: 6 }).includes('size'));
    const dev = 'container c size 4K {\n  device u : ns16550a @ 0 {\n    \n  }\n}\n';
    assert.ok(labels(dev, { line: 2, character: 4 }).includes('reg-shift'));
    assert.ok(labels(TEXT, at('remap = EN', 0, 0)).includes('remap'));
    assert.ok(labels(TEXT, at('enable remap', 0, 0)).includes('move'));
    assert.ok(labels('const X = 1\nram a size ', { line: 1, character: 11 }).includes('X'));
  });

  test('folding and formatting', () => {
    const folds = svc.folding(URI, TEXT);
    assert.ok(folds.some((f) => f.startLine === 3 && f.endLine === 15));
    assert.deepEqual(svc.format(URI, TEXT), []);
    const edits = svc.format(URI, 'ram   a size 4K\n');
    assert.equal(edits[0]!.newText, 'ram a size 4K\n');
  });
});
