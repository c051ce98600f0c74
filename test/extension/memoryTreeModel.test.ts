import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { MemoryTreeModel, type MemoryTreeElement } from '../../src/extension/views/model';
import type { TopologySnapshot } from '../../src/protocol';
import {
  buildSnapshot,
  expandAll,
  largeSpec,
  virtLikeSpec,
  type TopologySpec,
} from './topologyFixtures';

function labelsOf(model: MemoryTreeModel, elements: readonly MemoryTreeElement[]): string[] {
  return elements.map((e) => model.getItem(e).label);
}

function machine(spec: TopologySpec, version: number): TopologySnapshot {
  const s = buildSnapshot({ ...spec, version });
  return { ...s, source: { kind: 'machine', label: 'session' } };
}

function mirror(spec: TopologySpec) {
  return spec.spaces[0]!.root.children!.find((c) => c.name === 'dram-mirror')!;
}

describe('MemoryTreeModel: snapshot to items', () => {
  test('address spaces on top, regions nested in info mtree order', () => {
    const model = new MemoryTreeModel();
    assert.deepEqual(model.setSnapshot(buildSnapshot(virtLikeSpec())), { kind: 'all' });
    const [space] = model.getChildren();
    assert.equal(model.getItem(space!).label, 'address-space: memory');
    const [root] = model.getChildren(space);
    assert.equal(model.getItem(root!).label, 'system');
    assert.equal(model.getItem(root!).collapsible, 'expanded');
    // prio 1 first, then prio 0 newest-first, as QEMU keeps the subregion list.
    assert.deepEqual(labelsOf(model, model.getChildren(root)), [
      'dram-mirror',
      'periph',
      'dram',
      'uart0',
      'reg4',
      'test',
      'mrom',
    ]);
  });

  test('items show the mtree range, priority, type, alias target and disabled state', () => {
    const model = new MemoryTreeModel();
    model.setSnapshot(buildSnapshot(virtLikeSpec()));
    const byLabel = new Map(
      expandAll(model).map((e) => [model.getItem(e).label, model.getItem(e)]),
    );
    const dram = byLabel.get('dram')!;
    assert.equal(dram.description, '0000000080000000-00000000ffffefff (prio 0, ram)');
    assert.equal(dram.icon, 'database');
    assert.equal(dram.color, undefined);
    assert.equal(dram.contextValue, 'region;kind=ram;board;enabled');
    assert.match(dram.tooltip, /Size: ≈2 GiB \(0x7ffff000\)/);
    assert.match(dram.tooltip, /Owner: virt/);
    const alias = byLabel.get('dram-mirror')!;
    assert.equal(
      alias.description,
      '0000000020000000-0000000023ffffff (prio 1, ram) → @dram 0000000000000000-0000000003ffffff [disabled]',
    );
    assert.equal(alias.icon, 'link');
    assert.equal(alias.color, 'disabledForeground');
    assert.equal(alias.dimmed, true);
    assert.equal(alias.contextValue, 'region;kind=alias;board;disabled;alias');
    assert.match(alias.accessibilityLabel, /alias of dram at offset 0x0, disabled$/);
    assert.equal(
      byLabel.get('reg4')!.description,
      '000000007ffffffc-000000007fffffff (prio 0, i/o)',
    );
    assert.match(byLabel.get('reg4')!.tooltip, /Size: 4 bytes/);
    assert.equal(byLabel.get('periph')!.collapsible, 'collapsed');
  });

  test('spaces sharing a root are listed together; alias-only roots as memory-region', () => {
    const spec = virtLikeSpec();
    spec.spaces.push({ name: 'cpu-memory-0', root: spec.spaces[0]!.root });
    const snapshot = buildSnapshot(spec);
    // buildSnapshot gave the second space its own copy; point it at the first root like QEMU.
    const shared: TopologySnapshot = {
      ...snapshot,
      addressSpaces: snapshot.addressSpaces.map((s) => ({
        ...s,
        rootId: snapshot.addressSpaces[0]!.rootId,
      })),
      regions: snapshot.regions.filter((r) => !r.id.startsWith('system#1')),
      detachedRootIds: [],
    };
    const model = new MemoryTreeModel();
    model.setSnapshot(shared);
    assert.deepEqual(labelsOf(model, model.getChildren()), ['address-space: memory, cpu-memory-0']);
    const withDetached = buildSnapshot({
      ...virtLikeSpec(),
      detached: [{ name: 'pc.ram', kind: 'ram', size: 0x1000n }],
    });
    model.setSnapshot(withDetached);
    assert.deepEqual(labelsOf(model, model.getChildren()), [
      'address-space: memory',
      'memory-region: pc.ram',
    ]);
  });

  test('getParent walks back to the top for reveal', () => {
    const model = new MemoryTreeModel();
    model.setSnapshot(buildSnapshot(virtLikeSpec()));
    const [gpio] = model.elementsForRegion('system#0/periph#0/gpio#0');
    const chain: string[] = [];
    for (let e: MemoryTreeElement | undefined = gpio; e; e = model.getParent(e))
      chain.push(model.getItem(e).label);
    assert.deepEqual(chain, ['gpio', 'periph', 'system', 'address-space: memory']);
    assert.deepEqual(model.elementsForRegion('nope'), []);
  });
});

