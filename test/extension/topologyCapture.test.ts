// src/debug/topology.ts against the real engine: snapshot shape, stable ids, detached alias
// targets, flat views, the tracker's versions, and the resolver checked against engine flat views
// on random topologies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import {
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRom,
  unassignedMemOps,
  type MemoryRegion,
} from '../../src/engine';
import { answerTopologyRequest, forwardTopologyChanges } from '../../src/debug/session';
import { TopologyTracker, captureTopology, resolveInCapture } from '../../src/snapshot';
import { fromHex, indexTopology } from '../../src/protocol';

const source = { kind: 'machine' as const, label: 'test' };

function virt() {
  const system = new MemorySystem();
  const sysmem = createContainer(system, 'system', 1n << 32n);
  const dram = createRam(system, 'dram', 0x10000, { owner: { kind: 'dev', id: 'board' } });
  const mrom = createRom(system, 'mrom', 0x1000);
  const uart = createIo(system, 'uart0', 0x100, unassignedMemOps, {
    owner: { kind: 'dev', typeName: 'ns16550' },
  });
  const backing = createRam(system, 'flash.ram', 0x2000);
  const mirror = createAlias(system, 'dram-mirror', dram, 0x100, 0x1000);
  const flashWin = createAlias(system, 'flash-window', backing, 0, 0x2000);
  system.transaction(() => {
    sysmem.addSubregion(0x1000, mrom);
    sysmem.addSubregion(0x10000000, uart);
    sysmem.addSubregion(0x80000000, dram);
    sysmem.addSubregionOverlap(0x80000000, mirror, 1);
    sysmem.addSubregion(0x20000000, flashWin);
  });
  const as = system.createAddressSpace(sysmem, 'memory');
  return { system, sysmem, dram, mirror, uart, as };
}

describe('captureTopology', () => {
  test('regions, ids, absolute ranges, aliases, owners and detached alias targets', () => {
    const { system } = virt();
    const { snapshot } = captureTopology(system, { version: 7, source });
    assert.equal(snapshot.version, 7);
    assert.deepEqual(
      snapshot.addressSpaces.map((s) => [s.id, s.rootId]),
      [['memory', 'system#0']],
    );
    const byName = new Map(snapshot.regions.map((r) => [r.name, r]));
    const system0 = byName.get('system')!;
    assert.deepEqual(system0.childIds, [
      'system#0/dram-mirror#0',
      'system#0/flash-window#0',
      'system#0/dram#0',
      'system#0/uart0#0',
      'system#0/mrom#0',
    ]);
    const mirror = byName.get('dram-mirror')!;
    assert.deepEqual(
      [mirror.kind, mirror.mtreeType, mirror.start, mirror.end, mirror.priority, mirror.alias],
      [
        'alias',
        'ram',
        '0x80000000',
        '0x80000fff',
        1,
        { targetId: 'system#0/dram#0', targetName: 'dram', offset: '0x100' },
      ],
    );
    assert.equal(byName.get('uart0')!.owner, 'ns16550');
    assert.equal(byName.get('dram')!.owner, 'board');
    assert.equal(byName.get('mrom')!.mtreeType, 'rom');
    // flash.ram is reachable only through the alias: a memory-region block, as info mtree prints.
    assert.deepEqual(snapshot.detachedRootIds, ['flash.ram#0']);
    assert.equal(byName.get('flash-window')!.alias!.targetId, 'flash.ram#0');
    // JSON round trip: everything is plain data.
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });

  test('the flat view is the engine flat view with region ids', () => {
    const { system, as } = virt();
    const { snapshot } = captureTopology(system, { version: 1, source });
    const flat = snapshot.addressSpaces[0]!.flatView;
    assert.equal(flat.length, as.flatView.ranges.length);
    assert.deepEqual(
      flat.map((r) => [r.start, r.end, r.regionName, r.offsetInRegion]),
      [
        ['0x1000', '0x1fff', 'mrom', '0x0'],
        ['0x10000000', '0x100000ff', 'uart0', '0x0'],
        ['0x20000000', '0x20001fff', 'flash.ram', '0x0'],
        ['0x80000000', '0x80000fff', 'dram', '0x100'],
        ['0x80001000', '0x8000ffff', 'dram', '0x1000'],
      ],
    );
    assert.equal(flat[3]!.regionId, 'system#0/dram#0');
  });

  test('ids are stable across captures and escape / and #', () => {
    const { system, sysmem } = virt();
    const odd = createRam(system, 'a/b#c', 0x10);
    sysmem.addSubregion(0x5000, odd);
    const a = captureTopology(system, { version: 1, source }).snapshot;
    const b = captureTopology(system, { version: 2, source }).snapshot;
    assert.deepEqual(
      a.regions.map((r) => r.id),
      b.regions.map((r) => r.id),
    );
    assert.ok(a.regions.some((r) => r.id === 'system#0/a%2fb%23c#0'));
  });
});

