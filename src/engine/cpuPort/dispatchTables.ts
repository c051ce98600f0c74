/*
 * Access path: the page tables behind the CPU dispatch (dispatch.ts) and their maintenance —
 * lazy classification of pages (a TLB fill), invalidation of the pages of changed ranges at
 * each commit, the RAM window, dirty-observer and code-write plumbing. See dispatch.ts for why
 * the structure looks like this.
 *
 * Tables, per target page of the 32-bit space (typed arrays, zero-filled lazily by the OS):
 *   kind   UNKNOWN (classify on next access) / UNASSIGNED / SINGLE (one range covers the
 *          page) / SUBPAGE (several ranges or a partial range)
 *   rdIdx  index into `views` of the page's DataView when loads may go straight to RAM, else 0
 *   wrIdx  same for stores (RAM, not read-only, dirty for every logging client, no code)
 *   ramIdx the page's RAM DataView whatever the fast flags (the slow path's direct access)
 * The RAM window: the largest RAM flat range, page-aligned, with one DataView over all of it.
 * Loads check only `(addr - base) >>> 0 < winRdSize` — every page of one RAM range is
 * readable directly, so no per-page flag is needed; winRdSize drops to 0 while a watchpoint
 * overlaps the window (loads then use the per-page tables). Stores check one byte per page
 * instead (winWr, 1 mirroring wrIdx != 0), since dirty tracking and code protection are per
 * page; winWr has exactly one entry per window page, so `winWr[o >>> pageBits] === 1` is also
 * the window bounds check (an index past the end reads undefined). Alignment is tested on the
 * window offset `o` (the window is page-aligned), which stays an int32 in optimized code.
 * One DataView that stays in cache is what brings RAM accesses close to raw DataView speed.
 */
import type {
  AddressSpace,
  FlatView,
  MemoryListener,
  MemoryRegionSection,
  RamBlock,
} from '../core';
import { dirtyMemory, type DirtyMemory, type DirtyObserver } from '../access';
import { rangeIndex, type RangeIndex } from './rangeIndex';

/** Page kinds. */
export const UNKNOWN = 0;
export const UNASSIGNED = 1;
export const SINGLE = 2;
export const SUBPAGE = 3;

/** Part of a RAM block mapped at guest addresses: for dirty observers and code invalidation. */
interface Mapping {
  guestStart: number;
  blockStart: number;
  length: number;
}

const NO_VIEW = new DataView(new ArrayBuffer(0));
const NO_FLAGS = new Uint8Array(0);
const TWO_32 = 2 ** 32;

/**
 * @v as a Smi when it fits (below 2^30): V8 then keeps the field as a small integer instead of a
 * boxed double, which saves a load on every access that reads it.
 */
function smallInt(v: number): number {
  return v < 0x40000000 ? v | 0 : v;
}

/** Page tables of one CPU's view of an address space. */
export abstract class DispatchTables implements DirtyObserver {
  /** Bumped whenever any page entry changes (for CPUs caching readPage/writePage results). */
  generation = 0;
  /** log2 of the target page size. */
  readonly pageBits: number;
  readonly pageSize: number;
  /** Called with (guest address, length) when a store hits a page holding decoded code. */
  codeWriteHook: ((address: number, length: number) => void) | null = null;

  protected readonly offMask: number;
  protected readonly le: boolean;
  protected readonly rdIdx: Int32Array;
  protected readonly wrIdx: Int32Array;
  protected readonly ramIdx: Int32Array;
  protected readonly views: DataView[] = [NO_VIEW];
  protected readonly kind: Uint8Array;
  protected readonly watchCount: Uint16Array;
  // The RAM window (size 0 = none).
  protected winBase = 0;
  /**
   * winBase as an int32 (winBase | 0): the hot paths compute (addr - winBase32) >>> 0, equal to
   * (addr - winBase) >>> 0 since >>> 0 works modulo 2^32, but a Smi field is read directly
   * while a base at or above 2^31 (0x80000000 on RISC-V boards) would be a boxed double.
   */
  protected winBase32 = 0;
  protected winSize = 0;
  /** winSize, or 0 while a watchpoint overlaps the window. */
  protected winRdSize = 0;
  protected winFirstPage = 0;
  protected winView: DataView = NO_VIEW;
  protected winWr: Uint8Array = NO_FLAGS;
  private winKey = '';

  protected view: FlatView;
  protected idx: RangeIndex;
  protected readonly dirty: DirtyMemory;
  private mappings = new Map<RamBlock, Mapping[]>();
  private readonly viewCache = new Map<RamBlock, Map<number, number>>();
  private readonly touched: Array<[number, number]> = [];
  private readonly listener: MemoryListener;
  private readonly codeHandler: (block: RamBlock, offset: number, length: number) => void;
  private replaying = false;
  private disposed = false;

