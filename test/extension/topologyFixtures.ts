/**
 * Builds `TopologySnapshot`s for tests from a compact description, with ids, absolute ranges and
 * mtree types derived the way `src/debug/topology.ts` derives them, and the flat view rendered by a
 * deliberately naive range renderer (QEMU's render_memory_region over explicit ranges, then
 * flatview_simplify) — an independent check for the resolver, which walks the tree instead.
 */
import type { MemoryTreeElement, MemoryTreeModel } from '../../src/extension/views/model';
import {
  toHex,
  type AddressSpaceInfo,
  type FlatRangeInfo,
  type MtreeType,
  type RegionInfo,
  type RegionKind,
  type TopologySnapshot,
} from '../../src/protocol';

export interface RegionSpec {
  name: string;
  kind: RegionKind;
  size: bigint;
  offset?: bigint;
  priority?: number;
  enabled?: boolean;
  readonly?: boolean;
  owner?: string;
  children?: RegionSpec[];
  /** Alias target: the target's name (must be unique in the fixture) and offset. */
  alias?: { target: string; offset: bigint };
  /** Engine facts copied into the RegionInfo as given (resizeable RAM, ioeventfds, coalesced). */
  features?: Pick<RegionInfo, 'maxSize' | 'ioeventfds' | 'coalesced'>;
}

export interface TopologySpec {
  version?: number;
  spaces: { name: string; root: RegionSpec }[];
  detached?: RegionSpec[];
}

function mtreeTypeOf(kind: RegionKind, readonly: boolean): MtreeType {
  switch (kind) {
    case 'ram':
      return readonly ? 'rom' : 'ram';
    case 'rom':
      return 'rom';
    case 'romDevice':
      return 'romd';
    case 'ramDevice':
      return 'ramd';
    default:
      return 'i/o';
  }
}

interface Built {
  info: RegionInfo;
  spec: RegionSpec;
}

export function buildSnapshot(spec: TopologySpec): TopologySnapshot {
  const built = new Map<string, Built>();
  const byName = new Map<string, string>();
  const order: string[] = [];

  const walk = (s: RegionSpec, id: string, parentId: string | undefined, base: bigint): void => {
    const start = base + (s.offset ?? 0n);
    const readonly = s.readonly ?? s.kind === 'rom';
    // Children in mtree order: priority descending, later-added first among equals (spec order =
    // order added).
    const kids = (s.children ?? []).map((c, i) => ({ c, i }));
    kids.sort((a, b) => (b.c.priority ?? 0) - (a.c.priority ?? 0) || b.i - a.i);
    const counts = new Map<string, number>();
    const childIds = kids.map(({ c }) => {
      const n = counts.get(c.name) ?? 0;
      counts.set(c.name, n + 1);
      return `${id}/${c.name}#${n}`;
    });
    const info: RegionInfo = {
      id,
      name: s.name,
      kind: s.kind,
      mtreeType: mtreeTypeOf(s.kind, readonly),
      ...(parentId !== undefined ? { parentId } : {}),
      childIds,
      offset: toHex(s.offset ?? 0n),
      start: toHex(start),
      end: toHex(start + s.size - 1n),
      size: toHex(s.size),
      priority: s.priority ?? 0,
      enabled: s.enabled ?? true,
      readonly,
      ...(s.owner ? { owner: s.owner } : {}),
      ...s.features,
    };
    built.set(id, { info, spec: s });
    byName.set(s.name, id);
    order.push(id);
    kids.forEach(({ c }, i) => walk(c, childIds[i]!, id, start));
  };
  const rootCounts = new Map<string, number>();
  const rootId = (name: string) => {
    const n = rootCounts.get(name) ?? 0;
    rootCounts.set(name, n + 1);
    return `${name}#${n}`;
  };
  const spaceRoots = spec.spaces.map((sp) => {
    const id = rootId(sp.root.name);
    walk(sp.root, id, undefined, 0n);
    return id;
  });
  const detachedRootIds = (spec.detached ?? []).map((d) => {
    const id = rootId(d.name);
    walk(d, id, undefined, 0n);
    return id;
  });
  // Resolve alias targets now that every region has an id.
  for (const b of built.values()) {
    if (b.spec.alias) {
      const targetId = byName.get(b.spec.alias.target);
      if (!targetId) throw new Error(`fixture: no alias target '${b.spec.alias.target}'`);
      const target = built.get(targetId)!.info;
      b.info = {
        ...b.info,
        mtreeType: target.mtreeType,
        alias: { targetId, targetName: target.name, offset: toHex(b.spec.alias.offset) },
      };
    }
  }
  const regions = order.map((id) => built.get(id)!.info);
  const addressSpaces: AddressSpaceInfo[] = spec.spaces.map((sp, i) => ({
    id: sp.name,
    name: sp.name,
    rootId: spaceRoots[i]!,
    flatView: renderFlatView(built, spaceRoots[i]!),
  }));
  return {
    version: spec.version ?? 1,
    source: { kind: 'board', label: 'fixture.board' },
    addressSpaces,
    detachedRootIds,
    regions,
  };
}

interface Piece {
  start: bigint;
  end: bigint; // exclusive
  id: string;
  offsetInRegion: bigint;
  readonly: boolean;
}

