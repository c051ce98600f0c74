/*
 * Rendering a region tree into flat ranges, exactly as QEMU's generate_memory_topology /
 * render_memory_region / flatview_simplify do (spec §3.3–3.5). Arithmetic is exact bigint:
 * render bases may go negative through alias offsets, sizes reach 2^64.
 */
import { FlatRange } from './flatView';
import { RangeList } from './rangeList';
import type { MemoryRegion } from './region';
import { SIZE_2_64 } from './types';

/**
 * Renders @root into a sorted, disjoint, not yet simplified list of flat ranges, restricted
 * to the clip window [@clipStart, @clipEnd). With the full window [0, 2^64) this is QEMU's
 * render_memory_region(view, root, 0, [0, 2^64), false, false). Restricting the window gives
 * exactly the full rendering cut to the window, which incremental updates rely on.
 */
export function renderRanges(
  root: MemoryRegion | null,
  clipStart: bigint = 0n,
  clipEnd: bigint = SIZE_2_64,
): FlatRange[] {
  const view = new RangeList();
  if (root) renderRegion(view, root, 0n, clipStart, clipEnd, false, false);
  return view.toArray();
}

/** QEMU addrrange_intersects for [s1, e1) and [s2, e2): one contains the other's start. */
function intersects(s1: bigint, e1: bigint, s2: bigint, e2: bigint): boolean {
  return (s2 >= s1 && s2 < e1) || (s1 >= s2 && s1 < e2);
}

function renderRegion(
  view: RangeList,
  mr: MemoryRegion,
  base: bigint,
  clipStart: bigint,
  clipEnd: bigint,
  readonly: boolean,
  nonvolatile: boolean,
): void {
  if (!mr.enabled) return;
  if (mr.addr !== 0n) base += mr.addr;
  readonly ||= mr.readonly;
  nonvolatile ||= mr.nonvolatile;
  const ownEnd = base + mr.size;
  if (!intersects(base, ownEnd, clipStart, clipEnd)) return;
  // Children and alias windows are clipped to this region's own extent.
  if (base > clipStart) clipStart = base;
  if (ownEnd < clipEnd) clipEnd = ownEnd;

  const target = mr.alias;
  if (target) {
    // The target's placement cancels out: it shows at (alias start - alias offset).
    renderRegion(
      view,
      target,
      base - target.addr - mr.aliasOffset,
      clipStart,
      clipEnd,
      readonly,
      nonvolatile,
    );
    return;
  }
  const children = mr.subregions;
  for (let i = 0; i < children.length; i++) {
    renderRegion(view, children[i]!, base, clipStart, clipEnd, readonly, nonvolatile);
  }
  if (!mr.terminates || clipStart >= clipEnd) return;
  fillGaps(view, mr, base, clipStart, clipEnd, readonly, nonvolatile);
}

/**
 * Inserts ranges for @mr into every part of [clipStart, clipEnd) that no existing range
 * covers; existing ranges are never modified or split.
 */
function fillGaps(
  view: RangeList,
  mr: MemoryRegion,
  base: bigint,
  clipStart: bigint,
  clipEnd: bigint,
  readonly: boolean,
  nonvolatile: boolean,
): void {
  const mask = mr.effectiveDirtyLogMask();
  const romd = mr.romdMode;
  const pos = view.cursor;
  view.locate(clipStart, pos);
  let at = clipStart;
  while (at < clipEnd) {
    const next = view.at(pos);
    if (next !== undefined && next.start <= at) {
      at = next.end;
      pos.i++;
      continue;
    }
    const gapEnd = next !== undefined && next.start < clipEnd ? next.start : clipEnd;
    view.insert(pos, new FlatRange(mr, base, at, gapEnd, mask, romd, readonly, nonvolatile));
    at = gapEnd;
  }
}

/**
 * flatview_simplify: merges each range into its predecessor when can_merge holds (adjacent,
 * same region, contiguous offsets, same log mask, romd mode, readonly, nonvolatile).
 */
export function simplifyRanges(ranges: readonly FlatRange[]): FlatRange[] {
  const out: FlatRange[] = [];
  let i = 0;
  while (i < ranges.length) {
    let acc = ranges[i]!;
    let j = i + 1;
    while (j < ranges.length && ranges[j - 1]!.canMerge(ranges[j]!)) j++;
    if (j > i + 1) acc = acc.extendTo(ranges[j - 1]!.end);
    out.push(acc);
    i = j;
  }
  return out;
}

/**
 * memory_region_get_flatview_root: peels an address-space root down to the region actually
 * rendered, so that address spaces with equivalent roots share one view. Disabled → null; an
 * alias covering its whole target at offset 0 → the target; a pure container with no enabled
 * child → null, with exactly one enabled child at 0 that fits → that child.
 */
export function flatViewRoot(root: MemoryRegion | null): MemoryRegion | null {
  let mr = root;
  while (mr && mr.enabled) {
    if (mr.alias) {
      if (mr.aliasOffset === 0n && mr.size >= mr.alias.size) {
        mr = mr.alias;
        continue;
      }
    } else if (!mr.terminates) {
      let found = 0;
      let next: MemoryRegion | null = null;
      for (const child of mr.subregions) {
        if (!child.enabled) continue;
        if (++found > 1) {
          next = null;
          break;
        }
        if (child.addr === 0n && mr.size >= child.size) next = child;
      }
      if (found === 0) return null;
      if (next) {
        mr = next;
        continue;
      }
    }
    return mr;
  }
  return null;
}
