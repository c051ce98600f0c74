/*
 * Access path: the CPU-facing dispatch (QEMU's AddressSpaceDispatch + softmmu TLB in one).
 *
 * Structure, and why: a dense page table over the 32-bit space — one entry per target page
 * (2^20 entries for 4 KiB pages) in Int32Arrays `rdIdx`/`wrIdx`, each entry 0 (take the slow
 * path) or the index of a DataView over that page of the RAM block behind it. A load is then
 * `views[rdIdx[addr >>> bits]]`, a zero check and `getInt32(addr & mask)`: two array loads and
 * an inlined DataView access, no search and no allocation. QEMU's 6-level radix tree with an
 * MRU section cache, or a sorted range array with a last-hit cache, cost a data-dependent
 * search (or a cache check plus fallback) on every miss; a flat typed array indexed by page is
 * what V8 compiles best, and typed arrays are zero-filled lazily by the OS, so the 8 MB of
 * tables cost nothing until touched. Entries are filled on first use, like a TLB fill: the
 * first access to a page takes the slow path, which classifies the page and installs its fast
 * entries; a commit only forgets the pages of changed ranges. Separate read and write tables
 * let a page be fast for loads while stores still go slow (ROM, dirty tracking armed, decoded
 * code on it).
 *
 * Exactness: a page is fast only if one flat range covers it entirely and that range is plain
 * RAM (or a romd ROM device, for reads) in a contiguous block. Everything else takes the slow
 * path, which follows QEMU 7.2's TCG semantics: whole-page MMIO sections get one
 * memory_region_dispatch_* of the access size; pages shared by several sections or partly
 * unassigned ("subpages") run subpage_accepts + flatview_read/write; stores to read-only RAM
 * are dropped. Watchpoints (an address-range list, any number) keep their pages slow and are
 * checked there; stores into pages that are dirty-clean for a logging client or hold decoded
 * code go slow, mark dirty, call the code-write hook and re-arm the fast entry.
 */
import { AccessValue, dispatchRead, dispatchWrite } from './access';
import type { AddressSpace } from './addressSpace';
import { prepareMmioAccess } from './coalesced';
import { dirtyMemory, type DirtyMemory, type DirtyObserver } from './dirty';
import { unassignedRegion } from './flatAccess';
import type { FlatView } from './flatView';
import type { MemoryListener, MemoryRegionSection } from './listener';
import type { RamBlock } from './ramBlock';
import { rangeIndex, subpageRw, type RangeIndex } from './rangeIndex';
import { MEMTX_OK, MEMTXATTRS_UNSPECIFIED, type MemTxAttrs, type MemTxResult } from './types';

/** Page kinds: not classified yet (fill on next access), no range, one range, several. */
const UNKNOWN = 0;
const UNASSIGNED = 1;
const SINGLE = 2;
const SUBPAGE = 3;

/** A data watchpoint: [start, start+length) for reads, writes or both. */
export interface Watchpoint {
  readonly id: number;
  readonly start: number;
  readonly length: number;
  readonly read: boolean;
  readonly write: boolean;
}

/** A watchpoint hit, reported before the access is performed (the access still happens). */
export interface WatchHit {
  readonly watchpoint: Watchpoint;
  readonly address: number;
  readonly size: number;
  readonly isWrite: boolean;
  /** The value being stored (writes only). */
  readonly value: number;
}

/** Part of a RAM block mapped at guest pages: for dirty observers and code invalidation. */
interface Mapping {
  guestStart: number;
  blockStart: number;
  length: number;
}

/** Options of a CpuMemoryPort. */
export interface CpuMemoryPortOptions {
  /** Attributes of the CPU's accesses (default MEMTXATTRS_UNSPECIFIED). */
  readonly attrs?: MemTxAttrs;
}

/**
 * CpuMemoryPort: a CPU's view of one address space (RV32: u32 addresses, plain numbers).
 * Implements the machine's CpuBus shape: after every call `status` is 0 (MEMTX_OK) or the
 * MemTxResult bits of the failure. load8/16 and fetch16 return unsigned values, load32 and
 * fetch32 the int32 bit pattern. Dispose it when the CPU goes away.
 */