function renderFlatView(built: Map<string, Built>, rootId: string): FlatRangeInfo[] {
  const pieces: Piece[] = [];
  const render = (id: string, base: bigint, clipStart: bigint, clipEnd: bigint, ro: boolean) => {
    const { info, spec } = built.get(id)!;
    if (!info.enabled) return;
    base += spec.offset ?? 0n;
    ro = ro || info.readonly;
    const start = base > clipStart ? base : clipStart;
    const endRaw = base + spec.size;
    const end = endRaw < clipEnd ? endRaw : clipEnd;
    if (start >= end) return;
    if (info.alias) {
      const target = built.get(info.alias.targetId)!;
      render(
        info.alias.targetId,
        base - (target.spec.offset ?? 0n) - BigInt(info.alias.offset),
        start,
        end,
        ro,
      );
      return;
    }
    for (const child of info.childIds) render(child, base, start, end, ro);
    if (info.kind === 'container') return;
    // Fill the gaps of [start, end) not yet covered; pieces stay sorted and disjoint.
    let lo = 0;
    let hi = pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pieces[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    const gaps: Piece[] = [];
    let cursor = start;
    for (let i = lo; i < pieces.length && pieces[i]!.start < end; i++) {
      const p = pieces[i]!;
      if (p.start > cursor)
        gaps.push({ start: cursor, end: p.start, id, offsetInRegion: cursor - base, readonly: ro });
      if (p.end > cursor) cursor = p.end;
    }
    if (cursor < end)
      gaps.push({ start: cursor, end, id, offsetInRegion: cursor - base, readonly: ro });
    for (const g of gaps) {
      let at = lo;
      while (at < pieces.length && pieces[at]!.start < g.start) at++;
      pieces.splice(at, 0, g);
      lo = at + 1;
    }
  };
  render(rootId, 0n, 0n, 1n << 64n, false);
  // flatview_simplify: merge neighbours of the same region with contiguous offsets.
  const merged: Piece[] = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if (
      last &&
      last.id === p.id &&
      last.end === p.start &&
      last.readonly === p.readonly &&
      last.offsetInRegion + (last.end - last.start) === p.offsetInRegion
    ) {
      last.end = p.end;
    } else merged.push({ ...p });
  }
  return merged.map((p) => {
    const info = built.get(p.id)!.info;
    return {
      start: toHex(p.start),
      end: toHex(p.end - 1n),
      regionId: p.id,
      regionName: info.name,
      offsetInRegion: toHex(p.offsetInRegion),
      mtreeType: info.mtreeType,
      readonly: p.readonly,
    };
  });
}

const K = 1024n;
const M = K * K;
const G = M * K;

/** A small virt-like board: ROM, a tiny 4-byte register next to a 2 GiB RAM, UART, an alias. */
export function virtLikeSpec(): TopologySpec {
  return {
    spaces: [
      {
        name: 'memory',
        root: {
          name: 'system',
          kind: 'container',
          size: 1n << 32n,
          children: [
            { name: 'mrom', kind: 'rom', offset: 0x1000n, size: 0x11000n, owner: 'virt' },
            { name: 'test', kind: 'io', offset: 0x100000n, size: 0x1000n, owner: 'sifive_test' },
            { name: 'reg4', kind: 'io', offset: 0x7ffffffcn, size: 4n, owner: 'sysctl' },
            { name: 'uart0', kind: 'io', offset: 0x10000000n, size: 0x100n, owner: 'ns16550' },
            {
              name: 'dram',
              kind: 'ram',
              offset: 0x80000000n,
              size: 2n * G - 0x1000n,
              owner: 'virt',
            },
            {
              name: 'dram-mirror',
              kind: 'alias',
              offset: 0x20000000n,
              size: 64n * M,
              priority: 1,
              enabled: false,
              alias: { target: 'dram', offset: 0n },
            },
            {
              name: 'periph',
              kind: 'container',
              offset: 0x40000000n,
              size: 0x10000n,
              children: [
                { name: 'gpio', kind: 'io', offset: 0n, size: 0x100n },
                { name: 'gpio-shadow', kind: 'io', offset: 0x80n, size: 0x100n, priority: -1 },
              ],
            },
          ],
        },
      },
    ],
  };
}

/** n leaf regions spread over nested containers of `fanout` children each. */
export function largeSpec(n: number, fanout = 100): TopologySpec {
  const leaves: RegionSpec[] = [];
  for (let i = 0; i < n; i++) {
    leaves.push({
      name: `r${i}`,
      kind: i % 3 === 0 ? 'ram' : 'io',
      offset: BigInt(i % fanout) * 0x1000n,
      size: 0x800n,
    });
  }
  const groups: RegionSpec[] = [];
  for (let g = 0; g * fanout < n; g++) {
    groups.push({
      name: `bank${g}`,
      kind: 'container',
      offset: BigInt(g) * 0x100000n,
      size: 0x100000n,
      children: leaves.slice(g * fanout, (g + 1) * fanout),
    });
  }
  return {
    spaces: [
      {
        name: 'memory',
        root: { name: 'system', kind: 'container', size: 1n << 32n, children: groups },
      },
    ],
  };
}

/** Expands every node, as a user clicking through the whole tree would. */
export function expandAll(model: MemoryTreeModel): MemoryTreeElement[] {
  const out: MemoryTreeElement[] = [];
  const visit = (e?: MemoryTreeElement) => {
    for (const c of model.getChildren(e)) {
      out.push(c);
      visit(c);
    }
  };
  visit();
  return out;
}
