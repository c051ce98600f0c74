/*
 * The render used by commits: QEMU's render + flatview_simplify fused, in doubles over a
 * reusable struct-of-arrays piece list. render.ts keeps the bigint reference versions
 * (renderRanges, simplifyRanges), which this falls back to and is tested against.
 *
 * Why (measured with --cpu-prof / --trace-gc on bench/engine.ts): the reference render
 * allocates ~290 bytes per flat range (a FlatRange per piece, bigints per region visited, an
 * empty splice result per insertion, chunk copies, the output array) and most of it stays
 * alive until the render ends. At 10k ranges that fits V8's young generation and dies there;
 * at 100k it does not, so scavenges copy and promote the half-built view over and over (45%
 * of the time was GC, render.100k / render.10k was ~30x for ~12.5x more work). Here pieces
 * live in typed arrays reused by every render, ordered through chunks of ids in one
 * Int32Array; doubles pass between calls through a Float64Array frame (a double argument
 * beyond the Smi range is boxed on every call); so what a render allocates is essentially the
 * final FlatRanges and their bigints (a range's start is its predecessor's end object, its
 * base its start object when equal): ~170 bytes per range in all, ~100 of them kept.
 * Bigint pieces in plain arrays were tried and were slower (old-space arrays filled with young
 * bigints: a remembered-set entry per store, and per-region bigint temporaries).
 *
 * Exactness: every input bigint is converted with a check (exact when |n| < 2^53, otherwise
 * verified by converting back), every sum is checked (exact when |s| < 2^53 for integer
 * operands, otherwise verified with Fast2Sum's error term), and comparisons of exact doubles
 * are exact. So 2^64-sized roots and windows ending at 2^64 stay on this path, while any
 * value a double cannot hold (an end at 2^64 − 1, say) sets `inexact` and the whole render is
 * redone with bigints. Either way the result equals simplifyRanges(renderRanges(...)).
 */
import { FlatRange } from './flatView';
import type { MemoryRegion } from './region';
import { renderRanges, simplifyRanges } from './render';
import { SIZE_2_64 } from './types';

const SAFE = 2 ** 53;
/** Most pieces per chunk of the ordered piece list (insertions cost O(log n + CHUNK)). */
const CHUNK = 64;
const STRIDE = CHUNK + 1;
const F_ROMD = 1;
const F_READONLY = 2;
const F_NONVOLATILE = 4;

/**
 * The render state: pieces as a struct of arrays, and the ordered piece list as chunk slots of
 * STRIDE ids in `slots`, with `order` listing the slots by address. One instance is reused by
 * every render (grown by doubling); fields of a class instance, unlike module-level `let`
 * bindings, need no TDZ checks in optimized code.
 */
class Renderer {
  pieceCap = 0;
  pieceCount = 0;
  pStart: Float64Array = new Float64Array(0);
  pEnd: Float64Array = new Float64Array(0);
  pBase: Float64Array = new Float64Array(0);
  /** Per render depth: the container's base, clip start and clip end (see renderRegion). */
  frame: Float64Array = new Float64Array(3 * 64);
  pMask = new Int32Array(0);
  pFlags = new Uint8Array(0);
  readonly pMr: Array<MemoryRegion | null> = [];
  slotCap = 0;
  slotCount = 0;
  slots = new Int32Array(0);
  slotLen = new Int32Array(0);
  order = new Int32Array(0);
  chunkCount = 0;
  /** The cursor: chunk index (into order) and index inside the chunk. */
  posC = 0;
  posI = 0;
  /** Set when a value left the exactly representable domain; the render is then redone. */
  inexact = false;
  /** True while a render runs (a nested render takes the bigint path). */
  busy = false;

  reset(): void {
    this.inexact = false;
    this.pieceCount = 0;
    if (this.slotCap === 0) this.growSlots(64);
    this.slotCount = 1;
    this.slotLen[0] = 0;
    this.order[0] = 0;
    this.chunkCount = 1;
  }

