// Resizeable RAM, ioeventfds and coalesced MMIO in the topology snapshot: captured from the engine
// (data back in target order), followed at run time by the tracker and its events, counted by both
// snapshot diffs, and shown by the Memory Tree (description markers, tooltip, spoken label).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemorySystem,
  createContainer,
  createIo,
  createRam,
  createResizeableRam,
  memoryRegionAddCoalescing,
  memoryRegionClearCoalescing,
  memoryRegionAddEventfd,
  memoryRegionDelEventfd,
  memoryRegionSetCoalescing,
  unassignedMemOps,
  type EventNotifier,
} from '../../src/engine';
import { forwardTopologyChanges } from '../../src/debug/session';
import { captureTopology, TopologyTracker, changedRegionIds } from '../../src/snapshot';
import { boardSnapshot, MemoryTreeModel } from '../../src/extension/views/model';
import type { RegionInfo, TopologyChangedEventBody, TopologySnapshot } from '../../src/protocol';
import { buildSnapshot, expandAll, virtLikeSpec, type TopologySpec } from './topologyFixtures';

const source = { kind: 'machine' as const, label: 'test' };
const notifier = (): EventNotifier => ({ set: () => undefined });

function machine() {
  const system = new MemorySystem();
  const sysmem = createContainer(system, 'system', 1n << 32n);
  const fb = createResizeableRam(system, 'fb', 0x10000, 0x100000);
  const virtio = createIo(system, 'virtio', 0x200, unassignedMemOps);
  // A big-endian device on a little-endian target: the engine swaps ioeventfd data.
  const beDev = createIo(system, 'be-dev', 0x100, { ...unassignedMemOps, endianness: 'big' });
  const rtc = createIo(system, 'rtc', 0x10, unassignedMemOps);
  const dram = createRam(system, 'dram', 0x1000);
  system.transaction(() => {
    sysmem.addSubregion(0x4000_0000, fb);
    sysmem.addSubregion(0x1000_1000, virtio);
    sysmem.addSubregion(0x1000_2000, beDev);
    sysmem.addSubregion(0x70, rtc);
    sysmem.addSubregion(0x8000_0000, dram);
  });
  memoryRegionAddEventfd(virtio, 0x50, 4, true, 1, notifier());
  memoryRegionAddEventfd(virtio, 0x50, 4, true, 0, notifier());
  memoryRegionAddEventfd(virtio, 0x70, 0, false, 0, notifier());
  memoryRegionAddEventfd(beDev, 0x10, 4, true, 0x1122_3344, notifier());
  memoryRegionAddCoalescing(virtio, 0x100, 0x20);
  memoryRegionSetCoalescing(rtc);
  const as = system.createAddressSpace(sysmem, 'memory');
  return { system, fb, virtio, beDev, rtc, dram, as };
}

function regionNamed(snapshot: TopologySnapshot, name: string): RegionInfo {
  const region = snapshot.regions.find((r) => r.name === name);
  assert.ok(region, `no region ${name}`);
  return region;
}

describe('capture', () => {
  test('max size, ioeventfds in target order and coalesced ranges; absent when there are none', () => {
    const { system, beDev } = machine();
    const { snapshot } = captureTopology(system, { version: 1, source });
    const fb = regionNamed(snapshot, 'fb');
    assert.equal(fb.maxSize, '0x100000');
    assert.equal(fb.size, '0x10000');
    assert.deepEqual(
      regionNamed(snapshot, 'virtio').ioeventfds,
      // QEMU's order: by offset, size, then data; size 0 matches anything, so no data.
      [
        { offset: '0x50', size: 4, data: '0x0' },
        { offset: '0x50', size: 4, data: '0x1' },
        { offset: '0x70', size: 0 },
      ],
    );
    assert.deepEqual(regionNamed(snapshot, 'virtio').coalesced, [
      { offset: '0x100', size: '0x20' },
    ]);
    assert.equal(beDev.ioeventfds[0]!.data, 0x4433_2211n, 'the engine keeps device order');
    assert.deepEqual(regionNamed(snapshot, 'be-dev').ioeventfds, [
      { offset: '0x10', size: 4, data: '0x11223344' },
    ]);
    assert.deepEqual(regionNamed(snapshot, 'rtc').coalesced, [{ offset: '0x0', size: '0x10' }]);
    // Regions without them keep the old shape: no new keys at all.
    for (const name of ['dram', 'system', 'rtc', 'fb']) {
      const keys = Object.keys(regionNamed(snapshot, name));
      const expected = { dram: [], system: [], rtc: ['coalesced'], fb: ['maxSize'] }[name]!;
      assert.deepEqual(
        keys.filter((k) => ['maxSize', 'ioeventfds', 'coalesced'].includes(k)),
        expected,
        name,
      );
    }
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });

  test('a board file with max-size, ioeventfd and coalesced members (the static map)', () => {
    const text = `board features
container system size 2^32 {
  ram acpi @ 0x4000_0000 size 128K max-size 2M
  mmio virtio0 "virtio-mmio" @ 0x1000_1000 size 0x200 {
    reg QUEUE_NOTIFY @ 0x50 : u32 rw
    ioeventfd queue1 @ 0x50 size 4 data 1
    ioeventfd any @ 0x70
    coalesced @ 0x100 size 0x20
  }
  mmio rtc @ 0x70 size 2 coalesced
}
space memory = system
`;
    const r = boardSnapshot('/tmp/features.board', text, 1);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(regionNamed(r.snapshot, 'acpi').maxSize, '0x200000');
    const virtio = regionNamed(r.snapshot, 'virtio-mmio');
    assert.deepEqual(virtio.ioeventfds, [
      { offset: '0x50', size: 4, data: '0x1' },
      { offset: '0x70', size: 0 },
    ]);
    assert.deepEqual(virtio.coalesced, [{ offset: '0x100', size: '0x20' }]);
    assert.deepEqual(regionNamed(r.snapshot, 'rtc').coalesced, [{ offset: '0x0', size: '0x2' }]);
  });
});

