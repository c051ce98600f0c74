// The extension's Markdown with hostile names: Memory Tree tooltips (regions, address-space and
// memory-region roots) and notification text must not carry live links, images or HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationText } from '../../src/extension/text';
import { boardSnapshot, MemoryTreeModel } from '../../src/extension/views/model';
import { liveMarkdown } from '../support/markdownLinks';
import { expandAll } from './topologyFixtures';

const HOSTILE = [
  'x](https://evil.example/steal)',
  '![img](https://evil.example/i.png)',
  '``` ` `` [a](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  'https://evil.example',
  'www.evil.example',
];
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

test('Memory Tree tooltips of a board full of hostile names contain nothing live', () => {
  const lines = [`ram backing ${quote(HOSTILE[0]!)} size 64K`, 'container system size 2^32 {'];
  HOSTILE.forEach((h, i) => lines.push(`  mmio m${i} ${quote(h)} @ ${i} * 4K size 4K`));
  lines.push(`  alias a ${quote(HOSTILE[2]!)} @ 0x10_0000 -> backing size 4K`);
  lines.push('}', `space memory ${quote(HOSTILE[4]!)} = system`);
  lines.push(`space other ${quote(HOSTILE[3]!)} = system`);
  const r = boardSnapshot('/x/hostile.board', lines.join('\n') + '\n', 1);
  assert.ok(r.ok, r.ok ? '' : r.message);
  const model = new MemoryTreeModel();
  model.setSnapshot(r.snapshot);
  const elements = expandAll(model);
  const tooltips = elements.map((e) => model.getItem(e).tooltip);
  assert.ok(tooltips.length >= HOSTILE.length + 3);
  for (const t of tooltips) assert.deepEqual(liveMarkdown(t), [], t);
  // the roots' tooltips name the hostile spaces and the detached alias target
  assert.ok(tooltips.some((t) => t.startsWith('**memory-region: ')));
  assert.ok(tooltips.some((t) => t.includes('evil')));
});

test('notification text: markdown links stay text', () => {
  for (const h of HOSTILE) {
    const text = notificationText(`Could not open the hex editor on ${h}: failed`);
    assert.doesNotMatch(text, /\]\s*\(/);
  }
  assert.equal(notificationText('plain [x] (y)'), 'plain [x]\u200b(y)');
  assert.equal(notificationText('no links here'), 'no links here');
});