describe('MemoryTreeModel: incremental refresh', () => {
  test('enabling one region fires that element only, with the same object VS Code holds', () => {
    const spec = virtLikeSpec();
    const model = new MemoryTreeModel();
    model.setSnapshot(machine(spec, 1));
    const shown = expandAll(model);
    const mirrorElement = shown.find((e) => model.getItem(e).label === 'dram-mirror');
    mirror(spec).enabled = true;
    const change = model.setSnapshot(machine(spec, 2));
    assert.equal(change.kind, 'elements');
    assert.ok(change.kind === 'elements');
    assert.equal(change.elements.length, 1);
    assert.equal(change.elements[0], mirrorElement); // identity, not just equality
    assert.equal(
      model.getItem(mirrorElement!).contextValue,
      'region;kind=alias;live;enabled;alias',
    );
  });

  test('a new subregion fires its container; a new version with no change fires nothing', () => {
    const spec = virtLikeSpec();
    const model = new MemoryTreeModel();
    model.setSnapshot(machine(spec, 1));
    expandAll(model);
    assert.deepEqual(model.setSnapshot(machine(spec, 2)), { kind: 'none' });
    const periph = spec.spaces[0]!.root.children!.find((c) => c.name === 'periph')!;
    periph.children!.push({ name: 'spi', kind: 'io', offset: 0x1000n, size: 0x100n });
    const change = model.setSnapshot(machine(spec, 3));
    assert.ok(change.kind === 'elements');
    assert.deepEqual(labelsOf(model, change.elements), ['periph']);
    periph.children!.pop();
    const removed = model.setSnapshot(machine(spec, 4));
    assert.ok(removed.kind === 'elements');
    assert.deepEqual(labelsOf(model, removed.elements), ['periph']);
  });

  test('a change inside a collapsed container fires nothing VS Code never saw', () => {
    const spec = virtLikeSpec();
    const model = new MemoryTreeModel();
    model.setSnapshot(machine(spec, 1));
    const [space] = model.getChildren();
    const [root] = model.getChildren(space);
    model.getChildren(root); // system expanded, periph collapsed
    spec.spaces[0]!.root.children!.find((c) => c.name === 'periph')!.children![0]!.priority = 5;
    assert.deepEqual(model.setSnapshot(machine(spec, 2)), { kind: 'none' });
  });

  test('a change of the address-space list, or board <-> machine, refreshes everything', () => {
    const spec = virtLikeSpec();
    const model = new MemoryTreeModel();
    model.setSnapshot(machine(spec, 1));
    spec.spaces.push({ name: 'io', root: { name: 'io', kind: 'container', size: 0x10000n } });
    assert.deepEqual(model.setSnapshot(machine(spec, 2)), { kind: 'all' });
    assert.deepEqual(model.setSnapshot(buildSnapshot(spec)), { kind: 'all' });
    assert.deepEqual(model.setSnapshot(undefined), { kind: 'all' });
    assert.deepEqual(model.getChildren(), []);
  });

  test('10,000 regions: lazy children and a one-element refresh stay fast', () => {
    const spec = largeSpec(10_000);
    const snapshot = machine(spec, 1);
    assert.equal(snapshot.regions.length, 10_000 + 100 + 1);
    const model = new MemoryTreeModel();
    let t = performance.now();
    model.setSnapshot(snapshot);
    const top = model.getChildren();
    const [root] = model.getChildren(top[0]);
    const banks = model.getChildren(root);
    const firstLevelMs = performance.now() - t;
    assert.equal(banks.length, 100);
    t = performance.now();
    const all = expandAll(model);
    for (const e of all) model.getItem(e);
    const fullMs = performance.now() - t;
    assert.equal(all.length, 10_000 + 100 + 2);
    spec.spaces[0]!.root.children![42]!.children![7]!.enabled = false;
    const next = machine(spec, 2);
    t = performance.now();
    const change = model.setSnapshot(next);
    const diffMs = performance.now() - t;
    assert.ok(change.kind === 'elements');
    assert.deepEqual(labelsOf(model, change.elements), ['r4207']);
    console.log(`tree.10k.firstLevel: ${firstLevelMs.toFixed(2)} ms`);
    console.log(`tree.10k.expandAllWithItems: ${fullMs.toFixed(1)} ms`);
    console.log(`tree.10k.incrementalDiff: ${diffMs.toFixed(1)} ms`);
    // Generous bounds for a shared 2-core machine; the figures above are the measurement.
    assert.ok(firstLevelMs < 500, `first level took ${firstLevelMs} ms`);
    assert.ok(fullMs < 3000, `expanding everything took ${fullMs} ms`);
    assert.ok(diffMs < 1000, `diff took ${diffMs} ms`);
  });
});