export class CpuMemoryPort implements DirtyObserver {
  /** MemTxResult of the last access (0 = OK). */
  status = 0;
  /** Bumped whenever any page entry changes (for CPUs caching pageView results). */
  generation = 0;
  /** log2 of the target page size. */
  readonly pageBits: number;
  readonly pageSize: number;
  /** Called with (guest address, length) when a store hits a page holding decoded code. */
  codeWriteHook: ((address: number, length: number) => void) | null = null;
  /** Called on every watchpoint hit (before the access). */
  watchHook: ((hit: WatchHit) => void) | null = null;
  /** The most recent watchpoint hit, until the CPU clears it. */
  lastWatchHit: WatchHit | null = null;

  private readonly offMask: number;
  private readonly le: boolean;
  private readonly attrs: MemTxAttrs;
  /** Per page: index into `views` for fast loads / fast stores, 0 = slow path. */
  private readonly rdIdx: Int32Array;
  private readonly wrIdx: Int32Array;
  /** Per page: index of the RAM page's DataView whatever the fast flags say (slow path). */
  private readonly ramIdx: Int32Array;
  private readonly views: DataView[] = [new DataView(new ArrayBuffer(0))];
  private readonly kind: Uint8Array;
  private readonly watchCount: Uint16Array;
  private readonly watchpoints: Watchpoint[] = [];
  private nextWatchId = 1;
  private view: FlatView;
  private idx: RangeIndex;
  private mappings = new Map<RamBlock, Mapping[]>();
  private readonly viewCache = new Map<RamBlock, Map<number, number>>();
  private readonly touched: Array<[number, number]> = [];
  private readonly dirty: DirtyMemory;
  private readonly listener: MemoryListener;
  private readonly codeHandler: (block: RamBlock, offset: number, length: number) => void;
  private readonly out = new AccessValue();
  private readonly scratch = new Uint8Array(8);
  private disposed = false;
  private replaying = false;

