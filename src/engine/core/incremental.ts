/*
 * Incremental re-rendering. Rendering assigns every address independently of the clip
 * window (render_memory_region with a smaller clip yields exactly the full rendering cut to
 * that clip), and flatview_simplify's result depends only on that per-address assignment. So
 * when a region changes, only the absolute windows where it can show need rendering again:
 * those are found by walking up from the region through its containers and through every
 * alias that targets it or an ancestor. The old view outside the windows is kept as is, the
 * windows are re-rendered and spliced in, and merging is redone at the seams. When the walk
 * gets too large (many aliases of aliases) we fall back to a full render.
 */
import { FlatView, type FlatRange } from './flatView';
import type { MemorySystem } from './memorySystem';
import type { MemoryRegion } from './region';
import { renderSimplified } from './renderFast';
import { SIZE_2_64 } from './types';

/** Most windows tracked per flat root before giving up and rendering it in full. */
const MAX_WINDOWS = 64;
/** Most placements a single walk may visit. */
const MAX_WALK = 256;

export interface Placement {
  /** Absolute address of the region's offset 0. */
  readonly base: bigint;
  /** Visible window [start, end) of the region (clipped by everything above it). */
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * Appends to @out every window in which @region can show when @root is rendered; returns
 * false if the walk exceeded its budget (caller renders in full).
 */
export function placementsUnder(
  region: MemoryRegion,
  root: MemoryRegion,
  out: Placement[],
  maxWalk = MAX_WALK,
): boolean {
  const budget = { left: maxWalk };
  const found = walk(region, root, budget);
  if (found === null) return false;
  for (const p of found) out.push(p);
  return true;
}

function walk(x: MemoryRegion, root: MemoryRegion, budget: { left: number }): Placement[] | null {
  if (--budget.left < 0) return null;
  if (x === root) {
    const base = root.addr;
    const end = base + root.size < SIZE_2_64 ? base + root.size : SIZE_2_64;
    return base < end ? [{ base, start: base, end }] : [];
  }
  const out: Placement[] = [];
  if (x.container) {
    const above = walk(x.container, root, budget);
    if (above === null) return null;
    for (const w of above) push(out, w.base + x.addr, x.size, w);
  }
  for (const alias of x.aliasedBy) {
    const above = walk(alias, root, budget);
    if (above === null) return null;
    for (const w of above) push(out, w.base - alias.aliasOffset, x.size, w);
  }
  return out;
}

function push(out: Placement[], base: bigint, size: bigint, w: Placement): void {
  const start = base > w.start ? base : w.start;
  const end = base + size < w.end ? base + size : w.end;
  if (start < end) out.push({ base, start, end });
}

/** Windows to re-render per flat root, collected between the first change and the commit. */
export class PendingWindows {
  private readonly windows = new Map<MemoryRegion, Placement[]>();
  private readonly fullRoots = new Set<MemoryRegion>();
  private all = false;

  /** Records where @region shows under every flat root that currently has a view. */
  note(region: MemoryRegion, views: ReadonlyMap<MemoryRegion | null, FlatView>): void {
    if (this.all) return;
    for (const root of views.keys()) {
      if (root === null || this.fullRoots.has(root)) continue;
      let list = this.windows.get(root);
      const fresh = list === undefined;
      list ??= [];
      if (!placementsUnder(region, root, list) || list.length > MAX_WINDOWS) {
        this.fullRoots.add(root);
        this.windows.delete(root);
      } else if (fresh && list.length) {
        this.windows.set(root, list);
      }
    }
  }

  /** Forces full renders of every view at the next commit. */
  markAllDirty(): void {
    this.all = true;
  }

  /** Forgets everything (after a commit). */
  clear(): void {
    this.windows.clear();
    this.fullRoots.clear();
    this.all = false;
  }

  /** The view of @old's root after the recorded changes (@old itself if nothing touched it). */
  update(old: FlatView, system: MemorySystem): FlatView {
    const root = old.root;
    if (root === null) return old;
    if (this.all || this.fullRoots.has(root)) return system.renderFull(root);
    const list = this.windows.get(root);
    if (!list) return old;
    system.renderCount++;
    return new FlatView(root, spliceWindows(old.ranges, root, mergeWindows(list)));
  }
}

/** Sorts windows and unites overlapping or touching ones. */
function mergeWindows(list: Placement[]): Array<[bigint, bigint]> {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.start <= last[1]) {
      if (w.end > last[1]) last[1] = w.end;
    } else {
      out.push([w.start, w.end]);
    }
  }
  return out;
}

/** Appends @fr, merging it into the last range when can_merge allows. */
function pushMerge(out: FlatRange[], fr: FlatRange): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.canMerge(fr)) out[out.length - 1] = last.extendTo(fr.end);
  else out.push(fr);
}

/** The old ranges with every window replaced by a fresh rendering of @root cut to it. */
function spliceWindows(
  old: readonly FlatRange[],
  root: MemoryRegion,
  windows: Array<[bigint, bigint]>,
): FlatRange[] {
  const out: FlatRange[] = [];
  let idx = 0;
  // A trimmed copy of old[idx] whose left part a window replaced, if any.
  let head: FlatRange | null = null;
  // True right after a window: the next range pushed may merge with the window's last piece.
  let seam = true;
  const emit = (fr: FlatRange): void => {
    if (seam) pushMerge(out, fr);
    else out.push(fr);
    seam = false;
  };
  for (const [ws, we] of windows) {
    let fr: FlatRange | undefined = head ?? old[idx];
    while (fr !== undefined && fr.end <= ws) {
      emit(fr);
      head = null;
      fr = old[++idx];
    }
    if (fr !== undefined && fr.start < ws) emit(fr.slice(fr.start, ws));
    while (fr !== undefined && fr.end <= we) {
      head = null;
      fr = old[++idx];
    }
    for (const piece of renderSimplified(root, ws, we)) pushMerge(out, piece);
    seam = true;
    head = fr !== undefined && fr.start < we ? fr.slice(we, fr.end) : (fr ?? null);
  }
  for (let fr: FlatRange | undefined = head ?? old[idx]; fr !== undefined; fr = old[++idx])
    emit(fr);
  return out;
}
