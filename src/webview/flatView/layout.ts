/**
 * The flat view's folded axis: an address space cut into segments (each flat range, and each hole
 * between them), laid out left to right with widths that grow with the logarithm of the size, so
 * a 4-byte register next to 2 GiB of RAM is still several pixels wide, and holes are folded (drawn,
 * labelled, but narrower than the ranges around them). Pure: no DOM.
 */
import { fromHex, type FlatRangeInfo } from '../../protocol';

export interface Segment {
  readonly kind: 'range' | 'hole';
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
  readonly range?: FlatRangeInfo;
  /** Index into the flat view for ranges, -1 for holes. */
  readonly rangeIndex: number;
  x: number;
  width: number;
}

export interface AxisOptions {
  /** Width of the whole strip in CSS pixels (viewport width x zoom). */
  readonly width: number;
  /** Minimum width of a range (keeps the smallest visible). */
  readonly minRange?: number;
  /** Minimum width of a hole. */
  readonly minHole?: number;
  /** Holes weigh this much less than ranges of the same size. */
  readonly holeFactor?: number;
}

/** log2 of a bigint size, fractional enough for layout. */
export function log2(size: bigint): number {
  if (size <= 0n) return 0;
  const bits = size.toString(2).length;
  if (bits <= 52) return Math.log2(Number(size));
  // Keep the top 52 bits for the fraction.
  const shift = BigInt(bits - 52);
  return Math.log2(Number(size >> shift)) + Number(shift);
}

/** Cuts the flat view into ranges and holes covering [0, spaceEnd). */
export function segmentsOf(flatView: readonly FlatRangeInfo[], spaceEnd: bigint): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0n;
  flatView.forEach((range, i) => {
    const start = fromHex(range.start);
    const end = fromHex(range.end) + 1n;
    if (start > cursor)
      segments.push({ kind: 'hole', start: cursor, end: start, rangeIndex: -1, x: 0, width: 0 });
    segments.push({ kind: 'range', start, end, range, rangeIndex: i, x: 0, width: 0 });
    cursor = end;
  });
  if (cursor < spaceEnd)
    segments.push({ kind: 'hole', start: cursor, end: spaceEnd, rangeIndex: -1, x: 0, width: 0 });
  return segments;
}

/**
 * Assigns x and width to every segment. Each gets its minimum, and the rest of the width is shared
 * by weight: 1 + log2(size) for ranges, (1 + log2(size)) x holeFactor for holes. When the minimums
 * alone exceed the width the strip simply grows (the caller scrolls).
 */
export function layoutAxis(segments: Segment[], options: AxisOptions): number {
  const minRange = options.minRange ?? 6;
  const minHole = options.minHole ?? 10;
  const holeFactor = options.holeFactor ?? 0.35;
  let minimum = 0;
  let weights = 0;
  const weight = segments.map((s) => {
    const w = (1 + log2(s.end - s.start)) * (s.kind === 'hole' ? holeFactor : 1);
    weights += w;
    minimum += s.kind === 'hole' ? minHole : minRange;
    return w;
  });
  const spare = Math.max(0, options.width - minimum);
  let x = 0;
  segments.forEach((s, i) => {
    s.x = x;
    s.width =
      (s.kind === 'hole' ? minHole : minRange) + (weights > 0 ? (spare * weight[i]!) / weights : 0);
    x += s.width;
  });
  return x;
}

/** Index of the segment containing x (binary search), or -1. */
export function segmentAtX(segments: readonly Segment[], x: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (x < s.x) hi = mid - 1;
    else if (x >= s.x + s.width) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Index of the segment containing an address (binary search), or -1. */
export function segmentAtAddress(segments: readonly Segment[], address: bigint): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (address < s.start) hi = mid - 1;
    else if (address >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** x of an address: linear inside its segment. */
export function xOfAddress(segments: readonly Segment[], address: bigint): number | undefined {
  const i = segmentAtAddress(segments, address);
  if (i < 0) return undefined;
  const s = segments[i]!;
  const span = s.end - s.start;
  // Fraction with 2^-20 resolution, exact for any 64-bit span.
  const fraction = Number(((address - s.start) << 20n) / span) / 2 ** 20;
  return s.x + fraction * s.width;
}

/** A point on the strip as a segment and how far into it, so a relayout can keep it in place. */
export interface AxisAnchor {
  readonly index: number;
  readonly fraction: number;
}

/** The anchor at x, or undefined where no segment is. */
export function anchorAtX(segments: readonly Segment[], x: number): AxisAnchor | undefined {
  const i = segmentAtX(segments, x);
  if (i < 0) return undefined;
  const s = segments[i]!;
  return { index: i, fraction: s.width > 0 ? (x - s.x) / s.width : 0 };
}

/** x of an anchor in the current layout (the last segment's when there are fewer now). */
export function xOfAnchor(segments: readonly Segment[], anchor: AxisAnchor): number | undefined {
  const s = segments[Math.min(anchor.index, segments.length - 1)];
  return s ? s.x + anchor.fraction * s.width : undefined;
}
