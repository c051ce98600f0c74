/**
 * Layout checks on the bound model: children sticking out of their container, alias windows
 * beyond their target, alias cycles (including an alias that renders one of its own ancestors),
 * and equal-priority overlaps between siblings, explained with QEMU's tie-break rule (§3.1: the
 * most recently added subregion comes first among equal priorities and wins the overlap).
 */
import type { BindContext } from './bindContext';
import { hex, SIZE_2_64 } from '../../engine';
import { DiagnosticCode, Severity } from '../syntax';
import type { RegionInfo } from './model';

/**
 * How deep QEMU's render may recurse through containers and alias targets. The engine renders
 * recursively (as QEMU does) and overflows the stack a few thousand levels down; a board deeper
 * than this is refused here, with a location, instead of failing to build.
 */
export const MAX_RENDER_DEPTH = 1024;

export function checkLayout(b: BindContext): void {
  for (const r of b.regionList) checkInsideParent(b, r);
  const onAliasCycle = checkAliasChains(b);
  for (const r of b.regionList) {
    if (r.kind === 'alias' && !onAliasCycle.has(r)) checkAlias(b, r);
  }
  checkRenderGraph(b, onAliasCycle);
  const containers = b.regionList.filter((r) => r.children.length > 1);
  for (const c of containers) checkOverlaps(b, c.children);
}

/** At most this many names in a cycle message (a 10,000-alias cycle must not print them all). */
const MAX_CYCLE_NAMES = 8;

function cycleText(ids: readonly string[]): string {
  if (ids.length <= MAX_CYCLE_NAMES) return ids.join(' → ');
  return `${ids.slice(0, MAX_CYCLE_NAMES - 1).join(' → ')} → … (${ids.length - MAX_CYCLE_NAMES} more) → ${ids[ids.length - 1]}`;
}

/**
 * Alias chains (alias → alias → …), each region visited once: every alias whose chain runs into
 * a cycle gets BM305 with the chain from itself around the cycle. Returns those aliases.
 */
function checkAliasChains(b: BindContext): Set<RegionInfo> {
  interface Cycle {
    readonly members: readonly RegionInfo[];
    readonly position: ReadonlyMap<RegionInfo, number>;
  }
  const state = new Map<RegionInfo, 'walking' | 'done'>();
  /** For an alias whose chain ends in a cycle: that cycle. */
  const reaches = new Map<RegionInfo, Cycle>();
  for (const start of b.regionList) {
    if (start.kind !== 'alias' || state.has(start)) continue;
    const path: RegionInfo[] = [];
    let cur: RegionInfo | undefined = start;
    while (cur && cur.kind === 'alias' && !state.has(cur)) {
      state.set(cur, 'walking');
      path.push(cur);
      cur = cur.target;
    }
    let cycle: Cycle | undefined;
    if (cur && state.get(cur) === 'walking') {
      const members = path.slice(path.indexOf(cur));
      cycle = { members, position: new Map(members.map((m, i) => [m, i])) };
    } else if (cur) cycle = reaches.get(cur);
    for (const x of path) {
      state.set(x, 'done');
      if (cycle) reaches.set(x, cycle);
    }
  }
  for (const [r, cycle] of reaches) {
    if (!r.decl.target) continue;
    // the chain from r into the cycle, then once around it; at most MAX_CYCLE_NAMES + 1 names
    const names: string[] = [];
    let x: RegionInfo | undefined = r;
    while (x && !cycle.position.has(x) && names.length <= MAX_CYCLE_NAMES) {
      names.push(x.id);
      x = x.target;
    }
    let complete = false;
    if (x && cycle.position.has(x)) {
      const n = cycle.members.length;
      const from = cycle.position.get(x)!;
      for (let i = 0; i <= n && names.length <= MAX_CYCLE_NAMES; i++) {
        names.push(cycle.members[(from + i) % n]!.id);
        complete = i === n;
      }
    }
    const text = complete
      ? names.join(' → ')
      : `${names.slice(0, MAX_CYCLE_NAMES - 1).join(' → ')} → … (${cycle.members.length} aliases in the cycle)`;
    b.report(r.file, DiagnosticCode.AliasCycle, `Alias cycle: ${text}`, r.decl.target);
  }
  return new Set(reaches.keys());
}

/**
 * The graph QEMU's render walks: a region's children, and an alias's target. Two errors the
 * engine would otherwise raise while building (or overflow on): a cycle through containers (an
 * alias showing a region that contains, through other aliases, the alias itself), and a render
 * deeper than MAX_RENDER_DEPTH. Tarjan's components and longest paths, iteratively, in time linear
 * in the board.
 */