  constructor(readonly as: AddressSpace) {
    const system = as.system;
    this.dirty = dirtyMemory(system);
    this.pageBits = this.dirty.pageBits;
    this.pageSize = this.dirty.pageSize;
    this.offMask = this.pageSize - 1;
    this.le = !system.targetBigEndian;
    const pages = 2 ** (32 - this.pageBits);
    this.rdIdx = new Int32Array(pages);
    this.wrIdx = new Int32Array(pages);
    this.ramIdx = new Int32Array(pages);
    this.kind = new Uint8Array(pages);
    this.watchCount = new Uint16Array(pages);
    this.view = as.flatView;
    this.idx = rangeIndex(this.view);
    this.rebuildMappings();
    this.chooseWindow();
    this.dirty.observers.add(this);
    this.codeHandler = (block, offset, length) => this.codeWritten(block, offset, length);
    this.dirty.codeWriteHandlers.add(this.codeHandler);
    const note = (s: MemoryRegionSection): void => this.noteSection(s);
    this.listener = {
      name: 'cpu-dispatch',
      regionAdd: note,
      regionDel: note,
      logStart: note,
      logStop: note,
      commit: () => this.commit(),
    };
    // The registration replays the current view; pages are classified lazily anyway.
    this.replaying = true;
    try {
      system.registerListener(this.listener, as);
    } finally {
      this.replaying = false;
      this.touched.length = 0;
    }
  }

  /** Stops following the address space. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.as.system.unregisterListener(this.listener);
    this.dirty.observers.delete(this);
    this.dirty.codeWriteHandlers.delete(this.codeHandler);
  }

  private noteSection(s: MemoryRegionSection): void {
    if (this.replaying) return;
    const start = s.offsetWithinAddressSpace;
    if (start >= 1n << 32n || s.size === 0n) return;
    let end = start + s.size;
    if (end > 1n << 32n) end = 1n << 32n;
    this.touched.push([Number(start) >>> this.pageBits, (Number(end) - 1) >>> this.pageBits]);
  }

  private commit(): void {
    if (this.replaying) return;
    const view = this.as.flatView;
    if (view === this.view && this.touched.length === 0) return;
    this.view = view;
    this.idx = rangeIndex(view);
    this.rebuildMappings();
    this.chooseWindow();
    for (const [first, last] of this.touched) {
      for (let p = first; p <= last; p++) this.forgetPage(p);
    }
    this.touched.length = 0;
    this.generation++;
  }

  /** Picks the largest contiguous RAM range (page-aligned part) as the window. */
  private chooseWindow(): void {
    const idx = this.idx;
    let best = -1;
    let bestSize = 0;
    let bestStart = 0;
    for (let i = 0; i < idx.starts.length && idx.starts[i]! < TWO_32; i++) {
      const mr = idx.ranges[i]!.mr;
      if (!mr.ram || mr.ramDevice || !mr.ramBlock || mr.ramBlock.contiguous === null) continue;
      const start = Math.ceil(idx.starts[i]! / this.pageSize) * this.pageSize;
      const end = Math.floor(Math.min(idx.ends[i]!, TWO_32) / this.pageSize) * this.pageSize;
      if (end - start > bestSize) {
        best = i;
        bestSize = end - start;
        bestStart = start;
      }
    }
    // The window's accessors are compiled for little-endian data (the RISC-V target); a
    // big-endian target simply uses the per-page tables.
    if (best < 0 || !this.le) {
      this.winKey = '';
      this.winBase = this.winBase32 = this.winSize = this.winRdSize = this.winFirstPage = 0;
      this.winView = NO_VIEW;
      this.winWr = NO_FLAGS;
      return;
    }
    const fr = idx.ranges[best]!;
    const block = fr.mr.ramBlock!;
    const blockOff = bestStart - idx.starts[best]! + idx.offsets[best]!;
    const key = `${bestStart}:${bestSize}:${blockOff}:${block.name}`;
    if (key === this.winKey && this.winView.buffer === block.contiguous!.buffer) {
      this.updateReadWindow();
      return;
    }
    this.winKey = key;
    const bytes = block.contiguous!;
    this.winBase = bestStart;
    this.winBase32 = bestStart | 0;
    this.winSize = smallInt(bestSize);
    this.winFirstPage = smallInt(bestStart / this.pageSize);
    this.winView = new DataView(bytes.buffer, bytes.byteOffset + blockOff, bestSize);
    this.winWr = new Uint8Array(bestSize / this.pageSize);
    // Pages already classified keep their entries; mirror them.
    for (let k = 0; k < this.winWr.length; k++) {
      this.winWr[k] = this.wrIdx[this.winFirstPage + k] !== 0 ? 1 : 0;
    }
    this.updateReadWindow();
  }

  /** Enables window loads unless a watchpoint page lies inside the window. */
  protected updateReadWindow(): void {
    const first = this.winFirstPage;
    const n = this.winWr.length;
    let size = this.winSize;
    for (let k = 0; k < n; k++) {
      if (this.watchCount[first + k] !== 0) {
        size = 0;
        break;
      }
    }
    if (size !== this.winRdSize) this.generation++;
    this.winRdSize = smallInt(size);
  }

