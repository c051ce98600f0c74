/*
 * Rebuilding an engine topology from QEMU `info mtree` dumps (spec §11): the `-D` tree dump
 * gives every region, its nesting, address, size, priority, alias window and enabled state;
 * the `-f` flat dump is used only to classify what the tree cannot tell (pure container vs
 * region with content of its own, read-only inherited from an alias) — its ranges are never
 * copied: the result is rendered by the engine and compared back as a self-check. An optional
 * `-o` tree dump supplies owners.
 *
 * Region identity: the same region is printed several times (as an address-space root, as a
 * child, as a `memory-region:` section of an alias target). Occurrences are unified by a deep
 * signature (name, label, priority, offset in parent, size, alias window, state, subtree);
 * AS-group roots are pairwise distinct, as are section roots, as QEMU prints them.
 */
import type { AddressSpace } from './addressSpace';
import {
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRamDevice,
  createRom,
  createRomDevice,
} from './factories';
import { placementsUnder, type Placement } from './incremental';
import { MemorySystem } from './memorySystem';
import type { MemoryRegionOps } from './ops-types';
import {
  listTreeLines,
  parseFlatDump,
  parseTreeDump,
  type FlatBlock,
  type TreeBlock,
  type TreeLine,
} from './mtreeParse';
import { flatRangeLine } from './mtree';
import { flatViewRoot } from './render';
import type { MemoryRegion, QomObject } from './region';
import { UINT64_MAX } from './types';

/** Dumps of one QEMU process. */
export interface MtreeDumpInput {
  /** `info mtree -D` (optionally with -o). */
  readonly tree: string;
  /** `info mtree -f` (optionally with -o or -d). */
  readonly flat: string;
  /** `info mtree -o` of the same process, to attach owners. */
  readonly ownerTree?: string;
}

/** Options of importMtreeDump. */
export interface MtreeImportOptions {
  /** TARGET_PAGE_SIZE of the machine (1024 for Cortex-M). */
  readonly targetPageSize?: number;
  /** Ops for an imported MMIO region (behaviour is not in the dumps); default reads 0, ignores writes. */
  readonly opsFor?: (name: string) => MemoryRegionOps;
}

/** The rebuilt topology. */
export interface ImportedTopology {
  readonly system: MemorySystem;
  /** Address spaces in the creation order implied by the flat dump. */
  readonly spaces: AddressSpace[];
  /** Every distinct region, in order of first appearance in the tree dump. */
  readonly regions: MemoryRegion[];
  /** Differences between the re-rendered flat views and the flat dump, and other doubts. */
  readonly problems: string[];
}

/** The stand-in behaviour of imported MMIO regions: reads 0, writes ignored. */
export const importedDeviceOps: MemoryRegionOps = Object.freeze({
  read: () => 0,
  write: () => undefined,
  peek: () => 0,
});

const U64 = UINT64_MAX;

interface Occ {
  readonly node: TreeLine;
  readonly parent: Occ | null;
  readonly rel: bigint;
  readonly size: bigint;
  sig: number;
  owner: string;
}

interface RegionClass {
  readonly id: number;
  readonly rep: Occ;
  container: RegionClass | null;
  children: RegionClass[];
  target: RegionClass | null;
}

type Kind = 'container' | 'io';