  /** Number(@b), flagging `inexact` when the double is not exactly @b. */
  toNum(b: bigint): number {
    const n = Number(b);
    if ((n >= SAFE || n <= -SAFE) && BigInt(n) !== b) this.inexact = true;
    return n;
  }

  /** a + b, flagging `inexact` when the double sum is rounded. */
  add(a: number, b: number): number {
    const s = a + b;
    if (s >= SAFE || s <= -SAFE) {
      // Fast2Sum: with |x| ≥ |y| the rounding error of s = x + y is exactly y − (s − x).
      const err = Math.abs(a) >= Math.abs(b) ? b - (s - a) : a - (s - b);
      if (err !== 0) this.inexact = true;
    }
    return s;
  }

  /**
   * render_memory_region for @mr, whose container's base and clip window are in
   * frame[3·depth … 3·depth + 2]. Doubles travel through the frame (a Float64Array) rather than
   * as arguments: a double argument outside the Smi range is boxed into a fresh HeapNumber
   * on every call, which was most of what this render still allocated.
   */
  renderRegion(mr: MemoryRegion, depth: number, readonly: boolean, nonvolatile: boolean): void {
    if (!mr.enabled || this.inexact) return;
    const k = depth * 3;
    const up = this.frame;
    const base = this.add(up[k]!, this.toNum(mr.addr));
    let clipStart = up[k + 1]!;
    let clipEnd = up[k + 2]!;
    readonly ||= mr.readonly;
    nonvolatile ||= mr.nonvolatile;
    const ownEnd = this.add(base, this.toNum(mr.size));
    // QEMU addrrange_intersects: one range contains the other's start.
    if (!((clipStart >= base && clipStart < ownEnd) || (base >= clipStart && base < clipEnd)))
      return;
    if (base > clipStart) clipStart = base;
    if (ownEnd < clipEnd) clipEnd = ownEnd;

    const n = k + 3;
    if (n + 3 > this.frame.length) this.growFrame();
    const target = mr.alias;
    if (target) {
      // The target adds its own addr back: it shows at (alias start − alias offset).
      const f = this.frame;
      f[n] = this.add(this.add(base, -this.toNum(target.addr)), -this.toNum(mr.aliasOffset));
      f[n + 1] = clipStart;
      f[n + 2] = clipEnd;
      this.renderRegion(target, depth + 1, readonly, nonvolatile);
      return;
    }
    const children = mr.subregions;
    for (let i = 0; i < children.length; i++) {
      const f = this.frame; // a deeper call may have grown it
      f[n] = base;
      f[n + 1] = clipStart;
      f[n + 2] = clipEnd;
      this.renderRegion(children[i]!, depth + 1, readonly, nonvolatile);
    }
    if (!mr.terminates || clipStart >= clipEnd || this.inexact) return;
    const f = this.frame;
    f[n] = base;
    f[n + 1] = clipStart;
    f[n + 2] = clipEnd;
    const flags =
      (mr.romdMode ? F_ROMD : 0) | (readonly ? F_READONLY : 0) | (nonvolatile ? F_NONVOLATILE : 0);
    this.fillGaps(mr, n, mr.effectiveDirtyLogMask(), flags);
  }

  /**
   * Adds pieces of @mr in every part of [clipStart, clipEnd) that no piece covers yet, with
   * base, clipStart and clipEnd in frame[at … at + 2].
   */
  fillGaps(mr: MemoryRegion, at: number, mask: number, flags: number): void {
    const base = this.frame[at]!;
    const clipStart = this.frame[at + 1]!;
    const clipEnd = this.frame[at + 2]!;
    this.locate(at + 1);
    let pos = clipStart;
    while (pos < clipEnd) {
      const next = this.current();
      if (next >= 0 && this.pStart[next]! <= pos) {
        pos = this.pEnd[next]!;
        this.posI++;
        continue;
      }
      const gapEnd = next >= 0 && this.pStart[next]! < clipEnd ? this.pStart[next]! : clipEnd;
      if (this.pieceCount === this.pieceCap) this.growPieces(Math.max(1024, this.pieceCap * 2));
      const id = this.pieceCount++;
      this.pStart[id] = pos;
      this.pEnd[id] = gapEnd;
      this.pBase[id] = base;
      this.pMask[id] = mask;
      this.pFlags[id] = flags;
      this.pMr[id] = mr;
      this.insert(id);
      pos = gapEnd;
    }
  }