describe('TopologyTracker', () => {
  test('versions bump once per snapshot when the engine commits; setRegionEnabled acts on ids', () => {
    const { system, mirror } = virt();
    const tracker = new TopologyTracker(system, { source });
    const heard: number[] = [];
    tracker.onDidChange((v) => heard.push(v));
    assert.equal(tracker.snapshot().version, 1);
    mirror.setEnabled(false);
    mirror.setEnabled(true); // before the next snapshot: same version
    assert.deepEqual(heard, [2]);
    assert.equal(tracker.snapshot().version, 2);
    const v = tracker.setRegionEnabled('system#0/dram-mirror#0', false);
    assert.equal(v, 3);
    assert.equal(mirror.enabled, false);
    const snap = tracker.snapshot();
    assert.equal(snap.regions.find((r) => r.name === 'dram-mirror')!.enabled, false);
    assert.throws(() => tracker.setRegionEnabled('nope#0', true), /no region 'nope#0'/);
    tracker.dispose();
    mirror.setEnabled(true);
    assert.deepEqual(heard, [2, 3]);
  });

  test('resolve explains an alias over RAM', () => {
    const { system } = virt();
    const tracker = new TopologyTracker(system, { source });
    const r = tracker.resolve(undefined, 0x80000010n);
    assert.deepEqual(
      r.path.map((s) => [s.kind, s.name, s.offsetInRegion]),
      [
        ['root', 'system', '0x80000010'],
        ['alias', 'dram-mirror', '0x10'],
        ['leaf', 'dram', '0x110'],
      ],
    );
    assert.deepEqual(
      r.hidden.map((h) => [h.name, h.reason, h.priority]),
      [['dram', 'outranked', 0]],
    );
    assert.equal(r.warning, undefined);
    assert.throws(() => tracker.resolve('io', 0n), /no address space 'io'/);
  });
});

test('property: the snapshot resolver agrees with the engine flat view on random topologies', () => {
  type Shape = {
    kind: string;
    offset: number;
    size: number;
    priority: number;
    enabled: boolean;
    aliasOffset: number;
    children: Shape[];
  };
  const node = (depth: number): fc.Arbitrary<Shape> =>
    fc.record({
      kind:
        depth === 0
          ? fc.constantFrom('ram', 'io', 'alias')
          : fc.constantFrom('ram', 'io', 'container', 'container', 'alias'),
      offset: fc.integer({ min: 0, max: 48 }),
      size: fc.integer({ min: 1, max: 40 }),
      priority: fc.integer({ min: -1, max: 2 }),
      enabled: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
      aliasOffset: fc.integer({ min: 0, max: 20 }),
      children: depth === 0 ? fc.constant([]) : fc.array(node(depth - 1), { maxLength: 3 }),
    });
  fc.assert(
    fc.property(fc.array(node(2), { minLength: 1, maxLength: 5 }), (tops) => {
      const system = new MemorySystem();
      const root = createContainer(system, 'root', 128);
      const backing = createContainer(system, 'backing', 64);
      backing.addSubregion(8, createRam(system, 'b0', 16));
      backing.addSubregionOverlap(20, createIo(system, 'b1', 8, unassignedMemOps), 1);
      let n = 0;
      const make = (s: Shape): MemoryRegion => {
        const name = `n${n++}`;
        let mr: MemoryRegion;
        if (s.kind === 'ram') mr = createRam(system, name, s.size);
        else if (s.kind === 'io') mr = createIo(system, name, s.size + 8, unassignedMemOps);
        else if (s.kind === 'alias') mr = createAlias(system, name, backing, s.aliasOffset, s.size);
        else mr = createContainer(system, name, s.size + 16);
        if (s.kind === 'container' || s.kind === 'io') {
          for (const c of s.children) mr.addSubregionOverlap(c.offset, make(c), c.priority);
        }
        mr.setEnabled(s.enabled);
        return mr;
      };
      system.transaction(() => {
        for (const t of tops) root.addSubregionOverlap(t.offset, make(t), t.priority);
      });
      system.createAddressSpace(root, 'as');
      const capture = captureTopology(system, { version: 1, source });
      const index = indexTopology(capture.snapshot);
      for (let a = 0n; a < 140n; a++) {
        const r = resolveInCapture(capture, index, 'as', a);
        assert.equal(r.warning, undefined, `address ${a}: ${r.warning}`);
        if (r.winner && r.flatRange) {
          const expected = fromHex(r.flatRange.offsetInRegion) + (a - fromHex(r.flatRange.start));
          assert.equal(fromHex(r.winner.offsetInRegion), expected);
        }
      }
    }),
    { numRuns: numRuns(250) },
  );
});

