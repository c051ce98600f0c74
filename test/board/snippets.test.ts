/**
 * Every .board snippet, with its default placeholders, is valid board syntax where it belongs:
 * each is expanded into a small board and compiled — no error, and the engine builds it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileBoard } from '../../src/board/build';
import { Severity } from '../../src/board/syntax';

interface Snippet {
  prefix: string;
  body: string[];
}

const snippets = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'snippets', 'boardmap.json'), 'utf8'),
) as Record<string, Snippet>;

/** What VS Code inserts when every placeholder keeps its default (a choice: its first option). */
function expand(body: string[]): string {
  let text = body.join('\n');
  for (;;) {
    const next = text
      .replace(/\$\{\d+:([^{}$]*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
      .replace(/\$\d+/g, '');
    if (next === text) return text;
    text = next;
  }
}

/** Regions the snippets' defaults refer to (an alias target, a memctl's alias). */
const NEIGHBOURS = [
  'ram target @ 0x9000_0000 size 64K',
  'alias alias-name @ 0xa000_0000 -> target size 64K disabled',
  'device plic : plic @ 0x0c00_0000',
].join('\n  ');

/** Where each snippet is typed: a whole file, the top level, a container, or an MMIO body. */
function boardAround(prefix: string, snippet: string): string {
  if (prefix === 'board') return snippet;
  const top = 'board b\ncontainer system size 2^32 {\n  ram ram @ 0x8000_0000 size 64K\n}\n';
  if (prefix === 'space') return `${top}${snippet}\n`;
  if (prefix === 'cpu') return `${top}space memory = system\n${snippet}\n`;
  const inBody = prefix === 'reg' || prefix === 'ioeventfd' || prefix === 'coalesced';
  const inner = inBody ? `mmio bank @ 0x5000_0000 size 4K {\n    ${snippet}\n  }` : snippet;
  return `board b\ncontainer system size 2^32 {\n  ${NEIGHBOURS}\n  ${inner}\n}\nspace memory = system\n`;
}

test('every snippet compiles where it is meant to be typed', () => {
  assert.ok(Object.keys(snippets).length >= 12);
  for (const [name, snippet] of Object.entries(snippets)) {
    const text = boardAround(snippet.prefix, expand(snippet.body));
    assert.doesNotMatch(text, /\$/, `${name}: a placeholder was left in`);
    const compiled = compileBoard('snippet.board', text);
    const errors = compiled.diagnostics.filter((d) => d.severity === Severity.Error);
    assert.deepEqual(
      errors.map((d) => `${d.code}: ${d.message}`),
      [],
      `${name}:\n${text}`,
    );
    assert.ok(compiled.built, `${name}: ${compiled.error}\n${text}`);
  }
});
