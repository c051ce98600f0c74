/*
 * The building half of the dump reader (mtreeDump.ts): turns unified region classes into a
 * MemorySystem with chosen kinds, read-only marks and child orders, and checks the result
 * against the flat dump (classification by flat ranges, read-only holders, tie-break order,
 * the final comparison).
 */
import {
  type AddressSpace,
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRamDevice,
  createRom,
  createRomDevice,
  placementsUnder,
  type Placement,
  MemorySystem,
  type MemoryRegionOps,
  flatViewRoot,
  type MemoryRegion,
  type QomObject,
} from '../core';
import type { FlatBlock, TreeLine } from './mtreeParse';
import { flatRangeLine } from './mtree';

/** One printed occurrence of a region in the tree dump. */
export interface Occ {
  readonly node: TreeLine;
  readonly parent: Occ | null;
  /** Offset in the parent (printed start for block roots). */
  readonly rel: bigint;
  readonly size: bigint;
  sig: number;
  owner: string;
}

/** A distinct region: the occurrences unified into one object. */
export interface RegionClass {
  readonly id: number;
  readonly rep: Occ;
  container: RegionClass | null;
  children: RegionClass[];
  target: RegionClass | null;
}

/** What an `i/o`-labelled region becomes. */
export type Kind = 'container' | 'io';

/** Options the builder needs. */
export interface BuildOptions {
  readonly targetPageSize?: number;
  readonly opsFor?: (name: string) => MemoryRegionOps;
}

/** The stand-in behaviour of imported MMIO regions: reads 0, writes ignored. */
export const importedDeviceOps: MemoryRegionOps = Object.freeze({
  read: () => 0,
  write: () => undefined,
  peek: () => 0,
});

/** An address-space group of the tree dump: AS names and the class of their common root. */
export interface AsGroup {
  readonly names: string[];
  readonly root: RegionClass | null;
}

export interface Built {
  readonly system: MemorySystem;
  readonly spaces: AddressSpace[];
  readonly regions: MemoryRegion[];
  readonly region: Map<RegionClass, MemoryRegion>;
  readonly classOf: Map<MemoryRegion, RegionClass>;
  readonly byName: Map<string, MemoryRegion[]>;
  /** The address space standing for each flat block (its first AS), null if not found. */
  readonly blockSpace: Array<AddressSpace | null>;
}

/** Builds a MemorySystem from the classes with the given kinds and read-only marks. */
export function build(
  classes: Map<number, RegionClass>,
  groups: AsGroup[],
  flatBlocks: FlatBlock[],
  kinds: Map<RegionClass, Kind>,
  readonlyMarks: Set<RegionClass>,
  options: BuildOptions,
  order: ReadonlyMap<RegionClass, RegionClass[]> = new Map(),
): Built {
  const system = new MemorySystem({ targetPageSize: options.targetPageSize ?? 4096 });
  const region = new Map<RegionClass, MemoryRegion>();
  const classOf = new Map<MemoryRegion, RegionClass>();
  const owners = new Map<string, QomObject>();
  const opsFor = options.opsFor ?? (() => importedDeviceOps);
  const create = (c: RegionClass): MemoryRegion => {
    const done = region.get(c);
    if (done) return done;
    const n = c.rep.node;
    const size = c.rep.size;
    let mr: MemoryRegion;
    if (n.alias) {
      if (!c.target) mr = createContainer(system, n.name, size);
      else mr = createAlias(system, n.name, create(c.target), n.alias.offset, size);
    } else if (n.label === 'ram') mr = createRam(system, n.name, size, { sparse: true });
    else if (n.label === 'rom') mr = createRom(system, n.name, size, { sparse: true });
    else if (n.label === 'romd')
      mr = createRomDevice(system, n.name, size, opsFor(n.name), { sparse: true });
    else if (n.label === 'ramd')
      mr = createRamDevice(system, n.name, size, undefined, { sparse: true });
    else if (kinds.get(c) === 'io') mr = createIo(system, n.name, size, opsFor(n.name));
    else mr = createContainer(system, n.name, size);
    mr.enabled = !n.disabled;
    mr.nonvolatile = n.nonvolatile;
    if (readonlyMarks.has(c)) mr.readonly = true;
    applyOwner(mr, c.rep.owner, owners);
    region.set(c, mr);
    classOf.set(mr, c);
    return mr;
  };
  const ordered = [...classes.values()].sort((a, b) => a.rep.node.line - b.rep.node.line);
  system.transaction(() => {
    for (const c of ordered) create(c);
    for (const c of ordered) {
      const parent = region.get(c)!;
      // List order: priority descending; equal priorities in printed order (newest first).
      const list =
        order.get(c) ?? [...c.children].sort((a, b) => b.rep.node.priority - a.rep.node.priority);
      for (let i = list.length - 1; i >= 0; i--) {
        const child = list[i]!;
        parent.addSubregionOverlap(child.rep.rel, region.get(child)!, child.rep.node.priority);
      }
      if (!c.container && c.rep.rel !== 0n) region.get(c)!.setAddress(c.rep.rel);
    }
  });
  // Address spaces in flat-dump order (QEMU's creation order within each view).
  const pool: Array<{ name: string; root: MemoryRegion | null; used: boolean }> = [];
  for (const g of groups) {
    const root = g.root ? region.get(g.root)! : null;
    for (const name of g.names) pool.push({ name, root, used: false });
  }
  const spaces: AddressSpace[] = [];
  const blockSpace: Array<AddressSpace | null> = [];
  for (const fb of flatBlocks) {
    let first: AddressSpace | null = null;
    for (const s of fb.spaces) {
      const entry = pool.find(
        (p) => !p.used && p.name === s.name && (p.root?.name ?? '(none)') === s.root,
      );
      if (!entry) continue;
      entry.used = true;
      const as = system.createAddressSpace(entry.root, entry.name);
      spaces.push(as);
      first ??= as;
    }
    blockSpace.push(first);
  }
  for (const p of pool) if (!p.used) spaces.push(system.createAddressSpace(p.root, p.name));
  const regions = ordered.map((c) => region.get(c)!);
  const byName = new Map<string, MemoryRegion[]>();
  for (const r of regions) (byName.get(r.name) ?? byName.set(r.name, []).get(r.name)!).push(r);
  return { system, spaces, regions, region, classOf, byName, blockSpace };
}

