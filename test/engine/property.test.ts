// Property test: ≥10,000 random topologies (nested containers, aliases of aliases, negative and
// tied priorities, disabled regions, containers with ops, read-only, moves and resizes inside
// transactions) rendered by the engine must agree with the naive per-address model at every
// probed address, and every flat view must be sorted, disjoint and maximally merged. The
// incrementally updated views must also equal a from-scratch render. A second address space
// over an inner region checks other flat roots and views shared through peeling, and a
// listener must be able to rebuild the first view from its add/del/nop events alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import {
  MemorySystem,
  createAlias,
  createContainer,
  createIo,
  createRam,
  flatViewRoot,
  type MemoryListener,
  type MemoryRegion,
  type MemoryRegionSection,
} from '../../src/engine/index';
import { testOps } from './helpers';
import {
  modelAdd,
  modelLookup,
  modelNode,
  modelRemove,
  modelSetAddress,
  type ModelNode,
} from './referenceModel';

const ROOT_SIZE = 0x100n;
const RUNS = numRuns(10_000);

const regionSpec = fc.record({
  kind: fc.constantFrom('container', 'io', 'ram', 'alias', 'alias') as fc.Arbitrary<
    ModelNode['kind']
  >,
  size: fc.integer({ min: 0, max: 0x48 }).map((n) => BigInt(n * 4)),
  target: fc.nat(),
  aliasOffset: fc.integer({ min: 0, max: 0x30 }).map((n) => BigInt(n * 4)),
  readonly: fc.boolean(),
  enabled: fc.boolean(),
  parent: fc.integer({ min: -1, max: 20 }),
  addr: fc.integer({ min: 0, max: 0x48 }).map((n) => BigInt(n * 4)),
  priority: fc.integer({ min: -2, max: 2 }),
  overlap: fc.boolean(),
});

const op = fc.record({
  what: fc.constantFrom(
    'enable',
    'move',
    'resize',
    'aliasOffset',
    'readonly',
    'remove',
    'add',
    'commit',
  ),
  region: fc.nat(),
  value: fc.integer({ min: 0, max: 0x48 }).map((n) => BigInt(n * 4)),
  parent: fc.nat(),
  priority: fc.integer({ min: -2, max: 2 }),
  flag: fc.boolean(),
});

type RegionSpec = typeof regionSpec extends fc.Arbitrary<infer T> ? T : never;
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

interface World {
  sys: MemorySystem;
  regions: MemoryRegion[];
  nodes: ModelNode[];
  /** What a listener on the first space believes the view is, from add/del/nop events. */
  mirror?: Map<bigint, string>;
}

function sectionKey(s: MemoryRegionSection): string {
  return `${s.mr!.name} ${s.offsetWithinAddressSpace} ${s.size} ${s.offsetWithinRegion} ${s.readonly}`;
}

/** A listener that rebuilds the view from the events alone. */
function mirrorListener(mirror: Map<bigint, string>): MemoryListener {
  return {
    regionAdd: (s) => {
      assert.ok(!mirror.has(s.offsetWithinAddressSpace), 'region_add over a range not deleted');
      mirror.set(s.offsetWithinAddressSpace, sectionKey(s));
    },
    regionDel: (s) => {
      assert.equal(
        mirror.get(s.offsetWithinAddressSpace),
        sectionKey(s),
        'region_del of an unknown range',
      );
      mirror.delete(s.offsetWithinAddressSpace);
    },
    regionNop: (s) =>
      assert.equal(
        mirror.get(s.offsetWithinAddressSpace),
        sectionKey(s),
        'region_nop of an unknown range',
      ),
  };
}

function build(specs: RegionSpec[], rootWithOps: boolean): World {
  const sys = new MemorySystem();
  const root = rootWithOps
    ? createIo(sys, 'root', ROOT_SIZE, testOps)
    : createContainer(sys, 'root', ROOT_SIZE);
  const regions: MemoryRegion[] = [root];
  const nodes: ModelNode[] = [modelNode(0, rootWithOps ? 'io' : 'container', ROOT_SIZE)];
  sys.transaction(() => {
    specs.forEach((s, k) => {
      const id = k + 1;
      const name = `r${id}`;
      let mr: MemoryRegion;
      let node: ModelNode;
      if (s.kind === 'alias') {
        const t = s.target % id; // any earlier region, aliases included
        mr = createAlias(sys, name, regions[t]!, s.aliasOffset, s.size);
        node = modelNode(id, 'alias', s.size, nodes[t]!);
        node.aliasOffset = s.aliasOffset;
      } else {
        mr =
          s.kind === 'container'
            ? createContainer(sys, name, s.size)
            : s.kind === 'io'
              ? createIo(sys, name, s.size, testOps)
              : createRam(sys, name, s.size);
        node = modelNode(id, s.kind, s.size);
      }
      mr.setReadonly(s.readonly);
      node.readonly = s.readonly;
      mr.setEnabled(s.enabled || id % 3 !== 0);
      node.enabled = mr.enabled;
      regions.push(mr);
      nodes.push(node);
      if (s.parent >= 0)
        tryAdd(regions, nodes, s.parent % id, id, s.addr, s.overlap ? s.priority : 0);
    });
  });
  return { sys, regions, nodes };
}