/** Rebuilds a MemorySystem from QEMU dumps; see the file comment. */
export function importMtreeDump(
  input: MtreeDumpInput,
  options: MtreeImportOptions = {},
): ImportedTopology {
  const withOwners = / (?:owner|parent):\{(?:dev|obj) /.test(input.tree);
  const blocks = parseTreeDump(input.tree, withOwners);
  const flatBlocks = parseFlatDump(input.flat, / (?:owner|parent):\{(?:dev|obj) /.test(input.flat));
  const problems: string[] = [];

  // Occurrences in document order, with signatures.
  const occs: Occ[] = [];
  const blockRoots: Array<Occ | null> = [];
  const collect = (node: TreeLine, parent: Occ | null): Occ => {
    const rel = parent ? (node.start - parent.node.start) & U64 : node.start;
    const size = node.alias
      ? ((node.alias.end - node.alias.offset) & U64) + 1n
      : ((node.end - node.start) & U64) + 1n;
    const occ: Occ = { node, parent, rel, size, sig: 0, owner: node.ownerText };
    occs.push(occ);
    for (const child of node.children) collect(child, occ);
    return occ;
  };
  for (const b of blocks) blockRoots.push(b.root ? collect(b.root, null) : null);
  const nodeOcc = new Map<TreeLine, Occ>(occs.map((o) => [o.node, o]));
  if (input.ownerTree !== undefined) attachOwners(occs, input.ownerTree, problems);
  const childOccs = new Map<Occ, Occ[]>();
  for (const o of occs)
    if (o.parent) (childOccs.get(o.parent) ?? childOccs.set(o.parent, []).get(o.parent)!).push(o);
  const sigIds = new Map<string, number>();
  const sigOf = (o: Occ): number => {
    const n = o.node;
    const kids = (childOccs.get(o) ?? []).map(sigOf).join(',');
    const a = n.alias ? `${n.alias.target}\u0001${n.alias.offset}` : '';
    const key = [
      n.name,
      n.label,
      n.nonvolatile,
      n.priority,
      o.rel,
      o.size,
      n.disabled,
      a,
      o.owner,
      kids,
    ].join('\u0000');
    let id = sigIds.get(key);
    if (id === undefined) sigIds.set(key, (id = sigIds.size));
    o.sig = id;
    return id;
  };
  for (const r of blockRoots) if (r) sigOf(r);

  // Union-find over occurrences.
  const index = new Map<Occ, number>(occs.map((o, i) => [o, i]));
  const up = occs.map((_, i) => i);
  const find = (i: number): number => (up[i] === i ? i : (up[i] = find(up[i]!)));
  const unite = (a: Occ, b: Occ): void => {
    const x = find(index.get(a)!);
    const y = find(index.get(b)!);
    if (x === y) return;
    up[Math.max(x, y)] = Math.min(x, y);
    const ka = childOccs.get(a) ?? [];
    const kb = childOccs.get(b) ?? [];
    for (let i = 0; i < ka.length; i++) unite(ka[i]!, kb[i]!);
  };
  const bySig = new Map<number, Occ[]>();
  for (const o of occs) (bySig.get(o.sig) ?? bySig.set(o.sig, []).get(o.sig)!).push(o);
  const rootKind = new Map<Occ, TreeBlock['kind']>();
  blocks.forEach((b, i) => blockRoots[i] && rootKind.set(blockRoots[i]!, b.kind));
  const classHasRoot = (o: Occ, kind: TreeBlock['kind']): boolean => {
    const c = find(index.get(o)!);
    for (const [r, k] of rootKind) if (k === kind && find(index.get(r)!) === c) return true;
    return false;
  };
  // Section roots: the same region as at most one AS root and one placed occurrence.
  for (const kind of ['memory-region', 'address-space'] as const) {
    for (const [root, k] of rootKind) {
      if (k !== kind) continue;
      for (const cand of bySig.get(root.sig)!) {
        if (cand === root || (cand.parent === null && rootKind.get(cand) === kind)) continue;
        if (cand.parent === null && classHasRoot(cand, kind)) continue;
        if (cand.parent !== null && classHasRoot(cand, kind)) continue;
        unite(root, cand);
        if (cand.parent !== null) break;
      }
    }
  }

  // Classes.
  const classes = new Map<number, RegionClass>();
  const classOf = (o: Occ): RegionClass => {
    const id = find(index.get(o)!);
    let c = classes.get(id);
    if (!c)
      classes.set(id, (c = { id, rep: occs[id]!, container: null, children: [], target: null }));
    return c;
  };
  for (const o of occs) {
    const c = classOf(o);
    if (o.parent) c.container = classOf(o.parent);
  }
  for (const c of classes.values()) c.children = (childOccs.get(c.rep) ?? []).map(classOf);
  // A class printed only as a root may still have a container elsewhere in a placed occurrence.
  for (const o of occs)
    if (o.parent && !classOf(o).container) classOf(o).container = classOf(o.parent);

  resolveAliasTargets(blocks, blockRoots, nodeOcc, classOf, problems);
  const groups: AsGroup[] = [];
  blocks.forEach((b, i) => {
    if (b.kind === 'address-space')
      groups.push({ names: b.names, root: blockRoots[i] ? classOf(blockRoots[i]!) : null });
  });

  // Classification by the flat dump, then a self-checking render; repeat while it helps.
  const kinds = new Map<RegionClass, Kind>();
  const readonlyMarks = new Set<RegionClass>();
  const order = new Map<RegionClass, RegionClass[]>();
  const ioLabelled = [...classes.values()].filter(
    (c) => !c.rep.node.alias && isIoLabel(c.rep.node.label),
  );
  for (const c of ioLabelled) kinds.set(c, 'container');
  let built = build(classes, groups, flatBlocks, kinds, readonlyMarks, options, order);
  const terminating = new Set<RegionClass>();
  matchFlatRanges(built, flatBlocks, (c, fr, root) => {
    if (isIoLabel(c.rep.node.label)) terminating.add(c);
    if (fr.label === 'rom' && built.region.get(c)!.typeLabel() !== 'rom') {
      const holder = readonlyHolder(
        built.region.get(c)!,
        root,
        fr.start - fr.offset,
        built.classOf,
      );
      if (holder) readonlyMarks.add(holder);
    }
  });
  for (const c of ioLabelled)
    kinds.set(c, terminating.has(c) || c.children.length === 0 ? 'io' : 'container');
  for (let round = 0; round < 8; round++) {
    built = build(classes, groups, flatBlocks, kinds, readonlyMarks, options, order);
    const wrong = unexpectedRegions(built, flatBlocks);
    let changed = false;
    for (const c of wrong) {
      if (kinds.get(c) === 'io' && !terminating.has(c)) {
        kinds.set(c, 'container');
        changed = true;
      }
    }
    if (!changed) break;
  }
  // Equal-priority siblings at different addresses: the printed order is only a guess of the
  // list order; where the flat dump shows the other sibling winning, make it the newer one.
  for (let round = 0; round < 64 && fixTieBreak(built, flatBlocks, order); round++) {
    built = build(classes, groups, flatBlocks, kinds, readonlyMarks, options, order);
  }
  problems.push(...compareFlat(built, flatBlocks));
  return { system: built.system, spaces: built.spaces, regions: built.regions, problems };
}

function isIoLabel(label: string): boolean {
  return label === 'i/o' || label === 'container';
}

/** Copies owner suffixes of an `-o` tree dump onto the `-D` occurrences (same order, minus disabled lines). */
function attachOwners(occs: Occ[], ownerTree: string, problems: string[]): void {
  const lines = listTreeLines(ownerTree, true);
  const enabled = occs.filter((o) => !o.node.disabled);
  if (enabled.length !== lines.length) {
    problems.push(
      `owner dump has ${lines.length} region lines, tree dump ${enabled.length} enabled ones: owners ignored`,
    );
    return;
  }
  enabled.forEach((o, i) => {
    const l = lines[i]!;
    if (l.name !== o.node.name || l.start !== o.node.start) {
      problems.push(`owner dump line ${l.line} does not match tree line ${o.node.line}`);
    }
    o.owner = l.ownerText;
  });
  // Disabled regions are absent from an -o dump: their owners stay unknown (use -D -o for them).
}

/**
 * Replays QEMU's alias-target queue (first-encounter order, one `memory-region:` section per
 * distinct target) to learn which section each alias targets.
 */
function resolveAliasTargets(
  blocks: TreeBlock[],
  blockRoots: Array<Occ | null>,
  nodeOcc: Map<TreeLine, Occ>,
  classOf: (o: Occ) => RegionClass,
  problems: string[],
): void {
  const sections: Occ[] = [];
  blocks.forEach((b, i) => b.kind === 'memory-region' && sections.push(blockRoots[i]!));
  let queued = 0;
  const visit = (n: TreeLine): void => {
    if (n.alias) {
      const c = classOf(nodeOcc.get(n)!);
      if (!c.target) {
        const name = n.alias.target;
        const earlier = sections.slice(0, queued).find((s) => s.node.name === name);
        const next = sections[queued];
        if (earlier && next?.node.name !== name) c.target = classOf(earlier);
        else if (!earlier && next?.node.name === name) c.target = classOf(sections[queued++]!);
        else if (earlier) c.target = classOf(earlier);
        else problems.push(`line ${n.line}: no memory-region section for alias target '${name}'`);
      }
    }
    n.children.forEach(visit);
  };
  for (const r of blockRoots) if (r) visit(r.node);
  if (queued !== sections.length) {
    problems.push(
      `${sections.length - queued} memory-region sections were not matched to an alias`,
    );
  }
}

/** An address-space group of the tree dump: AS names and the class of their common root. */
interface AsGroup {
  readonly names: string[];
  readonly root: RegionClass | null;
}

interface Built {
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
function build(
  classes: Map<number, RegionClass>,
  groups: AsGroup[],
  flatBlocks: FlatBlock[],
  kinds: Map<RegionClass, Kind>,
  readonlyMarks: Set<RegionClass>,
  options: MtreeImportOptions,
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
function matchFlatRanges(
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
function readonlyHolder(
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
function fixTieBreak(
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
function unexpectedRegions(built: Built, flatBlocks: FlatBlock[]): Set<RegionClass> {
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
function compareFlat(built: Built, flatBlocks: FlatBlock[]): string[] {
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
