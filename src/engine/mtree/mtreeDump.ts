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
import {
  build,
  compareFlat,
  fixTieBreak,
  matchFlatRanges,
  readonlyHolder,
  unexpectedRegions,
  type AsGroup,
  type Kind,
  type Occ,
  type RegionClass,
} from './mtreeBuild';
import {
  type MemorySystem,
  type AddressSpace,
  type MemoryRegionOps,
  type MemoryRegion,
  UINT64_MAX,
} from '../core';
import {
  listTreeLines,
  parseFlatDump,
  parseTreeDump,
  type TreeBlock,
  type TreeLine,
} from './mtreeParse';

export { importedDeviceOps } from './mtreeBuild';

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

const U64 = UINT64_MAX;

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
  if (input.ownerTree !== undefined) attachOwners(blocks, nodeOcc, input.ownerTree, problems);
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

/**
 * Copies the owner suffixes of an `-o` tree dump onto the `-D` occurrences, matching by content:
 * blocks by kind and names (QEMU prints address-space groups in hash-table order, so two runs of
 * one machine list them differently), lines within a block in tree order by start, end,
 * priority, kind, name and alias window. An `-o` dump without `-D` omits disabled regions (and
 * the sections only they reach), whose owners stay unknown. Throws MtreeImportError when the
 * dumps cannot be matched (another machine, another configuration, an edited file).
 */
function attachOwners(
  blocks: readonly TreeBlock[],
  nodeOcc: ReadonlyMap<TreeLine, Occ>,
  ownerTree: string,
  problems: string[],
): void {
  const key = (b: { kind: string; names: readonly string[] }) => `${b.kind}: ${b.names.join(', ')}`;
  // An -o dump without -D skips disabled regions but prints their children at their own depth,
  // so its blocks are read as flat line lists, not trees.
  const ownerBlocks = new Map<string, TreeLine[]>();
  const allLines = listTreeLines(ownerTree, true); // alias targets need every section's name
  const text = ownerTree.split('\n');
  let current: TreeLine[] | undefined;
  let headers: string[] = [];
  let next = 0;
  for (let i = 0; i < text.length; i++) {
    const l = text[i]!;
    if (/^(address-space|memory-region): /.test(l)) {
      if (current !== undefined || headers.length === 0 || l.startsWith('memory-region')) {
        headers = [];
        current = undefined;
      }
      headers.push(l);
      continue;
    }
    if (l === '') continue;
    if (current === undefined) {
      const kind = headers[0]?.startsWith('address-space') ? 'address-space' : 'memory-region';
      const k = key({ kind, names: headers.map((h) => h.slice(15)) });
      if (ownerBlocks.has(k)) throw new MtreeImportError(`owner dump: '${k}' twice`);
      ownerBlocks.set(k, (current = []));
    }
    current.push(allLines[next++]!);
  }
  const flatten = (root: TreeLine | null, withDisabled: boolean): TreeLine[] => {
    const out: TreeLine[] = [];
    const walk = (n: TreeLine): void => {
      if (withDisabled || !n.disabled) out.push(n);
      n.children.forEach(walk);
    };
    if (root) walk(root);
    return out;
  };
  const same = (a: TreeLine, b: TreeLine): boolean =>
    a.start === b.start &&
    a.end === b.end &&
    a.priority === b.priority &&
    a.label === b.label &&
    a.name === b.name &&
    a.nonvolatile === b.nonvolatile &&
    (a.alias === null) === (b.alias === null) &&
    (a.alias === null ||
      (a.alias.target === b.alias!.target &&
        a.alias.offset === b.alias!.offset &&
        a.alias.end === b.alias!.end));
  const show = (l: TreeLine) =>
    `line ${l.line} '${l.name}' ${l.start.toString(16)}-${l.end.toString(16)}`;
  for (const b of blocks) {
    const ob = ownerBlocks.get(key(b));
    ownerBlocks.delete(key(b));
    const mine = flatten(b.root, ownerTree.includes('[disabled]'));
    if (!ob) {
      if (b.kind === 'memory-region' && mine.length === 0) continue;
      if (b.kind === 'memory-region') {
        // Reached only through disabled aliases: an -o dump without -D does not print it.
        problems.push(`owner dump has no '${key(b)}': its owners stay unknown`);
        continue;
      }
      throw new MtreeImportError(
        `the owner dump has no '${key(b)}' block: it is not from the same machine and configuration`,
      );
    }
    const theirs = ob;
    if (theirs.length !== mine.length) {
      throw new MtreeImportError(
        `'${key(b)}': the owner dump has ${theirs.length} region lines, the tree dump ${mine.length} ` +
          `enabled ones: not the same machine and configuration`,
      );
    }
    mine.forEach((line, i) => {
      const other = theirs[i]!;
      if (!same(line, other)) {
        throw new MtreeImportError(
          `'${key(b)}': owner dump ${show(other)} does not match tree dump ${show(line)}`,
        );
      }
      nodeOcc.get(line)!.owner = other.ownerText;
    });
  }
  const left = [...ownerBlocks.keys()];
  if (left.length) {
    throw new MtreeImportError(
      `the tree dump has no ${left.map((k) => `'${k}'`).join(', ')} block: the owner dump is from another machine or configuration`,
    );
  }
}

/** The dumps given to importMtreeDump do not describe one machine (see the message). */
export class MtreeImportError extends Error {
  override readonly name = 'MtreeImportError';
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
