/*
 * A sorted list of disjoint FlatRanges stored in chunks, used while rendering: the render
 * algorithm inserts ranges into gaps in arbitrary address order (children newest-first, so
 * often descending), which makes a plain array quadratic. Chunks of at most CHUNK ranges keep
 * every insertion O(log n + CHUNK).
 */
import type { FlatRange } from './flatView';

const CHUNK = 64;

/** Position of a range: chunk index and index inside the chunk. */
export interface ListPos {
  c: number;
  i: number;
}

/** Sorted chunked list of disjoint ranges. */
export class RangeList {
  private readonly chunks: FlatRange[][] = [[]];
  /** A scratch position for callers that walk the list once at a time (no allocation). */
  readonly cursor: ListPos = { c: 0, i: 0 };

  /** Position of the first range whose end is above @addr (the end position if none). */
  locate(addr: bigint, pos: ListPos): void {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    // First chunk whose last range ends above addr (the last chunk otherwise).
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (chunk.length !== 0 && chunk[chunk.length - 1]!.end > addr) hi = mid;
      else lo = mid + 1;
    }
    const chunk = chunks[lo]!;
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (chunk[mid]!.end > addr) b = mid;
      else a = mid + 1;
    }
    pos.c = lo;
    pos.i = a;
  }

  /** The range at @pos, or undefined at the end; moves @pos to a valid chunk first. */
  at(pos: ListPos): FlatRange | undefined {
    const chunks = this.chunks;
    while (pos.i >= chunks[pos.c]!.length && pos.c < chunks.length - 1) {
      pos.c++;
      pos.i = 0;
    }
    return chunks[pos.c]![pos.i];
  }

  /** Inserts @fr at @pos and leaves @pos just after it. */
  insert(pos: ListPos, fr: FlatRange): void {
    const chunk = this.chunks[pos.c]!;
    chunk.splice(pos.i, 0, fr);
    pos.i++;
    if (chunk.length > CHUNK) {
      const half = chunk.length >>> 1;
      const tail = chunk.splice(half);
      this.chunks.splice(pos.c + 1, 0, tail);
      if (pos.i >= half) {
        pos.c++;
        pos.i -= half;
      }
    }
  }

  /** All ranges in order. */
  toArray(): FlatRange[] {
    const out: FlatRange[] = [];
    for (const chunk of this.chunks) for (const fr of chunk) out.push(fr);
    return out;
  }
}