  constructor(
    readonly as: AddressSpace,
    options: CpuMemoryPortOptions = {},
  ) {
    const system = as.system;
    this.dirty = dirtyMemory(system);
    this.pageBits = this.dirty.pageBits;
    this.pageSize = this.dirty.pageSize;
    this.offMask = this.pageSize - 1;
    this.le = !system.targetBigEndian;
    this.attrs = options.attrs ?? MEMTXATTRS_UNSPECIFIED;
    const pages = 2 ** (32 - this.pageBits);
    this.rdIdx = new Int32Array(pages);
    this.wrIdx = new Int32Array(pages);
    this.ramIdx = new Int32Array(pages);
    this.kind = new Uint8Array(pages);
    this.watchCount = new Uint16Array(pages);
    this.view = as.flatView;
    this.idx = rangeIndex(this.view);
    this.rebuildMappings();
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

  // ---- hot path -------------------------------------------------------------------------

  fetch16(addr: number): number {
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 1) === 0) {
      this.status = 0;
      return this.views[i]!.getUint16(addr & this.offMask, this.le);
    }
    return this.slowLoad(addr >>> 0, 2, true);
  }

  fetch32(addr: number): number {
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 3) === 0) {
      this.status = 0;
      return this.views[i]!.getInt32(addr & this.offMask, this.le);
    }
    return this.slowLoad(addr >>> 0, 4, true) | 0;
  }

  load8(addr: number): number {
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0) {
      this.status = 0;
      return this.views[i]!.getUint8(addr & this.offMask);
    }
    return this.slowLoad(addr >>> 0, 1, false);
  }

  load16(addr: number): number {
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 1) === 0) {
      this.status = 0;
      return this.views[i]!.getUint16(addr & this.offMask, this.le);
    }
    return this.slowLoad(addr >>> 0, 2, false);
  }

  load32(addr: number): number {
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 3) === 0) {
      this.status = 0;
      return this.views[i]!.getInt32(addr & this.offMask, this.le);
    }
    return this.slowLoad(addr >>> 0, 4, false) | 0;
  }

  store8(addr: number, value: number): void {
    const i = this.wrIdx[addr >>> this.pageBits]!;
    if (i !== 0) {
      this.status = 0;
      this.views[i]!.setUint8(addr & this.offMask, value);
      return;
    }
    this.slowStore(addr >>> 0, 1, value & 0xff);
  }

  store16(addr: number, value: number): void {
    const i = this.wrIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 1) === 0) {
      this.status = 0;
      this.views[i]!.setUint16(addr & this.offMask, value, this.le);
      return;
    }
    this.slowStore(addr >>> 0, 2, value & 0xffff);
  }

  store32(addr: number, value: number): void {
    const i = this.wrIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 3) === 0) {
      this.status = 0;
      this.views[i]!.setInt32(addr & this.offMask, value, this.le);
      return;
    }
    this.slowStore(addr >>> 0, 4, value >>> 0);
  }

  /**
   * The DataView over the RAM page holding @addr (offset `addr & (pageSize-1)` inside it) if
   * loads there may bypass the port, else null. Valid until `generation` changes.
   */
  readPage(addr: number): DataView | null {
    const p = (addr >>> 0) >>> this.pageBits;
    if (this.kind[p] === UNKNOWN) this.computePage(p);
    const i = this.rdIdx[p]!;
    return i === 0 ? null : this.views[i]!;
  }

  /** Like readPage for stores: non-null only while stores need no tracking. */
  writePage(addr: number): DataView | null {
    const p = (addr >>> 0) >>> this.pageBits;
    if (this.kind[p] === UNKNOWN) this.computePage(p);
    const i = this.wrIdx[p]!;
    return i === 0 ? null : this.views[i]!;
  }

  /**
   * True when instructions fetched from the page of @addr may be cached by the CPU: the page
   * is RAM, ROM or a romd ROM device. The page is then protected (tlb_protect_code): any later
   * write into it, from any master, calls codeWriteHook first.
   */
  isCodeCacheable(addr: number): boolean {
    const p = (addr >>> 0) >>> this.pageBits;
    if (this.kind[p] === UNKNOWN) this.computePage(p);
    if (this.ramIdx[p] === 0 || this.kind[p] !== SINGLE) return false;
    const i = this.idx.find(addr >>> 0);
    const fr = this.view.ranges[i]!;
    const block = fr.mr.ramBlock!;
    this.dirty.protectCode(block, (addr >>> 0) - this.idx.starts[i]! + this.idx.offsets[i]!);
    return true;
  }

  // ---- watchpoints ----------------------------------------------------------------------

  /** Adds a data watchpoint on [start, start+length) (u32 addresses); returns it. */
  addWatchpoint(start: number, length: number, kind: 'read' | 'write' | 'access'): Watchpoint {
    if (!Number.isInteger(start) || start < 0 || start > 0xffffffff)
      throw new RangeError(`watchpoint start ${start} is not a u32 address`);
    if (!Number.isInteger(length) || length < 1 || start + length > 2 ** 32)
      throw new RangeError(`watchpoint length ${length} is invalid`);
    const wp: Watchpoint = {
      id: this.nextWatchId++,
      start,
      length,
      read: kind !== 'write',
      write: kind !== 'read',
    };
    this.watchpoints.push(wp);
    this.forWatchPages(wp, +1);
    return wp;
  }

  /** Removes a watchpoint by id; returns whether it existed. */
  removeWatchpoint(id: number): boolean {
    const i = this.watchpoints.findIndex((w) => w.id === id);
    if (i < 0) return false;
    const [wp] = this.watchpoints.splice(i, 1);
    this.forWatchPages(wp!, -1);
    return true;
  }

  /** The current watchpoints. */
  listWatchpoints(): readonly Watchpoint[] {
    return this.watchpoints;
  }

  private forWatchPages(wp: Watchpoint, delta: number): void {
    const first = wp.start >>> this.pageBits;
    const last = (wp.start + wp.length - 1) >>> this.pageBits;
    for (let p = first; p <= last; p++) {
      this.watchCount[p]! += delta;
      this.forgetPage(p);
    }
    this.generation++;
  }

  private checkWatch(addr: number, size: number, isWrite: boolean, value: number): void {
    for (const wp of this.watchpoints) {
      if ((isWrite ? wp.write : wp.read) && addr < wp.start + wp.length && wp.start < addr + size) {
        const hit: WatchHit = { watchpoint: wp, address: addr, size, isWrite, value };
        this.lastWatchHit = hit;
        this.watchHook?.(hit);
      }
    }
  }

  // ---- slow path ------------------------------------------------------------------------

  private slowLoad(addr: number, size: number, fetch: boolean): number {
    const p = addr >>> this.pageBits;
    if (!fetch && this.watchCount[p] !== 0) this.checkWatch(addr, size, false, 0);
    if ((addr & this.offMask) + size > this.pageSize) {
      // Crosses a page: byte by byte (the CPU normally splits misaligned accesses itself).
      let v = 0;
      let st = 0;
      for (let i = 0; i < size; i++) {
        const b = this.slowLoad((addr + i) >>> 0, 1, fetch);
        st |= this.status;
        v += b * 2 ** (8 * (this.le ? i : size - 1 - i));
      }
      this.status = st;
      return v;
    }
    if (this.kind[p] === UNKNOWN) this.computePage(p);
    const k = this.kind[p];
    if (k === SUBPAGE) {
      const buf = this.scratch;
      const attrs = this.attrs;
      let r = subpageRw(this.as.system, this.idx, addr, buf, size, false, attrs, true, this.out);
      if (r === MEMTX_OK)
        r = subpageRw(this.as.system, this.idx, addr, buf, size, false, attrs, false, this.out);
      this.status = r;
      if (r !== MEMTX_OK) return 0;
      let v = 0;
      for (let i = 0; i < size; i++) v += buf[i]! * 2 ** (8 * (this.le ? i : size - 1 - i));
      return v;
    }
    const ri = this.ramIdx[p]!;
    if (ri !== 0) {
      const view = this.views[ri]!;
      this.status = 0;
      const off = addr & this.offMask;
      return size === 1
        ? view.getUint8(off)
        : size === 2
          ? view.getUint16(off, this.le)
          : view.getUint32(off, this.le);
    }
    let mr;
    let off: number;
    if (k === UNASSIGNED) {
      mr = unassignedRegion(this.as.system);
      off = addr;
    } else {
      const i = this.idx.find(addr);
      mr = this.view.ranges[i]!.mr;
      off = addr - this.idx.starts[i]! + this.idx.offsets[i]!;
    }
    prepareMmioAccess(mr);
    const out = this.out;
    this.status = dispatchRead(mr, off, size, this.attrs, out, !this.le);
    return out.value;
  }

  private slowStore(addr: number, size: number, value: number): void {
    const p = addr >>> this.pageBits;
    if (this.watchCount[p] !== 0) this.checkWatch(addr, size, true, value);
    if ((addr & this.offMask) + size > this.pageSize) {
      let st = 0;
      for (let i = 0; i < size; i++) {
        const b = Math.floor(value / 2 ** (8 * (this.le ? i : size - 1 - i))) & 0xff;
        this.slowStore((addr + i) >>> 0, 1, b);
        st |= this.status;
      }
      this.status = st;
      return;
    }
    if (this.kind[p] === UNKNOWN) this.computePage(p);
    const k = this.kind[p];
    const system = this.as.system;
    if (k === SUBPAGE) {
      const buf = this.scratch;
      for (let i = 0; i < size; i++)
        buf[i] = Math.floor(value / 2 ** (8 * (this.le ? i : size - 1 - i))) & 0xff;
      let r = subpageRw(system, this.idx, addr, buf, size, true, this.attrs, true, this.out);
      if (r === MEMTX_OK)
        r = subpageRw(system, this.idx, addr, buf, size, true, this.attrs, false, this.out);
      this.status = r;
      return;
    }
    if (k === UNASSIGNED) {
      this.status = dispatchWrite(
        unassignedRegion(system),
        addr,
        size,
        value,
        BigInt(value),
        this.attrs,
        !this.le,
      );
      return;
    }
    const i = this.idx.find(addr);
    const fr = this.view.ranges[i]!;
    const mr = fr.mr;
    const off = addr - this.idx.starts[i]! + this.idx.offsets[i]!;
    if (mr.ram && !mr.ramDevice) {
      this.status = 0;
      if (fr.readonly) return; // TLB_DISCARD_WRITE
      const ri = this.ramIdx[p]!;
      const po = addr & this.offMask;
      if (ri !== 0) {
        const view = this.views[ri]!;
        if (size === 1) view.setUint8(po, value);
        else if (size === 2) view.setUint16(po, value, this.le);
        else view.setUint32(po, value, this.le);
      } else {
        const buf = this.scratch.subarray(0, size);
        for (let j = 0; j < size; j++)
          buf[j] = Math.floor(value / 2 ** (8 * (this.le ? j : size - 1 - j))) & 0xff;
        mr.ramBlock!.write(off, buf);
      }
      this.dirty.afterWrite(mr, mr.ramBlock!, off, size);
      this.computePage(p);
      return;
    }
    prepareMmioAccess(mr);
    this.status = dispatchWrite(mr, off, size, value, BigInt(value), this.attrs, !this.le);
  }

  // ---- table maintenance ----------------------------------------------------------------

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
    for (const [first, last] of this.touched)
      for (let p = first; p <= last; p++) this.computePage(p);
    this.touched.length = 0;
    this.generation++;
  }

  private rebuildMappings(): void {
    this.mappings = new Map();
    const idx = this.idx;
    for (let i = 0; i < idx.starts.length && idx.starts[i]! < 2 ** 32; i++) {
      const block = idx.ranges[i]!.mr.ramBlock;
      if (!block) continue;
      let list = this.mappings.get(block);
      if (!list) this.mappings.set(block, (list = []));
      list.push({
        guestStart: idx.starts[i]!,
        blockStart: idx.offsets[i]!,
        length: Math.min(idx.ends[i]!, 2 ** 32) - idx.starts[i]!,
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

  /** Drops what is known about page @p; the next access classifies it again. */
  private forgetPage(p: number): void {
    this.kind[p] = UNKNOWN;
    this.rdIdx[p] = this.wrIdx[p] = this.ramIdx[p] = 0;
  }

  /** Recomputes page @p's kind and its read/write fast entries. */
  private computePage(p: number): void {
    const start = p * this.pageSize;
    const end = start + this.pageSize;
    const idx = this.idx;
    const i = idx.firstEndingAfter(start);
    this.rdIdx[p] = this.wrIdx[p] = this.ramIdx[p] = 0;
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
    this.rdIdx[p] = view;
    if (mr.ram && !mr.ramDevice && !fr.readonly) {
      // Fast stores only while every block page under this guest page is dirty for every
      // client of the range's log mask (TLB_NOTDIRTY otherwise) and holds no decoded code.
      const mask = fr.dirtyLogMask;
      const bits = this.dirty.bitmap(block);
      const b0 = Math.floor(blockOff / this.pageSize);
      const b1 = Math.floor((blockOff + this.pageSize - 1) / this.pageSize);
      if ((bits[b0]! & mask) === mask && (bits[b1]! & mask) === mask) this.wrIdx[p] = view;
    }
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
      for (let p = g0 >>> this.pageBits; p <= g1 >>> this.pageBits; p++) this.wrIdx[p] = 0;
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

/** Result type re-exported for CPU code that checks `status`. */
export type { MemTxResult };