describe('custom DAP requests (adapter side)', () => {
  test('boardmap/topology answers a snapshot, or unchanged for a current version', () => {
    const { system, mirror } = virt();
    const tracker = new TopologyTracker(system, { source });
    const first = answerTopologyRequest(tracker, 'boardmap/topology', {});
    assert.ok(first.handled);
    const body = first.body as { snapshot: { version: number } };
    assert.equal(body.snapshot.version, 1);
    assert.deepEqual(answerTopologyRequest(tracker, 'boardmap/topology', { ifNewerThan: 1 }), {
      handled: true,
      body: { unchanged: true, version: 1 },
    });
    mirror.setEnabled(false);
    const again = answerTopologyRequest(tracker, 'boardmap/topology', { ifNewerThan: 1 });
    assert.ok(again.handled && 'snapshot' in (again.body as object));
    assert.deepEqual(answerTopologyRequest(tracker, 'next', {}), { handled: false });
  });

  test('setRegionEnabled and resolveAddress act on ids and hex strings; bad arguments are clear errors', () => {
    const { system, mirror } = virt();
    const tracker = new TopologyTracker(system, { source });
    tracker.snapshot();
    const r = answerTopologyRequest(tracker, 'boardmap/setRegionEnabled', {
      regionId: 'system#0/dram-mirror#0',
      enabled: false,
    });
    assert.deepEqual(r, { handled: true, body: { version: 2 } });
    assert.equal(mirror.enabled, false);
    const why = answerTopologyRequest(tracker, 'boardmap/resolveAddress', {
      address: '0x80000010',
    });
    assert.ok(why.handled);
    assert.equal((why.body as { path: { name: string }[] }).path.at(-1)?.name, 'dram');
    for (const [command, args, message] of [
      ['boardmap/setRegionEnabled', { regionId: 7, enabled: true }, /regionId must be a string/],
      [
        'boardmap/setRegionEnabled',
        { regionId: 'x', enabled: 'yes' },
        /enabled must be true or false/,
      ],
      ['boardmap/setRegionEnabled', { regionId: 'nope', enabled: true }, /no region 'nope'/],
      ['boardmap/resolveAddress', { address: 12 }, /address must be a hex string/],
      ['boardmap/resolveAddress', { address: 'zz' }, /'zz' is not an address/],
      [
        'boardmap/resolveAddress',
        { address: '0x0', addressSpaceId: 'io' },
        /no address space 'io'/,
      ],
      ['boardmap/topology', { ifNewerThan: 'new' }, /ifNewerThan must be an integer/],
      ['boardmap/topology', [1], /arguments must be an object/],
    ] as const) {
      assert.throws(() => answerTopologyRequest(tracker, command, args), message);
    }
  });

  test('topologyChanged events are throttled and the last change is always reported', async () => {
    const { system, mirror } = virt();
    const tracker = new TopologyTracker(system, { source });
    const sent: number[] = [];
    const forward = forwardTopologyChanges(tracker, (_e, body) => sent.push(body.version), 30);
    for (let i = 0; i < 20; i++) {
      tracker.snapshot(); // a client fetching after every change: each change bumps the version
      mirror.setEnabled(i % 2 === 0);
    }
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(sent.length, 1);
    assert.equal(sent[0], tracker.version);
    tracker.snapshot();
    mirror.setEnabled(true);
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(sent.slice(1), [tracker.version]);
    forward.dispose();
  });
});
