// Hover markdown with hostile names: a board must not be able to put links, images or HTML into
// a hover (Restricted Mode shows hovers too). Every user string is a code span that shows it
// literally (src/board/service/text.ts markdownCode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, getBoardMapService, markdownCode } from '../../src/board';
import { liveMarkdown } from '../support/markdownLinks';

const HOSTILE = [
  'x](https://evil.example/steal)',
  '![img](https://evil.example/i.png)',
  '``` ` `` [a](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  'https://evil.example',
  'www.evil.example',
  '`',
  '[ref][1]',
];

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

test('the helpers leave nothing live, and the detector does see live markdown', () => {
  for (const h of HOSTILE) {
    assert.deepEqual(liveMarkdown(markdownCode(h)), [], h);
    assert.deepEqual(liveMarkdown(escapeMarkdown(h)), [], h);
  }
  // the detector is not blind: raw, all but the lone backtick are live
  assert.equal(HOSTILE.filter((h) => liveMarkdown(h).length > 0).length, HOSTILE.length - 1);
  assert.equal(markdownCode('plain'), '`plain`');
  assert.equal(markdownCode('a`b'), '``a`b``');
  assert.equal(markdownCode('`'), '`` ` ``');
});

test('hovers over every name of a board full of hostile names contain nothing live', () => {
  const lines: string[] = [];
  for (let i = 0; i < HOSTILE.length; i++) lines.push(`const C${i} = ${i}`);
  lines.push(`ram ${quote(HOSTILE[0]!)} ${quote(HOSTILE[1]!)} size 64K`);
  lines.push('container system size 2^32 {');
  HOSTILE.forEach((h, i) => {
    lines.push(`  mmio ${quote(`${h}-${i}`)} ${quote(h)} @ ${i} * 4K size 4K {`);
    lines.push(`    reg R${i} @ 0 : u32 rw { field F${i} [0] }`);
    lines.push(`    ioeventfd ${quote(`${h}-fd`)} @ 4 size 4`);
    lines.push('  }');
  });
  lines.push(`  alias ${quote(HOSTILE[2]!)} @ 0x10_0000 -> ${quote(HOSTILE[0]!)} size 4K`);
  lines.push(`  device ${quote(HOSTILE[3]!)} : ns16550a @ 0x20_0000 { clock = 1 }`);
  lines.push('}');
  lines.push(`space memory ${quote(HOSTILE[5]!)} = system`);
  lines.push(`space ${quote(HOSTILE[4]!)} = system`);
  lines.push(
    `cpu ${quote(HOSTILE[6]!)} : rv32imac { space = memory, boot = ${quote(HOSTILE[1]!)} }`,
  );
  const text = lines.join('\n') + '\n';
  const svc = getBoardMapService();
  const errors = svc.diagnostics('h.board', text).filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  let hovers = 0;
  text.split('\n').forEach((line, n) => {
    for (let c = 0; c < line.length; c++) {
      const h = svc.hover('h.board', text, { line: n, character: c });
      if (!h) continue;
      hovers++;
      assert.deepEqual(liveMarkdown(h.markdown), [], `line ${n + 1}:${c}: ${h.markdown}`);
    }
  });
  assert.ok(hovers > 200, `${hovers} hovers`);
  // and the names are still there, readable
  const region = svc.hover('h.board', text, { line: HOSTILE.length + 2, character: 9 })!;
  assert.ok(region.markdown.includes(markdownCode(`${HOSTILE[0]}-0`)), region.markdown);
});