function checkRenderGraph(b: BindContext, onAliasCycle: ReadonlySet<RegionInfo>): void {
  const next = (r: RegionInfo): RegionInfo[] => {
    if (r.kind === 'alias') return r.target && !onAliasCycle.has(r) ? [r.target] : [];
    return r.children;
  };
  const index = new Map<RegionInfo, number>();
  const low = new Map<RegionInfo, number>();
  const onStack = new Set<RegionInfo>();
  const stack: RegionInfo[] = [];
  /** Longest render path from a region (itself included), once its component is done. */
  const height = new Map<RegionInfo, number>();
  const cyclic = new Set<RegionInfo>();
  let counter = 0;
  const finish = (root: RegionInfo): void => {
    const members: RegionInfo[] = [];
    for (;;) {
      const m = stack.pop()!;
      onStack.delete(m);
      members.push(m);
      if (m === root) break;
    }
    if (members.length > 1) {
      const inside = new Set(members);
      for (const m of members) {
        cyclic.add(m);
        if (m.kind !== 'alias' || !m.target || !inside.has(m.target) || !m.decl.target) continue;
        // the old, direct case keeps its words: the alias shows one of its own containers
        let ancestor: RegionInfo | undefined;
        for (let a = m.parent; a && !ancestor; a = a.parent) if (a === m.target) ancestor = a;
        b.report(
          m.file,
          DiagnosticCode.AliasCycle,
          ancestor
            ? `Alias '${m.id}' shows '${ancestor.id}', which contains the alias itself`
            : `Alias '${m.id}' shows '${m.target.id}', which shows '${m.id}' again (a cycle through ${cycleText(members.filter((x) => x.kind === 'alias').map((x) => x.id))}): rendering it never ends`,
          m.decl.target,
        );
      }
      return;
    }
    let h = 0;
    for (const n of next(root)) if (!cyclic.has(n)) h = Math.max(h, height.get(n) ?? 0);
    height.set(root, h + 1);
  };
  for (const start of b.regionList) {
    if (index.has(start)) continue;
    const frames: { r: RegionInfo; out: RegionInfo[]; i: number }[] = [];
    const open = (r: RegionInfo): void => {
      index.set(r, counter);
      low.set(r, counter++);
      stack.push(r);
      onStack.add(r);
      frames.push({ r, out: next(r), i: 0 });
    };
    open(start);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.i < f.out.length) {
        const n = f.out[f.i++]!;
        if (!index.has(n)) open(n);
        else if (onStack.has(n)) low.set(f.r, Math.min(low.get(f.r)!, index.get(n)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.r, Math.min(low.get(parent.r)!, low.get(f.r)!));
      if (low.get(f.r) === index.get(f.r)) finish(f.r);
    }
  }
  // Too deep: report where a path first goes past the limit (heights fall by one along it).
  for (const r of b.regionList) {
    if (height.get(r) !== MAX_RENDER_DEPTH + 1) continue;
    const what = r.kind === 'alias' ? 'alias chain' : 'nesting of containers and aliases';
    b.report(
      r.file,
      DiagnosticCode.AliasCycle,
      `Rendering '${r.id}' goes ${MAX_RENDER_DEPTH + 1} levels deep through its ${what}; the engine renders at most ${MAX_RENDER_DEPTH}`,
      r.decl.name,
    );
  }
}

function checkInsideParent(b: BindContext, r: RegionInfo): void {
  const p = r.parent;
  if (!p || p.size === undefined || r.size === undefined || !r.decl.address) return;
  const end = r.address + r.size;
  if (end <= p.size) return;
  const at = r.decl.address;
  // A device maps each window at its address plus the window's offset, which the engine (like
  // QEMU's hwaddr) refuses past 2^64-1. Reported first: the sink keeps one diagnostic per place.
  const window = r.device?.model?.windows.find((w) => r.address + w.offset >= SIZE_2_64);
  if (window) {
    b.report(
      r.file,
      DiagnosticCode.ValueOutOfRange,
      `'${r.id}' maps its window '${window.name}' at ${hex(r.address + window.offset)}, beyond 2^64-1`,
      at,
    );
    return;
  }
  if (r.address >= p.size) {
    b.report(
      r.file,
      DiagnosticCode.OutsideContainer,
      `'${r.id}' at ${hex(r.address)} lies outside '${p.id}' (size ${hex(p.size)}); it is never visible`,
      at,
      Severity.Warning,
    );
  } else {
    b.report(
      r.file,
      DiagnosticCode.OutsideContainer,
      `'${r.id}' (${hex(r.address)}…${hex(end - 1n)}) extends past the end of '${p.id}' (size ${hex(p.size)}); QEMU clips it at ${hex(p.size - 1n)}`,
      at,
      Severity.Warning,
    );
  }
}

