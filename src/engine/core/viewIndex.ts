/*
 * A lookup index over a FlatView for addresses below 2^53 given as numbers: float copies of
 * the range bounds plus a two-level bucket table over the covered span. Level 1 splits the
 * span into up to 2^16 power-of-two-wide buckets; a bucket holding many ranges gets a
 * level-2 table of 256 sub-buckets. Each (sub-)bucket stores the index of the first range
 * ending above its start, so the answer for an address in bucket b lies in
 * [first[b], first[b + 1]] and usually needs no search at all.
 *
 * Exactness: addresses are integers below 2^53, so (addr − base) and the power-of-two scaling
 * are exact; bounds above 2^53 are rounded, but rounding is monotonic, so comparisons with
 * such addresses keep their outcome.
 */
import type { FlatRange } from './flatView';

const TWO_POW_53 = 2 ** 53;
/** A level-1 bucket with more ranges than this gets a level-2 table. */
const DENSE = 8;
const SUB_BITS = 8;
const SUB_COUNT = 1 << SUB_BITS;

/** Number-keyed lookup index of one immutable range list. */
export class ViewIndex {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly first: Int32Array | null = null;
  /** Per level-1 bucket: 0, or 1 + offset of its level-2 table in `sub`. */
  private readonly subAt: Int32Array | null = null;
  private readonly sub: Int32Array | null = null;
  private readonly base: number = 0;
  private readonly span: number = 0;
  private readonly width: number = 1;
  private readonly scale: number = 0;
  private readonly subScale: number = 0;

  constructor(ranges: readonly FlatRange[]) {
    const n = ranges.length;
    const starts = (this.starts = new Float64Array(n));
    const ends = (this.ends = new Float64Array(n));
    for (let i = 0; i < n; i++) {
      starts[i] = Number(ranges[i]!.start);
      ends[i] = Number(ranges[i]!.end);
    }
    if (n < DENSE || starts[0]! >= TWO_POW_53) return;
    const base = starts[0]!;
    const span = Math.min(ends[n - 1]!, TWO_POW_53) - base;
    const count = Math.min(1 << 16, 2 ** Math.ceil(Math.log2(n * 4)));
    const width = 2 ** Math.max(0, Math.ceil(Math.log2(span / count)));
    const first = new Int32Array(count + 1);
    firstEndingAbove(ends, base, width, count, 0, first, 0);
    // Level 2 for dense buckets whose width can still be split.
    const subWidth = width / SUB_COUNT;
    const subAt = new Int32Array(count);
    const dense: number[] = [];
    if (subWidth >= 1) {
      for (let b = 0; b < count; b++) if (first[b + 1]! - first[b]! > DENSE) dense.push(b);
    }
    const sub = new Int32Array(dense.length * (SUB_COUNT + 1));
    dense.forEach((b, k) => {
      const at = k * (SUB_COUNT + 1);
      firstEndingAbove(ends, base + b * width, subWidth, SUB_COUNT, first[b]!, sub, at);
      subAt[b] = at + 1;
    });
    this.first = first;
    this.subAt = subAt;
    this.sub = sub;
    this.base = base;
    this.span = Math.min(count * width, span);
    this.width = width;
    this.scale = 1 / width;
    this.subScale = subWidth >= 1 ? 1 / subWidth : 0;
  }

  /** Index of the range containing @addr (an integer in [0, 2^53)), or -1. */
  indexOf(addr: number): number {
    const starts = this.starts;
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length;
    const rel = addr - this.base;
    if (rel < 0) return -1;
    if (rel < this.span) {
      const b = Math.floor(rel * this.scale);
      const at = this.subAt![b]!;
      if (at === 0) {
        lo = this.first![b]!;
        hi = this.first![b + 1]!;
      } else {
        const s = at - 1 + Math.floor((rel - b * this.width) * this.subScale);
        lo = this.sub![s]!;
        hi = this.sub![s + 1]!;
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > addr) hi = mid;
      else lo = mid + 1;
    }
    return lo < starts.length && starts[lo]! <= addr ? lo : -1;
  }
}

/** Fills out[at … at+count] with the first range index ending above base + b·width, from @from. */
function firstEndingAbove(
  ends: Float64Array,
  base: number,
  width: number,
  count: number,
  from: number,
  out: Int32Array,
  at: number,
): void {
  let k = from;
  const n = ends.length;
  for (let b = 0; b <= count; b++) {
    const bucketStart = base + b * width;
    while (k < n && ends[k]! <= bucketStart) k++;
    out[at + b] = k;
  }
}
