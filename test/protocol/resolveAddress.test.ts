import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import { fromHex, indexTopology, resolveAddress, findFlatRange } from '../../src/protocol';
import {
  buildSnapshot,
  virtLikeSpec,
  type RegionSpec,
  type TopologySpec,
} from '../extension/topologyFixtures';

function resolve(spec: TopologySpec, address: bigint) {
  const snapshot = buildSnapshot(spec);
  return resolveAddress(indexTopology(snapshot), snapshot.addressSpaces[0]!.id, address);
}

describe('resolveAddress (why this address?)', () => {
  test('a RAM address resolves through the root to the RAM leaf', () => {
    const r = resolve(virtLikeSpec(), 0x80000010n);
    assert.deepEqual(
      r.path.map((s) => [s.kind, s.name, s.offsetInRegion]),
      [
        ['root', 'system', '0x80000010'],
        ['leaf', 'dram', '0x10'],
      ],
    );
    assert.deepEqual(r.winner, { regionId: 'system#0/dram#0', offsetInRegion: '0x10' });
    assert.equal(r.flatRange?.regionName, 'dram');
  });

  test('overlap: the higher-priority sibling wins and the other is listed as outranked', () => {
    const r = resolve(virtLikeSpec(), 0x40000090n);
    assert.deepEqual(
      r.path.map((s) => s.name),
      ['system', 'periph', 'gpio'],
    );
    assert.deepEqual(
      r.hidden.map((h) => [h.name, h.priority, h.reason, h.outrankedBy]),
      [['gpio-shadow', -1, 'outranked', 'system#0/periph#0/gpio#0']],
    );
    // Past gpio's end the shadow answers.
    const s = resolve(virtLikeSpec(), 0x40000150n);
    assert.equal(s.path.at(-1)?.name, 'gpio-shadow');
    assert.equal(s.winner?.offsetInRegion, '0xd0');
  });

  test('a hole reports the disabled alias that would have answered', () => {
    const r = resolve(virtLikeSpec(), 0x20000000n);
    assert.equal(r.winner, undefined);
    assert.equal(r.flatRange, undefined);
    assert.deepEqual(
      r.path.map((s) => s.kind),
      ['root'],
    );
    assert.deepEqual(
      r.hidden.map((h) => [h.name, h.reason, h.priority]),
      [['dram-mirror', 'disabled', 1]],
    );
  });

  test('an enabled alias continues in its target with the alias offset', () => {
    const spec = virtLikeSpec();
    const mirror = spec.spaces[0]!.root.children!.find((c) => c.name === 'dram-mirror')!;
    mirror.enabled = true;
    mirror.alias = { target: 'dram', offset: 0x1000n };
    const r = resolve(spec, 0x20000010n);
    assert.deepEqual(
      r.path.map((s) => [s.kind, s.name, s.offsetInRegion, s.aliasOffset]),
      [
        ['root', 'system', '0x20000010', undefined],
        ['alias', 'dram-mirror', '0x10', '0x1000'],
        ['leaf', 'dram', '0x1010', undefined],
      ],
    );
    assert.equal(r.winner?.offsetInRegion, '0x1010');
    assert.equal(r.flatRange?.offsetInRegion, '0x1000');
  });

  test('an unknown address space is a clear error', () => {
    const snapshot = buildSnapshot(virtLikeSpec());
    assert.throws(() => resolveAddress(indexTopology(snapshot), 'io', 0n), /no address space 'io'/);
  });

  test('property: the winner equals the naive renderer on random topologies', () => {
    let counter = 0;
    const leafKind = fc.constantFrom<'ram' | 'io' | 'rom'>('ram', 'io', 'rom');
    const region = (depth: number): fc.Arbitrary<RegionSpec> => {
      const base = fc.record({
        offset: fc.integer({ min: 0, max: 60 }),
        size: fc.integer({ min: 1, max: 40 }),
        priority: fc.integer({ min: -1, max: 2 }),
        enabled: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
      });
      const leaf = fc.tuple(base, leafKind).map(([b, kind]) => ({
        name: `n${counter++}`,
        kind,
        offset: BigInt(b.offset),
        size: BigInt(b.size),
        priority: b.priority,
        enabled: b.enabled,
      }));
      if (depth === 0) return leaf;
      const container = fc
        .tuple(base, fc.array(region(depth - 1), { maxLength: 4 }), fc.boolean())
        .map(([b, children, withOps]) => ({
          name: `n${counter++}`,
          kind: withOps ? ('io' as const) : ('container' as const),
          offset: BigInt(b.offset),
          size: BigInt(b.size) + 20n,
          priority: b.priority,
          enabled: b.enabled,
          children,
        }));
      return fc.oneof(leaf, container);
    };
    fc.assert(
      fc.property(
        fc.array(region(2), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (children, withAlias) => {
          const spec: TopologySpec = {
            spaces: [
              { name: 'as', root: { name: 'root', kind: 'container', size: 128n, children } },
            ],
            detached: [
              {
                name: 'backing',
                kind: 'container',
                size: 64n,
                children: [{ name: 'b0', kind: 'ram', offset: 8n, size: 16n }],
              },
            ],
          };
          if (withAlias)
            children.push({
              name: 'win',
              kind: 'alias',
              offset: 30n,
              size: 30n,
              priority: 1,
              alias: { target: 'backing', offset: 4n },
            });
          const snapshot = buildSnapshot(spec);
          const index = indexTopology(snapshot);
          const flat = snapshot.addressSpaces[0]!.flatView;
          for (let a = 0n; a < 130n; a++) {
            const r = resolveAddress(index, 'as', a);
            const range = findFlatRange(flat, a);
            assert.equal(r.winner?.regionId, range?.regionId, `address ${a}`);
            if (range && r.winner) {
              const expected = fromHex(range.offsetInRegion) + (a - fromHex(range.start));
              assert.equal(fromHex(r.winner.offsetInRegion), expected, `offset at ${a}`);
            }
          }
        },
      ),
      { numRuns: numRuns(300) },
    );
  });
});