describe('tracker and diff', () => {
  test('ramResize changes the size (not the max size) and counts as a change of that region', () => {
    const { system, fb } = machine();
    const tracker = new TopologyTracker(system, { source });
    const before = tracker.snapshot();
    fb.ramResize(0x20000n);
    const after = tracker.snapshot();
    assert.ok(after.version > before.version);
    const id = regionNamed(after, 'fb').id;
    assert.deepEqual(changedRegionIds(before, after), [id]);
    assert.deepEqual(
      [regionNamed(after, 'fb').size, regionNamed(after, 'fb').maxSize],
      ['0x20000', '0x100000'],
    );
    tracker.dispose();
  });

  test('an ioeventfd added or removed at run time reaches the views as a change of its region', async () => {
    const { system, virtio } = machine();
    const tracker = new TopologyTracker(system, { source });
    const events: TopologyChangedEventBody[] = [];
    const forward = forwardTopologyChanges(tracker, (_e, body) => events.push(body), 5);
    const id = regionNamed(tracker.snapshot(), 'virtio').id;
    const queue2 = notifier();
    memoryRegionAddEventfd(virtio, 0x50, 4, true, 2, queue2);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(
      events.map((e) => e.changedRegionIds),
      [[id]],
    );
    const added = tracker.snapshot();
    assert.equal(added.version, events[0]!.version);
    assert.deepEqual(regionNamed(added, 'virtio').ioeventfds!.at(2), {
      offset: '0x50',
      size: 4,
      data: '0x2',
    });
    memoryRegionDelEventfd(virtio, 0x50, 4, true, 2, queue2);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(
      events.map((e) => e.changedRegionIds),
      [[id], [id]],
    );
    assert.equal(regionNamed(tracker.snapshot(), 'virtio').ioeventfds!.length, 3);
    forward.dispose();
    tracker.dispose();
  });

  test('an ioeventfd on a disabled region shows once the region is enabled (QEMU waits too)', () => {
    const { system, virtio } = machine();
    const tracker = new TopologyTracker(system, { source });
    virtio.setEnabled(false);
    const disabled = tracker.snapshot();
    memoryRegionAddEventfd(virtio, 0x60, 2, false, 0, notifier());
    virtio.setEnabled(true);
    const enabled = tracker.snapshot();
    const region = regionNamed(enabled, 'virtio');
    assert.deepEqual(changedRegionIds(disabled, enabled), [region.id]);
    assert.deepEqual(
      region.ioeventfds!.map((fd) => fd.offset),
      ['0x50', '0x50', '0x60', '0x70'],
    );
    tracker.dispose();
  });

  test('a coalesced range added or cleared at run time reaches the views (no commit happens)', async () => {
    const { system, rtc } = machine();
    const tracker = new TopologyTracker(system, { source });
    const events: TopologyChangedEventBody[] = [];
    const forward = forwardTopologyChanges(tracker, (_e, body) => events.push(body), 5);
    const id = regionNamed(tracker.snapshot(), 'rtc').id;
    const before = regionNamed(tracker.snapshot(), 'rtc').coalesced ?? [];
    memoryRegionAddCoalescing(rtc, 0x8, 8);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(
      events.map((e) => e.changedRegionIds),
      [[id]],
    );
    assert.deepEqual(regionNamed(tracker.snapshot(), 'rtc').coalesced, [
      ...before,
      { offset: '0x8', size: '0x8' },
    ]);
    memoryRegionClearCoalescing(rtc);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(events.length, 2);
    assert.equal(regionNamed(tracker.snapshot(), 'rtc').coalesced, undefined);
    forward.dispose();
    tracker.dispose();
  });

  test('a new coalesced range is a change of its region in both diffs', () => {
    const { system, virtio } = machine();
    const before = captureTopology(system, { version: 1, source }).snapshot;
    memoryRegionAddCoalescing(virtio, 0x180, 8);
    const after = captureTopology(system, { version: 2, source }).snapshot;
    const id = regionNamed(after, 'virtio').id;
    assert.deepEqual(changedRegionIds(before, after), [id]);
    const model = new MemoryTreeModel();
    model.setSnapshot(before);
    const shown = expandAll(model);
    const change = model.setSnapshot(after);
    assert.ok(change.kind === 'elements');
    assert.deepEqual(change.elements, [shown.find((e) => e.regionId === id)]);
  });
});

