/*
 * FlatView and FlatRange: the rendered, immutable picture of an address space (QEMU
 * memory.c struct FlatView / FlatRange). A FlatView is a sorted list of disjoint ranges, each
 * naming the terminating region that serves it and where inside that region it starts; gaps
 * are unassigned. Views are never modified after construction: a commit builds a new one
 * (sharing unchanged FlatRange objects), so consumers may cache per view (e.g. `dispatch`).
 */
import type { MemoryRegion } from './region';

/**
 * FlatRange: one piece of a flat view. All fields are exact bigints.
 * @mr: the terminating region (never a container or alias).
 * @start/@end: absolute half-open range [start, end), end ≤ 2^64; @size = end − start.
 * @base: absolute address of @mr's offset 0 on this path (may be negative).
 * @offsetInRegion: offset inside @mr of @start (= start − base).
 * @dirtyLogMask: effective dirty log mask of @mr at render time.
 * @romdMode: @mr's romd mode at render time.
 * @readonly/@nonvolatile: inherited from @mr and every container or alias on the path.
 */
export class FlatRange {
  private offset: bigint | null = null;
  constructor(
    readonly mr: MemoryRegion,
    readonly base: bigint,
    readonly start: bigint,
    readonly end: bigint,
    readonly dirtyLogMask: number,
    readonly romdMode: boolean,
    readonly readonly: boolean,
    readonly nonvolatile: boolean,
  ) {}

  /** Offset inside @mr of @start (start − base), computed once on first use. */
  get offsetInRegion(): bigint {
    return (this.offset ??= this.start - this.base);
  }

  /** Size in bytes (computed; 1 … 2^64). */
  get size(): bigint {
    return this.end - this.start;
  }

  /** flatrange_equal: same region, range, offset and flags (dirty log mask excluded). */
  equals(other: FlatRange): boolean {
    return (
      this === other ||
      (this.mr === other.mr &&
        this.start === other.start &&
        this.end === other.end &&
        this.base === other.base &&
        this.romdMode === other.romdMode &&
        this.readonly === other.readonly &&
        this.nonvolatile === other.nonvolatile)
    );
  }

  /**
   * can_merge: @next continues this range: adjacent, same region, contiguous offsets (which,
   * being adjacent, means the same base), same log mask, romd mode, readonly, nonvolatile.
   */
  canMerge(next: FlatRange): boolean {
    return (
      this.end === next.start &&
      this.mr === next.mr &&
      this.base === next.base &&
      this.dirtyLogMask === next.dirtyLogMask &&
      this.romdMode === next.romdMode &&
      this.readonly === next.readonly &&
      this.nonvolatile === next.nonvolatile
    );
  }

  /** A copy of this range restricted to [start, end) (which must lie inside it). */
  slice(start: bigint, end: bigint): FlatRange {
    if (start === this.start && end === this.end) return this;
    return new FlatRange(
      this.mr,
      this.base,
      start,
      end,
      this.dirtyLogMask,
      this.romdMode,
      this.readonly,
      this.nonvolatile,
    );
  }

  /** A copy of this range extended to @end (used by simplify). */
  extendTo(end: bigint): FlatRange {
    return new FlatRange(
      this.mr,
      this.base,
      this.start,
      end,
      this.dirtyLogMask,
      this.romdMode,
      this.readonly,
      this.nonvolatile,
    );
  }
}

/** Index of the first range in @ranges whose end is above @addr (ranges.length if none). */
export function firstRangeEndingAfter(ranges: readonly FlatRange[], addr: bigint): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]!.end > addr) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const TWO_POW_53 = 2 ** 53;

/**
 * FlatView: the rendered ranges of one flat root, shared by every address space whose root
 * peels to that region. Immutable.
 */
export class FlatView {
  /** The flat root this view was rendered from (null: nothing enabled, empty view). */
  readonly root: MemoryRegion | null;
  /** Sorted, disjoint, maximally merged ranges. */
  readonly ranges: readonly FlatRange[];
  /**
   * Slot for the access half's compiled dispatch structure of this view (QEMU view->dispatch);
   * the topology code never reads it. Built lazily by whoever needs it.
   */
  dispatch: unknown = null;
  private starts: Float64Array | null = null;
  private ends: Float64Array | null = null;
  private buckets: Int32Array | null = null;
  private bucketBase = 0;
  private bucketSpan = 0;
  private bucketScale = 0;

  constructor(root: MemoryRegion | null, ranges: readonly FlatRange[]) {
    this.root = root;
    this.ranges = ranges;
  }

  /** The range containing @addr, or null when @addr is unassigned. */
  lookup(addr: bigint | number): FlatRange | null {
    if (typeof addr === 'number') {
      if (addr >= 0 && addr < TWO_POW_53) return this.lookupNumber(addr);
      addr = BigInt(addr);
    } else if (addr >= 0n && addr < 9007199254740992n) {
      return this.lookupNumber(Number(addr));
    }
    const i = firstRangeEndingAfter(this.ranges, addr);
    const fr = this.ranges[i];
    return fr !== undefined && fr.start <= addr ? fr : null;
  }

  /**
   * Index of the range containing @addr (an integer in [0, 2^53)), or -1. Float copies of the
   * bounds are exact enough for such addresses even when a bound above 2^53 was rounded,
   * because rounding is monotonic. A bucket table over the covered span narrows the binary
   * search to a few ranges: bucket b holds the first range ending above its start, and the
   * answer for an address in bucket b lies in [buckets[b], buckets[b + 1]].
   */
  indexOfNumber(addr: number): number {
    if (this.ends === null) this.buildIndex();
    const starts = this.starts!;
    const ends = this.ends!;
    let lo = 0;
    let hi = ends.length;
    const rel = addr - this.bucketBase;
    if (rel >= 0 && rel < this.bucketSpan) {
      const b = Math.floor(rel * this.bucketScale);
      lo = this.buckets![b]!;
      hi = this.buckets![b + 1]!;
    } else if (rel < 0) {
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > addr) hi = mid;
      else lo = mid + 1;
    }
    return lo < starts.length && starts[lo]! <= addr ? lo : -1;
  }

  private buildIndex(): void {
    const n = this.ranges.length;
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      starts[i] = Number(this.ranges[i]!.start);
      ends[i] = Number(this.ranges[i]!.end);
    }
    this.starts = starts;
    this.ends = ends;
    if (n < 8 || starts[0]! >= TWO_POW_53) return;
    const base = starts[0]!;
    const span = Math.min(ends[n - 1]!, TWO_POW_53) - base;
    // About 4 buckets per range, power-of-two count and width so that indexing is exact.
    const count = Math.min(1 << 16, 2 ** Math.ceil(Math.log2(n * 4)));
    const width = 2 ** Math.max(0, Math.ceil(Math.log2(span / count)));
    const buckets = new Int32Array(count + 1);
    let k = 0;
    for (let b = 0; b <= count; b++) {
      const bucketStart = base + b * width;
      while (k < n && ends[k]! <= bucketStart) k++;
      buckets[b] = k;
    }
    this.buckets = buckets;
    this.bucketBase = base;
    this.bucketSpan = Math.min(count * width, span);
    this.bucketScale = 1 / width;
  }

  private lookupNumber(addr: number): FlatRange | null {
    const i = this.indexOfNumber(addr);
    return i < 0 ? null : this.ranges[i]!;
  }
}
