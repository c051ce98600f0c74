// No file imports another in a cycle — not at run time (ES module cycles leave bindings undefined
// during evaluation, depending on which file is imported first) and not through types either,
// except type-only cycles inside the engine's core, where MemoryRegion, MemorySystem, AddressSpace
// and FlatView describe each other as QEMU's structs do.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { cycles, importGraph, type ImportEdge } from '../support/importGraph';

const root = resolve(import.meta.dirname, '../..');
const graph = importGraph(root, 'src');
const describe = (cycle: string[], edges: readonly ImportEdge[]): string => {
  const inCycle = new Set(cycle);
  return edges
    .filter((e) => inCycle.has(e.from) && inCycle.has(e.to))
    .map((e) => `  ${e.typeOnly ? 'type' : 'value'} ${e.from} -> ${e.to}`)
    .join('\n');
};

test('the graph is read: it has edges, type-only ones among them', () => {
  assert.ok(graph.length > 500, `${graph.length} edges`);
  assert.ok(graph.some((e) => e.typeOnly));
  assert.ok(graph.some((e) => !e.typeOnly));
});

test('the cycle finder finds a planted cycle', () => {
  const planted: ImportEdge[] = [
    { from: 'a.ts', to: 'b.ts', typeOnly: false },
    { from: 'b.ts', to: 'c.ts', typeOnly: false },
    { from: 'c.ts', to: 'a.ts', typeOnly: true },
    { from: 'c.ts', to: 'd.ts', typeOnly: false },
  ];
  assert.deepEqual(cycles(planted), [['a.ts', 'b.ts', 'c.ts']]);
});

test('no import cycle at run time', () => {
  const runtime = graph.filter((e) => !e.typeOnly);
  const found = cycles(runtime);
  assert.deepEqual(found, [], found.map((c) => describe(c, runtime)).join('\n\n'));
});

test('no type-only cycle outside the engine core', () => {
  const found = cycles(graph).filter((c) => !c.every((f) => f.startsWith('src/engine/core/')));
  assert.deepEqual(found, [], found.map((c) => describe(c, graph)).join('\n\n'));
});