  growFrame(): void {
    const f = new Float64Array(this.frame.length * 2);
    f.set(this.frame);
    this.frame = f;
  }

  /** Moves the cursor to the first piece whose end is above frame[@slot] (the end if none). */
  locate(slot: number): void {
    const addr = this.frame[slot]!;
    const { order, slotLen, slots, pEnd } = this;
    // Finger: siblings render newest first, mostly in descending (or ascending) address order,
    // so the answer is usually at the cursor or just before it; no search then.
    const c0 = this.posC;
    const at0 = order[c0]! * STRIDE;
    const len0 = slotLen[order[c0]!]!;
    for (let k = this.posI; k >= this.posI - 1 && k >= 0; k--) {
      if (k >= len0 || pEnd[slots[at0 + k]!]! <= addr) continue;
      let before = -Infinity;
      if (k > 0) before = pEnd[slots[at0 + k - 1]!]!;
      else if (c0 > 0) {
        const prev = order[c0 - 1]!;
        const prevLen = slotLen[prev]!;
        if (prevLen !== 0) before = pEnd[slots[prev * STRIDE + prevLen - 1]!]!;
        else continue;
      }
      if (before <= addr) {
        this.posI = k;
        return;
      }
    }
    let lo = 0;
    let hi = this.chunkCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const slot = this.order[mid]!;
      const len = this.slotLen[slot]!;
      if (len !== 0 && this.pEnd[this.slots[slot * STRIDE + len - 1]!]! > addr) hi = mid;
      else lo = mid + 1;
    }
    const at = this.order[lo]! * STRIDE;
    let a = 0;
    let b = this.slotLen[this.order[lo]!]!;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.pEnd[this.slots[at + mid]!]! > addr) b = mid;
      else a = mid + 1;
    }
    this.posC = lo;
    this.posI = a;
  }

  /** The piece at the cursor, or -1 at the end; moves the cursor to a non-empty chunk first. */
  current(): number {
    while (this.posI >= this.slotLen[this.order[this.posC]!]! && this.posC < this.chunkCount - 1) {
      this.posC++;
      this.posI = 0;
    }
    const slot = this.order[this.posC]!;
    return this.posI < this.slotLen[slot]! ? this.slots[slot * STRIDE + this.posI]! : -1;
  }

  /** Inserts piece @id at the cursor and leaves the cursor just after it. */
  insert(id: number): void {
    let slot = this.order[this.posC]!;
    let at = slot * STRIDE;
    const len = this.slotLen[slot]!;
    this.slots.copyWithin(at + this.posI + 1, at + this.posI, at + len);
    this.slots[at + this.posI] = id;
    this.slotLen[slot] = len + 1;
    this.posI++;
    if (len + 1 <= CHUNK) return;
    // Split the full chunk: its upper half moves to a fresh slot placed right after it.
    if (this.slotCount === this.slotCap) {
      this.growSlots(this.slotCap * 2);
      slot = this.order[this.posC]!;
      at = slot * STRIDE;
    }
    const half = (len + 1) >>> 1;
    const fresh = this.slotCount++;
    this.slots.copyWithin(fresh * STRIDE, at + half, at + len + 1);
    this.slotLen[fresh] = len + 1 - half;
    this.slotLen[slot] = half;
    this.order.copyWithin(this.posC + 2, this.posC + 1, this.chunkCount);
    this.order[this.posC + 1] = fresh;
    this.chunkCount++;
    if (this.posI >= half) {
      this.posC++;
      this.posI -= half;
    }
  }

  growPieces(cap: number): void {
    const grow64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a.subarray(0, this.pieceCount));
      return b;
    };
    this.pStart = grow64(this.pStart);
    this.pEnd = grow64(this.pEnd);
    this.pBase = grow64(this.pBase);
    const mask = new Int32Array(cap);
    mask.set(this.pMask.subarray(0, this.pieceCount));
    this.pMask = mask;
    const flags = new Uint8Array(cap);
    flags.set(this.pFlags.subarray(0, this.pieceCount));
    this.pFlags = flags;
    this.pieceCap = cap;
  }

  growSlots(cap: number): void {
    const s = new Int32Array(cap * STRIDE);
    s.set(this.slots);
    this.slots = s;
    const l = new Int32Array(cap);
    l.set(this.slotLen);
    this.slotLen = l;
    const o = new Int32Array(cap);
    o.set(this.order);
    this.order = o;
    this.slotCap = cap;
  }

  /**
   * flatview_simplify over the pieces in address this.order, creating one FlatRange per merged run.
   * Bigints are shared where values repeat: a range's start is usually its predecessor's end,
   * and its base often equals its start or the previous base.
   */
  buildRanges(): FlatRange[] {
    const out: FlatRange[] = [];
    let prevEnd = NaN;
    let prevEndBig = 0n;
    let prevBase = NaN;
    let prevBaseBig = 0n;
    let run = -1;
    let runEnd = 0;
    const emit = (): void => {
      const start = this.pStart[run]!;
      const base = this.pBase[run]!;
      const startBig = start === prevEnd ? prevEndBig : BigInt(start);
      const endBig = BigInt(runEnd);
      let baseBig: bigint;
      if (base === start) baseBig = startBig;
      else if (base === prevBase) baseBig = prevBaseBig;
      else baseBig = BigInt(base);
      const flags = this.pFlags[run]!;
      out.push(
        new FlatRange(
          this.pMr[run]!,
          baseBig,
          startBig,
          endBig,
          this.pMask[run]!,
          (flags & F_ROMD) !== 0,
          (flags & F_READONLY) !== 0,
          (flags & F_NONVOLATILE) !== 0,
        ),
      );
      prevEnd = runEnd;
      prevEndBig = endBig;
      prevBase = base;
      prevBaseBig = baseBig;
    };
    for (let c = 0; c < this.chunkCount; c++) {
      const slot = this.order[c]!;
      const at = slot * STRIDE;
      const len = this.slotLen[slot]!;
      for (let k = 0; k < len; k++) {
        const id = this.slots[at + k]!;
        // can_merge: adjacent, same region and base (contiguous offsets), same mask and flags.
        if (
          run >= 0 &&
          runEnd === this.pStart[id]! &&
          this.pMr[run] === this.pMr[id] &&
          this.pBase[run] === this.pBase[id] &&
          this.pMask[run] === this.pMask[id] &&
          this.pFlags[run] === this.pFlags[id]
        ) {
          runEnd = this.pEnd[id]!;
          continue;
        }
        if (run >= 0) emit();
        run = id;
        runEnd = this.pEnd[id]!;
      }
    }
    if (run >= 0) emit();
    return out;
  }
}

const renderer = new Renderer();

/**
 * simplifyRanges(renderRanges(@root, @clipStart, @clipEnd)), computed in doubles when every
 * value involved is exactly representable (see the file comment) and with bigints otherwise.
 */
export function renderSimplified(
  root: MemoryRegion | null,
  clipStart: bigint = 0n,
  clipEnd: bigint = SIZE_2_64,
): FlatRange[] {
  if (root === null) return [];
  const r = renderer;
  // Rendering calls no user code, but a re-entered render must not share the pools.
  if (r.busy) return simplifyRanges(renderRanges(root, clipStart, clipEnd));
  r.busy = true;
  try {
    r.reset();
    const cs = r.toNum(clipStart);
    const ce = r.toNum(clipEnd);
    r.frame[0] = 0;
    r.frame[1] = cs;
    r.frame[2] = ce;
    if (!r.inexact) r.renderRegion(root, 0, false, false);
    if (!r.inexact) return r.buildRanges();
  } finally {
    // Keep no topology alive through the pool.
    for (let i = 0; i < r.pieceCount; i++) r.pMr[i] = null;
    r.busy = false;
  }
  return simplifyRanges(renderRanges(root, clipStart, clipEnd));
}