function tryAdd(
  regions: MemoryRegion[],
  nodes: ModelNode[],
  parent: number,
  child: number,
  addr: bigint,
  priority: number,
): void {
  try {
    regions[parent]!.addSubregionOverlap(addr, regions[child]!, priority);
  } catch {
    return; // already mapped or a cycle: API misuse refused by the engine
  }
  modelAdd(nodes[parent]!, nodes[child]!, addr, priority);
}

function check(w: World): void {
  for (const as of w.sys.addressSpaces) checkSpace(w, as, w.nodes[w.regions.indexOf(as.root!)]!);
  if (w.mirror) {
    const view = w.sys.addressSpaces[0]!.flatView;
    const fromEvents = [...w.mirror.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map((e) => e[1]);
    const actual = view.ranges.map(
      (r) => `${r.mr.name} ${r.start} ${r.size} ${r.offsetInRegion} ${r.readonly}`,
    );
    assert.deepEqual(fromEvents, actual, 'listener events do not reproduce the view');
  }
}

function checkSpace(
  w: World,
  as: World['sys']['addressSpaces'][number],
  rootNode: ModelNode,
): void {
  const view = as.flatView;
  const ranges = view.ranges;
  // Invariants: sorted, disjoint, non-empty, maximally merged.
  for (let i = 0; i < ranges.length; i++) {
    const fr = ranges[i]!;
    assert.ok(fr.size > 0n, 'empty flat range');
    if (i > 0) {
      assert.ok(ranges[i - 1]!.end <= fr.start, 'flat ranges overlap or are unsorted');
      assert.ok(!ranges[i - 1]!.canMerge(fr), 'flat view not maximally merged');
    }
  }
  // The incremental result equals a from-scratch render.
  const full = w.sys.renderFull(flatViewRoot(as.root));
  assert.deepEqual(
    ranges.map((r) => [r.mr.name, r.start, r.size, r.offsetInRegion, r.readonly]),
    full.ranges.map((r) => [r.mr.name, r.start, r.size, r.offsetInRegion, r.readonly]),
  );
  // Per-address agreement with the model (every 2 bytes, beyond the root's end too).
  for (let a = 0n; a < ROOT_SIZE + 0x20n; a += 2n) {
    const fr = view.lookup(a);
    const want = modelLookup(rootNode, a);
    const got = fr
      ? {
          id: w.regions.indexOf(fr.mr),
          offset: fr.offsetInRegion + (a - fr.start),
          readonly: fr.readonly,
        }
      : null;
    assert.deepEqual(got, want, `address 0x${a.toString(16)}`);
  }
}

function apply(w: World, o: Op): void {
  const i = 1 + (o.region % (w.regions.length - 1 || 1));
  const mr = w.regions[i];
  const node = w.nodes[i];
  if (!mr || !node) return;
  switch (o.what) {
    case 'enable':
      mr.setEnabled(o.flag);
      node.enabled = o.flag;
      break;
    case 'move':
      mr.setAddress(o.value);
      modelSetAddress(node, o.value);
      break;
    case 'resize':
      mr.setSize(o.value);
      node.size = o.value;
      break;
    case 'aliasOffset':
      if (mr.alias) {
        mr.setAliasOffset(o.value);
        node.aliasOffset = o.value;
      }
      break;
    case 'readonly':
      mr.setReadonly(o.flag);
      node.readonly = o.flag;
      break;
    case 'remove':
      if (mr.container) {
        mr.container.removeSubregion(mr);
        modelRemove(node);
      }
      break;
    case 'add':
      if (!mr.container)
        tryAdd(w.regions, w.nodes, o.parent % w.regions.length, i, o.value, o.priority);
      break;
    case 'commit':
      break;
  }
}

test(`engine agrees with the naive model on ${RUNS} random topologies`, () => {
  fc.assert(
    fc.property(
      fc.array(regionSpec, { minLength: 1, maxLength: 9 }),
      fc.boolean(),
      fc.array(op, { maxLength: 12 }),
      fc.nat(12),
      (specs, rootWithOps, ops, second) => {
        const w = build(specs, rootWithOps);
        const as = w.sys.createAddressSpace(w.regions[0]!, 'as');
        w.mirror = new Map();
        w.sys.registerListener(mirrorListener(w.mirror), as);
        // A second space over an inner region: another flat root (or a shared, peeled one).
        if (second > 0) w.sys.createAddressSpace(w.regions[second % w.regions.length]!, 'inner');
        check(w);
        // Ops run in transactions that a 'commit' op closes; views are checked at each commit.
        w.sys.begin();
        for (const o of ops) {
          if (o.what === 'commit') {
            w.sys.commit();
            check(w);
            w.sys.begin();
          } else {
            apply(w, o);
          }
        }
        w.sys.commit();
        check(w);
      },
    ),
    { numRuns: RUNS },
  );
});
