/**
 * Virtual scrolling over an address space of up to 2^64 bytes. Browsers cap scroll heights far below
 * 2^60 rows, so the grid never scrolls natively: the top row is a bigint line index, and a custom
 * scrollbar maps its thumb position (a float fraction) to that index with 2^53 steps of precision.
 * Pure: no DOM.
 */

import { SIZE_2_64 } from '../../protocol';

export const PAGE_SIZE = 4096;
export const PAGE_SIZE_N = 4096n;

/** Fixed-point scale for fraction ↔ line conversions (a double has 53 bits of mantissa). */
const FRACTION_SCALE = 1n << 53n;

export interface ThumbGeometry {
  /** Pixels from the top of the track. */
  top: number;
  height: number;
}

export class ScrollModel {
  private top = 0n;
  private rows = 1;

  constructor(
    /** Bytes in the space (2^64 for a full space). */
    readonly spaceSize: bigint = SIZE_2_64,
    readonly bytesPerRow = 16,
  ) {
    if (spaceSize <= 0n || spaceSize > SIZE_2_64) throw new Error(`bad space size ${spaceSize}`);
    if (!Number.isInteger(bytesPerRow) || bytesPerRow <= 0 || PAGE_SIZE % bytesPerRow !== 0) {
      throw new Error(`bytes per row must divide ${PAGE_SIZE}: ${bytesPerRow}`);
    }
  }

  /** Number of rows in the whole space. */
  get totalLines(): bigint {
    const per = BigInt(this.bytesPerRow);
    return (this.spaceSize + per - 1n) / per;
  }

  /** Index of the top row shown. */
  get topLine(): bigint {
    return this.top;
  }

  get visibleLines(): number {
    return this.rows;
  }

  /** The largest top line: the last row of the space sits at the bottom of the view. */
  get maxTopLine(): bigint {
    const max = this.totalLines - BigInt(this.rows);
    return max > 0n ? max : 0n;
  }

  /** Sets how many rows fit the viewport (the top line is re-clamped). */
  setVisibleLines(rows: number): void {
    this.rows = Math.max(1, Math.floor(rows));
    this.top = this.clamp(this.top);
  }

  scrollToLine(line: bigint): void {
    this.top = this.clamp(line);
  }

  scrollBy(lines: bigint | number): void {
    const delta = typeof lines === 'bigint' ? lines : BigInt(Math.trunc(lines));
    this.top = this.clamp(this.top + delta);
  }

  /** The row holding `address`. */
  lineOf(address: bigint): bigint {
    return address / BigInt(this.bytesPerRow);
  }

  /** Address of the first byte of `line`. */
  addressOfLine(line: bigint): bigint {
    return line * BigInt(this.bytesPerRow);
  }

  /** Scrolls so `address` is visible: 'top' puts it on the first row, 'nearest' scrolls minimally. */
  reveal(address: bigint, align: 'top' | 'center' | 'nearest' = 'nearest'): void {
    const line = this.lineOf(this.clampAddress(address));
    if (align === 'top') this.scrollToLine(line);
    else if (align === 'center') this.scrollToLine(line - BigInt(Math.floor(this.rows / 2)));
    else if (line < this.top) this.scrollToLine(line);
    else if (line >= this.top + BigInt(this.rows)) this.scrollToLine(line - BigInt(this.rows) + 1n);
  }

  /** First visible address and the end (exclusive, clamped to the space) of the visible rows. */
  visibleRange(): { start: bigint; end: bigint } {
    const start = this.addressOfLine(this.top);
    const end = this.addressOfLine(this.top + BigInt(this.rows));
    return { start, end: end < this.spaceSize ? end : this.spaceSize };
  }

  /**
   * Page indexes (address / 4096) covering the visible rows plus `marginLines` above and below,
   * in the order they should be fetched: visible pages first, then the margin.
   */
  wantedPages(marginLines: number): bigint[] {
    const { start, end } = this.visibleRange();
    const margin = BigInt(Math.max(0, marginLines) * this.bytesPerRow);
    const visible = pageSpan(start, end);
    const lo = start > margin ? start - margin : 0n;
    const hi = end + margin < this.spaceSize ? end + margin : this.spaceSize;
    const all = pageSpan(lo, hi);
    const seen = new Set(visible);
    return [...visible, ...all.filter((p) => !seen.has(p))];
  }

  /** Position of the top line as a fraction of the scrollable range, in [0, 1]. */
  fraction(): number {
    const max = this.maxTopLine;
    if (max === 0n) return 0;
    return Number((this.top * FRACTION_SCALE) / max) / Number(FRACTION_SCALE);
  }

  /** Scrolls to a fraction of the scrollable range (0 = start of the space, 1 = its end). */
  scrollToFraction(fraction: number): void {
    const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
    const scaled = BigInt(Math.round(f * Number(FRACTION_SCALE)));
    this.top = this.clamp((this.maxTopLine * scaled) / FRACTION_SCALE);
  }

  /** The scrollbar thumb for a track of `trackPx` pixels; the thumb never gets below `minPx`. */
  thumb(trackPx: number, minPx = 20): ThumbGeometry {
    const total = this.totalLines;
    const proportional =
      total === 0n ? trackPx : (trackPx * Math.min(1, this.rows / Number(total))) | 0;
    const height = Math.min(trackPx, Math.max(minPx, proportional));
    return { top: (trackPx - height) * this.fraction(), height };
  }

  /** Scrolls as if the thumb's top were dragged to `thumbTopPx`. */
  scrollToThumb(thumbTopPx: number, trackPx: number, minPx = 20): void {
    const { height } = this.thumb(trackPx, minPx);
    const free = trackPx - height;
    this.scrollToFraction(free > 0 ? thumbTopPx / free : 0);
  }

  private clamp(line: bigint): bigint {
    if (line < 0n) return 0n;
    const max = this.maxTopLine;
    return line > max ? max : line;
  }

  private clampAddress(address: bigint): bigint {
    if (address < 0n) return 0n;
    return address >= this.spaceSize ? this.spaceSize - 1n : address;
  }
}

/** Page indexes overlapping [start, end). */
export function pageSpan(start: bigint, end: bigint): bigint[] {
  const pages: bigint[] = [];
  if (end <= start) return pages;
  for (let p = start / PAGE_SIZE_N; p * PAGE_SIZE_N < end; p++) pages.push(p);
  return pages;
}