  private rebuildMappings(): void {
    this.mappings = new Map();
    const idx = this.idx;
    for (let i = 0; i < idx.starts.length && idx.starts[i]! < TWO_32; i++) {
      const block = idx.ranges[i]!.mr.ramBlock;
      if (!block) continue;
      let list = this.mappings.get(block);
      if (!list) this.mappings.set(block, (list = []));
      list.push({
        guestStart: idx.starts[i]!,
        blockStart: idx.offsets[i]!,
        length: Math.min(idx.ends[i]!, TWO_32) - idx.starts[i]!,
      });
    }
  }

  /** Index in `views` of the DataView over [byteOffset, +pageSize) of @block (cached). */
  private pageView(block: RamBlock, byteOffset: number): number {
    let m = this.viewCache.get(block);
    if (!m) this.viewCache.set(block, (m = new Map()));
    let i = m.get(byteOffset);
    if (i === undefined) {
      const bytes = block.contiguous!;
      i = this.views.length;
      this.views.push(new DataView(bytes.buffer, bytes.byteOffset + byteOffset, this.pageSize));
      m.set(byteOffset, i);
    }
    return i;
  }

  private setFast(p: number, rd: number, wr: number): void {
    this.rdIdx[p] = rd;
    this.wrIdx[p] = wr;
    const k = p - this.winFirstPage;
    if (k >= 0 && k < this.winWr.length) this.winWr[k] = wr !== 0 ? 1 : 0;
  }

  /** Drops what is known about page @p; the next access classifies it again. */
  protected forgetPage(p: number): void {
    this.kind[p] = UNKNOWN;
    this.ramIdx[p] = 0;
    this.setFast(p, 0, 0);
  }

  /** Classifies page @p and installs its fast entries (the TLB fill). */
  protected computePage(p: number): void {
    const start = p * this.pageSize;
    const end = start + this.pageSize;
    const idx = this.idx;
    const i = idx.firstEndingAfter(start);
    this.ramIdx[p] = 0;
    this.setFast(p, 0, 0);
    if (i >= idx.starts.length || idx.starts[i]! >= end) {
      this.kind[p] = UNASSIGNED;
      return;
    }
    if (idx.starts[i]! > start || idx.ends[i]! < end) {
      this.kind[p] = SUBPAGE;
      return;
    }
    this.kind[p] = SINGLE;
    const fr = idx.ranges[i]!;
    const mr = fr.mr;
    const block = mr.ramBlock;
    const readable = (mr.ram && !mr.ramDevice) || (mr.romDevice && mr.romdMode);
    if (!readable || block === null || block.contiguous === null) return;
    const blockOff = start - idx.starts[i]! + idx.offsets[i]!;
    if (blockOff + this.pageSize > block.usedLength) return;
    const view = this.pageView(block, blockOff);
    this.ramIdx[p] = view;
    if (this.watchCount[p] !== 0) return;
    let wr = 0;
    if (mr.ram && !mr.ramDevice && !fr.readonly) {
      // Fast stores only while every block page under this guest page is dirty for every
      // client of the range's log mask (TLB_NOTDIRTY otherwise) and holds no decoded code.
      const mask = fr.dirtyLogMask;
      const bits = this.dirty.bitmap(block);
      const b0 = Math.floor(blockOff / this.pageSize);
      const b1 = Math.floor((blockOff + this.pageSize - 1) / this.pageSize);
      if ((bits[b0]! & mask) === mask && (bits[b1]! & mask) === mask) wr = view;
    }
    this.setFast(p, view, wr);
  }

  /** DirtyObserver: pages of @block lost a dirty bit: withdraw their fast stores. */
  pagesCleaned(block: RamBlock, firstPage: number, lastPage: number): void {
    const list = this.mappings.get(block);
    if (!list) return;
    const lo = firstPage * this.pageSize;
    const hi = (lastPage + 1) * this.pageSize;
    for (const m of list) {
      const a = Math.max(lo, m.blockStart);
      const b = Math.min(hi, m.blockStart + m.length);
      if (a >= b) continue;
      const g0 = m.guestStart + (a - m.blockStart);
      const g1 = m.guestStart + (b - m.blockStart) - 1;
      for (let p = g0 >>> this.pageBits; p <= g1 >>> this.pageBits; p++) {
        this.setFast(p, this.rdIdx[p]!, 0);
      }
    }
    this.generation++;
  }

  private codeWritten(block: RamBlock, offset: number, length: number): void {
    const hook = this.codeWriteHook;
    const list = this.mappings.get(block);
    if (!hook || !list) return;
    for (const m of list) {
      const a = Math.max(offset, m.blockStart);
      const b = Math.min(offset + length, m.blockStart + m.length);
      if (a < b) hook(m.guestStart + (a - m.blockStart), b - a);
    }
  }
}