const OWNER_ITEM_RE = / (owner|parent):\{(dev|obj) (id|path|type)=([^{}]*)\}/g;

function applyOwner(mr: MemoryRegion, text: string, owners: Map<string, QomObject>): void {
  if (text === '') return;
  if (text === ' orphan') {
    mr.owner = null;
    mr.qomParent = null;
    return;
  }
  let owner: QomObject | null = null;
  let parent: QomObject | null = null;
  for (const m of text.matchAll(OWNER_ITEM_RE)) {
    const key = `${m[2]} ${m[3]}=${m[4]}`;
    let obj = owners.get(key);
    if (!obj) {
      const field =
        m[3] === 'id' ? { id: m[4]! } : m[3] === 'path' ? { path: m[4]! } : { typeName: m[4]! };
      owners.set(key, (obj = Object.freeze({ kind: m[2] as 'dev' | 'obj', ...field })));
    }
    if (m[1] === 'owner') owner = obj;
    else parent = obj;
  }
  mr.owner = owner;
  mr.qomParent = parent ?? owner;
}

/** Calls @found for each flat-dump range with the class of the region that explains it. */
export function matchFlatRanges(
  built: Built,
  flatBlocks: FlatBlock[],
  found: (c: RegionClass, fr: FlatBlock['ranges'][number], root: MemoryRegion) => void,
): void {
  flatBlocks.forEach((fb, i) => {
    const as = built.blockSpace[i];
    const root = as ? flatViewRoot(as.root) : null;
    if (!root) return;
    for (const fr of fb.ranges) {
      for (const r of built.byName.get(fr.name) ?? []) {
        if (r.alias || r.priority !== fr.priority) continue;
        const places: Placement[] = [];
        if (!placementsUnder(r, root, places, 4096)) continue;
        const base = fr.start - fr.offset;
        if (places.some((p) => p.base === base && p.start <= fr.start && fr.end < p.end)) {
          found(built.classOf.get(r)!, fr, root);
          break;
        }
      }
    }
  });
}

/**
 * The chain of regions [@mr, …, @root] along which @mr is rendered with its offset 0 at
 * @base under @root (through containers and aliases), or null (bounded search).
 */
function placementPath(mr: MemoryRegion, root: MemoryRegion, base: bigint): MemoryRegion[] | null {
  let budget = 4096;
  const paths = (x: MemoryRegion): Array<{ base: bigint; chain: MemoryRegion[] }> => {
    if (x === root) return [{ base: root.addr, chain: [root] }];
    if (--budget < 0) return [];
    const out: Array<{ base: bigint; chain: MemoryRegion[] }> = [];
    if (x.container) {
      for (const p of paths(x.container))
        out.push({ base: p.base + x.addr, chain: [x, ...p.chain] });
    }
    for (const a of x.aliasedBy) {
      for (const p of paths(a)) out.push({ base: p.base - a.aliasOffset, chain: [x, ...p.chain] });
    }
    return out;
  };
  return paths(mr).find((p) => p.base === base)?.chain ?? null;
}

