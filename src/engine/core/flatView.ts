/*
 * FlatView and FlatRange: the rendered, immutable picture of an address space (QEMU
 * memory.c struct FlatView / FlatRange). A FlatView is a sorted list of disjoint ranges, each
 * naming the terminating region that serves it and where inside that region it starts; gaps
 * are unassigned. Views are never modified after construction: a commit builds a new one
 * (sharing unchanged FlatRange objects), so consumers may cache per view (e.g. `dispatch`).
 */
import type { MemoryRegion } from './region';
import { ViewIndex } from './viewIndex';

const ROMD = 1;
const READONLY = 2;
const NV = 4;

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
  /**
   * dirtyLogMask · 8 + romdMode | readonly << 1 | nonvolatile << 2: one small integer instead
   * of four fields keeps a range at 6 fields (a view of 100k ranges is ~2.4 MB smaller, which
   * matters because a render's output must survive the young generation).
   */
  private readonly bits: number;
  constructor(
    readonly mr: MemoryRegion,
    readonly base: bigint,
    readonly start: bigint,
    readonly end: bigint,
    dirtyLogMask: number,
    romdMode: boolean,
    readonly: boolean,
    nonvolatile: boolean,
  ) {
    this.bits =
      dirtyLogMask * 8 + (romdMode ? ROMD : 0) + (readonly ? READONLY : 0) + (nonvolatile ? NV : 0);
  }

  /** Effective dirty log mask of @mr at render time. */
  get dirtyLogMask(): number {
    return (this.bits - (this.bits & 7)) / 8;
  }

  /** @mr's romd mode at render time. */
  get romdMode(): boolean {
    return (this.bits & ROMD) !== 0;
  }

  /** Read-only, inherited from @mr and every container or alias on the path. */
  get readonly(): boolean {
    return (this.bits & READONLY) !== 0;
  }

  /** Non-volatile, inherited like readonly. */
  get nonvolatile(): boolean {
    return (this.bits & NV) !== 0;
  }

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
        (this.bits & 7) === (other.bits & 7))
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
      this.bits === next.bits
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
  private index: ViewIndex | null = null;

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

  /** Index of the range containing @addr (an integer in [0, 2^53)), or -1 (see viewIndex.ts). */
  indexOfNumber(addr: number): number {
    return (this.index ??= new ViewIndex(this.ranges)).indexOf(addr);
  }

  private lookupNumber(addr: number): FlatRange | null {
    const i = this.indexOfNumber(addr);
    return i < 0 ? null : this.ranges[i]!;
  }
}