function itemsByLabel(snapshot: TopologySnapshot) {
  const model = new MemoryTreeModel();
  model.setSnapshot(snapshot);
  return new Map(expandAll(model).map((e) => [model.getItem(e).label, model.getItem(e)]));
}

describe('Memory Tree', () => {
  test('descriptions keep the info mtree text and add short markers', () => {
    const { system, virtio } = machine();
    virtio.setEnabled(false);
    const items = itemsByLabel(captureTopology(system, { version: 1, source }).snapshot);
    assert.equal(
      items.get('fb')!.description,
      '0000000040000000-000000004000ffff (prio 0, ram) [resizeable]',
    );
    assert.equal(
      items.get('virtio')!.description,
      '0000000010001000-00000000100011ff (prio 0, i/o) [ioeventfd×3, coalesced] [disabled]',
    );
    assert.equal(
      items.get('be-dev')!.description,
      '0000000010002000-00000000100020ff (prio 0, i/o) [ioeventfd]',
    );
    assert.equal(items.get('dram')!.description, '0000000080000000-0000000080000fff (prio 0, ram)');
    assert.match(items.get('fb')!.accessibilityLabel, /, resizeable up to 1 MiB$/);
    assert.match(items.get('virtio')!.accessibilityLabel, /, 3 ioeventfds, coalesced, disabled$/);
  });

  test('the tooltip lists the max size, each ioeventfd and each coalesced range', () => {
    const { system } = machine();
    const items = itemsByLabel(captureTopology(system, { version: 1, source }).snapshot);
    assert.match(items.get('fb')!.tooltip, /^- Resizeable up to 1 MiB \(0x100000\)$/m);
    const virtio = items.get('virtio')!.tooltip.split('\n');
    assert.deepEqual(
      virtio.filter((l) => /ioeventfd|Coalesced/.test(l)),
      [
        '- ioeventfd at `0x10001050` (+0x50): 4-byte write of 0x0',
        '- ioeventfd at `0x10001050` (+0x50): 4-byte write of 0x1',
        '- ioeventfd at `0x10001070` (+0x70): any write',
        '- Coalesced MMIO: `0x10001100-0x1000111f` (+0x100, 32 bytes)',
      ],
    );
    assert.doesNotMatch(items.get('dram')!.tooltip, /Resizeable|ioeventfd|Coalesced/);
  });

  test('a changed max size or ioeventfd list fires that element only', () => {
    const spec: TopologySpec = virtLikeSpec();
    const uart = spec.spaces[0]!.root.children!.find((c) => c.name === 'uart0')!;
    const dram = spec.spaces[0]!.root.children!.find((c) => c.name === 'dram')!;
    const live = (version: number): TopologySnapshot => ({
      ...buildSnapshot({ ...spec, version }),
      source,
    });
    const model = new MemoryTreeModel();
    model.setSnapshot(live(1));
    const shown = expandAll(model);
    const element = (name: string) => shown.find((e) => model.getItem(e).label === name);
    uart.features = { ioeventfds: [{ offset: '0x0', size: 1 }] };
    let change = model.setSnapshot(live(2));
    assert.ok(change.kind === 'elements');
    assert.deepEqual(change.elements, [element('uart0')]);
    uart.features = { ioeventfds: [{ offset: '0x0', size: 1, data: '0x7' }] };
    change = model.setSnapshot(live(3));
    assert.ok(change.kind === 'elements');
    assert.deepEqual(change.elements, [element('uart0')]);
    assert.match(model.getItem(element('uart0')!).tooltip, /1-byte write of 0x7/);
    dram.features = { maxSize: '0x100000000' };
    change = model.setSnapshot(live(4));
    assert.ok(change.kind === 'elements');
    assert.deepEqual(change.elements, [element('dram')]);
    assert.deepEqual(model.setSnapshot(live(5)), { kind: 'none' });
  });
});