function checkAlias(b: BindContext, r: RegionInfo): void {
  const t = r.target;
  if (!t || !r.decl.target) return;
  // an alias whose chain of alias targets reaches one of its own ancestors renders itself
  // forever (the chain is short here: long ones are MAX_RENDER_DEPTH's business)
  const ancestors = new Set<RegionInfo>();
  for (let a = r.parent; a; a = a.parent) ancestors.add(a);
  let x: RegionInfo | undefined = t;
  for (let steps = 0; x && steps <= MAX_RENDER_DEPTH; steps++) {
    if (ancestors.has(x)) {
      b.report(
        r.file,
        DiagnosticCode.AliasCycle,
        `Alias '${r.id}' shows '${x.id}', which contains the alias itself`,
        r.decl.target,
      );
      return;
    }
    x = x.kind === 'alias' ? x.target : undefined;
  }
  if (r.size !== undefined && t.size !== undefined && r.decl.size) {
    const end = r.targetOffset + r.size;
    if (end > t.size) {
      const at = r.decl.size ?? r.decl.target;
      const beyond = r.targetOffset >= t.size ? 'entirely' : `${hex(end - t.size)} bytes`;
      b.report(
        r.file,
        DiagnosticCode.AliasOutsideTarget,
        `Alias window ${hex(r.targetOffset)}…${hex(end - 1n)} goes ${beyond} past the end of '${t.id}' (size ${hex(t.size)}); that part is a hole`,
        at,
        Severity.Warning,
      );
    }
  }
}

/**
 * BM309 for every sibling that is the later-declared of an overlapping equal-priority pair, once,
 * naming its earliest-declared overlapping partner; n log n per container (sorted sweep with a
 * heap for the siblings that started before, a sparse table for the ones that start inside).
 */
function checkOverlaps(b: BindContext, siblings: readonly RegionInfo[]): void {
  const order = new Map(siblings.map((r, i) => [r, i]));
  const byPriority = new Map<number, RegionInfo[]>();
  for (const r of siblings) {
    if (!r.enabled || r.size === undefined || r.size <= 0n || !r.decl.address) continue;
    let list = byPriority.get(r.priority);
    if (!list) byPriority.set(r.priority, (list = []));
    list.push(r);
  }
  for (const group of byPriority.values()) {
    if (group.length < 2) continue;
    const sorted = group.sort((x, y) =>
      x.address < y.address ? -1 : x.address > y.address ? 1 : order.get(x)! - order.get(y)!,
    );
    const n = sorted.length;
    const idx = sorted.map((r) => order.get(r)!);
    const end = (r: RegionInfo): bigint => r.address + r.size!;
    // sparse table: position of the smallest declaration index in sorted[i … i + 2^k)
    const table: Int32Array[] = [Int32Array.from({ length: n }, (_, i) => i)];
    for (let k = 1; 1 << k <= n; k++) {
      const prev = table[k - 1]!;
      const row = new Int32Array(n - (1 << k) + 1);
      for (let i = 0; i < row.length; i++) {
        const a = prev[i]!;
        const c = prev[i + (1 << (k - 1))]!;
        row[i] = idx[a]! <= idx[c]! ? a : c;
      }
      table.push(row);
    }
    const minIn = (lo: number, hi: number): number => {
      // [lo, hi), non-empty
      const k = 31 - Math.clz32(hi - lo);
      const a = table[k]![lo]!;
      const c = table[k]![hi - (1 << k)]!;
      return idx[a]! <= idx[c]! ? a : c;
    };
    // min-heap (by declaration index) of positions already passed; expired ones dropped lazily
    const heap: number[] = [];
    const push = (p: number): void => {
      heap.push(p);
      for (let i = heap.length - 1; i > 0;) {
        const up = (i - 1) >> 1;
        if (idx[heap[up]!]! <= idx[heap[i]!]!) break;
        [heap[up], heap[i]] = [heap[i]!, heap[up]!];
        i = up;
      }
    };
    const pop = (): void => {
      const last = heap.pop()!;
      if (heap.length === 0) return;
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && idx[heap[l]!]! < idx[heap[m]!]!) m = l;
        if (r < heap.length && idx[heap[r]!]! < idx[heap[m]!]!) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    };
    let inside = 0; // first position whose address is at or past the current region's end
    for (let p = 0; p < n; p++) {
      const r = sorted[p]!;
      while (heap.length > 0 && end(sorted[heap[0]!]!) <= r.address) pop();
      let partner = heap.length > 0 ? heap[0]! : -1;
      // siblings that start inside r (after it in address order)
      if (inside <= p) inside = p + 1;
      while (inside < n && sorted[inside]!.address < end(r)) inside++;
      if (inside > p + 1) {
        const q = minIn(p + 1, inside);
        if (partner < 0 || idx[q]! < idx[partner]!) partner = q;
      }
      push(p);
      if (partner < 0 || idx[partner]! > idx[p]!) continue;
      const older = sorted[partner]!;
      const start = older.address > r.address ? older.address : r.address;
      const stop = end(older) < end(r) ? end(older) : end(r);
      b.report(
        r.file,
        DiagnosticCode.EqualPriorityOverlap,
        `'${r.id}' overlaps '${older.id}' at ${hex(start)}…${hex(stop - 1n)} with the same priority ${r.priority}; QEMU shows the later-declared '${r.id}' there (among equal priorities the most recently added subregion wins). Give one a priority to make the choice explicit.`,
        r.decl.name,
        Severity.Warning,
      );
    }
  }
}
