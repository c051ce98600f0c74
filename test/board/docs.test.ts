/** docs/board-map.md: every example block parses; the complete example is examples/remap.board. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze, parseBoard } from '../../src/board';

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'board-map.md'), 'utf8');
const blocks = [...DOC.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);
// grammar sketches (with <placeholders>), the mtree side-by-side and the CLI synopsis are not board text
const examples = blocks.filter((b) => !/<[a-z]|address-space:|^boardmap /m.test(b));

test('every example in the spec parses without syntax errors', () => {
  assert.ok(examples.length >= 10, `only ${examples.length} examples`);
  for (const b of examples) {
    const ds = parseBoard(b).diagnostics;
    assert.deepEqual(
      ds.map((d) => `${d.code} ${d.message} in:\n${b}`),
      [],
    );
  }
});

test('the complete example (remap-mcu) checks without errors or warnings', () => {
  const full = examples.find((b) => b.includes('board remap-mcu'));
  assert.ok(full);
  const ds = analyze('remap.board', full).diagnostics;
  assert.deepEqual(
    ds.map((d) => `${d.code} ${d.message}`),
    [],
  );
});