/** The alias (or else container) nearest to @mr on a path that places it at @base under @root. */
export function readonlyHolder(
  mr: MemoryRegion,
  root: MemoryRegion,
  base: bigint,
  classOf: Map<MemoryRegion, RegionClass>,
): RegionClass | null {
  const chain = placementPath(mr, root, base);
  if (!chain) return null;
  const holder = chain.slice(1).find((r) => r.alias) ?? chain[1];
  return holder ? (classOf.get(holder) ?? null) : null;
}

/**
 * Finds one dump range that our rendering gives to another region because two
 * equal-priority siblings overlap in the wrong list order, and moves the dump's winner in
 * front of the other sibling in @order. Returns false when there is nothing to fix.
 */
export function fixTieBreak(
  built: Built,
  flatBlocks: FlatBlock[],
  order: Map<RegionClass, RegionClass[]>,
): boolean {
  for (let b = 0; b < flatBlocks.length; b++) {
    const as = built.blockSpace[b];
    const root = as ? flatViewRoot(as.root) : null;
    if (!as || !root) continue;
    for (const d of flatBlocks[b]!.ranges) {
      const ours = as.flatView.lookup(d.start);
      const base = d.start - d.offset;
      if (ours && ours.mr.name === d.name && ours.base === base) continue;
      const lost = ours ? placementPath(ours.mr, root, ours.base) : null;
      if (!lost) continue;
      for (const winner of built.byName.get(d.name) ?? []) {
        const won = placementPath(winner, root, base);
        if (!won) continue;
        const w = [...won].reverse();
        const l = [...lost].reverse();
        let k = 1;
        while (k < w.length && k < l.length && w[k] === l[k]) k++;
        const parent = w[k - 1]!;
        const a = w[k];
        const o = l[k];
        if (
          !a ||
          !o ||
          a.container !== parent ||
          o.container !== parent ||
          a.priority !== o.priority
        ) {
          continue;
        }
        const list = parent.subregions.map((r) => built.classOf.get(r)!);
        const ca = built.classOf.get(a)!;
        list.splice(list.indexOf(ca), 1);
        list.splice(list.indexOf(built.classOf.get(o)!), 0, ca);
        order.set(built.classOf.get(parent)!, list);
        return true;
      }
    }
  }
  return false;
}

/** Classes rendered into ranges the flat dump does not have. */
export function unexpectedRegions(built: Built, flatBlocks: FlatBlock[]): Set<RegionClass> {
  const wrong = new Set<RegionClass>();
  flatBlocks.forEach((fb, i) => {
    const as = built.blockSpace[i];
    if (!as) return;
    const expected = new Set(fb.ranges.map((r) => r.text));
    for (const fr of as.flatView.ranges) {
      if (!expected.has(flatRangeLine(fr))) wrong.add(built.classOf.get(fr.mr)!);
    }
  });
  return wrong;
}

/** Differences between the rendered views and the flat dump, one message per block. */
export function compareFlat(built: Built, flatBlocks: FlatBlock[]): string[] {
  const problems: string[] = [];
  flatBlocks.forEach((fb, i) => {
    const as = built.blockSpace[i];
    const label = `FlatView of AS "${fb.spaces[0]?.name ?? '?'}"`;
    if (!as) {
      problems.push(`${label}: address space not found in the tree dump`);
      return;
    }
    const root = as.flatView.root;
    if ((root?.name ?? null) !== fb.root)
      problems.push(
        `${label}: flat root ${root?.name ?? '(none)'}, dump says ${fb.root ?? '(none)'}`,
      );
    const ours = as.flatView.ranges.map((fr) => flatRangeLine(fr));
    const theirs = fb.ranges.map((r) => r.text);
    const n = Math.max(ours.length, theirs.length);
    for (let k = 0; k < n; k++) {
      if (ours[k] !== theirs[k]) {
        problems.push(
          `${label}: range ${k}: rendered ${JSON.stringify(ours[k] ?? null)}, dump line ${fb.ranges[k]?.line ?? '-'} ${JSON.stringify(theirs[k] ?? null)}`,
        );
        break;
      }
    }
  });
  return problems;
}
