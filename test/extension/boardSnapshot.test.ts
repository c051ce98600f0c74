// A board file's text -> the static snapshot the views show without a session: the example
// remap board, source locations, stable ids across edits, and errors as messages with a location.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boardSnapshot, MemoryTreeModel, hexEditorTarget } from '../../src/extension/views/model';
import { indexTopology, resolveAddress } from '../../src/protocol';
import { buildSnapshot, virtLikeSpec } from './topologyFixtures';

const remapPath = join(__dirname, '..', '..', 'examples', 'remap.board');
const remap = readFileSync(remapPath, 'utf8');

test('examples/remap.board: regions, disabled alias, source locations, flat view', () => {
  const r = boardSnapshot(remapPath, remap, 1);
  assert.ok(r.ok, r.ok ? '' : r.message);
  const { snapshot } = r;
  assert.equal(snapshot.source.kind, 'board');
  assert.equal(snapshot.source.label, 'remap.board');
  assert.deepEqual(
    snapshot.addressSpaces.map((s) => s.name),
    ['memory'],
  );
  const alias = snapshot.regions.find((x) => x.name === 'sram-remap')!;
  assert.equal(alias.enabled, false);
  assert.equal(alias.priority, 1);
  assert.equal(alias.alias?.targetName, 'sram');
  // The declaration's name, 0-based: `alias sram-remap @ 0x0 ...` is on line 16 of the file.
  const line = remap.split('\n').findIndex((l) => l.includes('alias sram-remap'));
  assert.deepEqual(
    alias.source && [
      alias.source.line,
      remap.split('\n')[line]!.slice(alias.source.column, alias.source.endColumn),
    ],
    [line, 'sram-remap'],
  );
  // Address 0 is the boot ROM while the alias is disabled, and the resolver says why.
  const why = resolveAddress(indexTopology(snapshot), 'memory', 0n);
  assert.equal(why.path.at(-1)?.name, 'boot-rom');
  assert.deepEqual(
    why.hidden.map((h) => [h.name, h.reason]),
    [['sram-remap', 'disabled']],
  );
});

test('edits keep ids stable so the tree refreshes only what changed', () => {
  const a = boardSnapshot(remapPath, remap, 1);
  const edited = remap.replace(
    'alias sram-remap @ 0x0 -> sram size 64K prio 1 disabled',
    'alias sram-remap @ 0x0 -> sram size 64K prio 1',
  );
  assert.notEqual(edited, remap);
  const b = boardSnapshot(remapPath, edited, 2);
  assert.ok(a.ok && b.ok);
  const model = new MemoryTreeModel();
  model.setSnapshot(a.snapshot);
  const visit = (e?: Parameters<MemoryTreeModel['getChildren']>[0]): void =>
    model.getChildren(e).forEach(visit);
  visit();
  const change = model.setSnapshot(b.snapshot);
  assert.ok(change.kind === 'elements');
  assert.deepEqual(
    change.elements.map((e) => model.getItem(e).label),
    ['sram-remap'],
  );
});

test('a broken board gives a message with a location, never an exception', () => {
  const broken = remap.replace('ram sram @ SRAM_BASE size 64K', 'ram sram @ SRAM_BASE size');
  const r = boardSnapshot(remapPath, broken, 3);
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.match(r.message, /error/);
  assert.ok(r.location && r.location.line > 0);
  const garbage = boardSnapshot('/x/garbage.board', '}}}{{{ \u0000 @@@', 1);
  assert.equal(garbage.ok, false);
});

test('source locations use the language service line index, CR-only line ends included', () => {
  // The same board with LF, CRLF and CR-only line ends: the region's location must be the same line.
  const lines = [
    'board b',
    'container system size 64K {',
    '  ram dram @ 0 size 4K',
    '}',
    'space memory = system',
    '',
  ];
  for (const eol of ['\n', '\r\n', '\r']) {
    const r = boardSnapshot('/x/eol.board', lines.join(eol), 1);
    assert.ok(r.ok, `board with ${JSON.stringify(eol)} line ends should build`);
    const dram = Object.values(r.snapshot.regions).find((region) => region.name === 'dram');
    assert.ok(dram?.source, 'dram has a source location');
    assert.equal(dram.source.line, 2, `line of dram with ${JSON.stringify(eol)}`);
    assert.equal(dram.source.column, 6, 'column of the name dram');
  }
});

test('hex editor targets: the region start in its own space; alias-only regions where they show', () => {
  const snapshot = buildSnapshot({
    ...virtLikeSpec(),
    detached: [
      {
        name: 'flash',
        kind: 'container',
        size: 0x2000n,
        children: [{ name: 'flash.data', kind: 'ram', offset: 0x1000n, size: 0x1000n }],
      },
    ],
  });
  const spec = snapshot.regions;
  const byName = (n: string) => spec.find((r) => r.name === n)!;
  assert.deepEqual(hexEditorTarget(snapshot, byName('uart0'), undefined), {
    addressSpace: 'memory',
    address: '0x10000000',
  });
  assert.deepEqual(hexEditorTarget(snapshot, byName('gpio'), 'memory'), {
    addressSpace: 'memory',
    address: '0x40000000',
  });
  // Not mapped anywhere: no address space, its own start.
  assert.deepEqual(hexEditorTarget(snapshot, byName('flash'), undefined), { address: '0x0' });
  // Mapped through an alias: found in the flat view.
  const aliased = buildSnapshot({
    spaces: [
      {
        name: 'memory',
        root: {
          name: 'sys',
          kind: 'container',
          size: 1n << 32n,
          children: [
            {
              name: 'win',
              kind: 'alias',
              offset: 0x2000_0000n,
              size: 0x2000n,
              alias: { target: 'flash', offset: 0n },
            },
          ],
        },
      },
    ],
    detached: [
      {
        name: 'flash',
        kind: 'container',
        size: 0x2000n,
        children: [{ name: 'flash.data', kind: 'ram', offset: 0x1000n, size: 0x1000n }],
      },
    ],
  });
  const flash = aliased.regions.find((r) => r.name === 'flash')!;
  assert.deepEqual(hexEditorTarget(aliased, flash, undefined), {
    addressSpace: 'memory',
    address: '0x20001000',
  });
});
