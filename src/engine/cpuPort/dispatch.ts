/*
 * Access path: the CPU-facing dispatch (QEMU's AddressSpaceDispatch + softmmu TLB in one).
 *
 * Structure, and why (measured in bench/engine-access.ts): every load/store first checks the
 * RAM window — `(addr - base) >>> 0 < size`, one byte of a small per-page flag array, then one
 * DataView over the whole window — and otherwise a dense page table over the 32-bit space
 * (Int32Arrays indexed by `addr >>> pageBits`, holding the index of a per-page DataView or 0
 * for the slow path). QEMU's 6-level radix tree with an MRU section cache, or a sorted range
 * array with a last-hit cache, cost a data-dependent search (or a cache check plus fallback)
 * on every miss; flat typed arrays indexed by page are what V8 compiles best, cost nothing
 * until touched (the OS zero-fills them lazily) and never allocate per access. With random
 * accesses the per-page DataView objects themselves miss the cache, hence the window: most
 * boards have one big RAM, and for it the hot path touches one DataView and a flag array of a
 * byte per page. Entries are filled on first use, like a TLB fill; a commit forgets only the
 * pages of changed ranges (dispatchTables.ts). Read and write entries are separate so a page
 * can be fast for loads while stores still go slow (ROM, dirty tracking armed, code on it).
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
import {
  AccessValue,
  dispatchRead,
  dispatchWrite,
  prepareMmioAccess,
  unassignedRegion,
} from '../access';
import {
  type AddressSpace,
  type MemoryRegion,
  MEMTX_OK,
  MEMTXATTRS_UNSPECIFIED,
  type MemTxAttrs,
  type MemTxResult,
} from '../core';
import { DispatchTables, SINGLE, SUBPAGE, UNASSIGNED, UNKNOWN } from './dispatchTables';
import { accessSize, subpageRw } from './rangeIndex';

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

/** A snapshot of the port's RAM window (see CpuMemoryPort.ramWindow). */
export interface RamWindow {
  readonly base: number;
  readonly loadSize: number;
  readonly storeSize: number;
  readonly view: DataView;
  readonly storeFlags: Uint8Array;
  readonly pageBits: number;
  readonly generation: number;
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
export class CpuMemoryPort extends DispatchTables {
  /** MemTxResult of the last access (0 = OK). */
  status = 0;
  /** Called on every watchpoint hit (before the access). */
  watchHook: ((hit: WatchHit) => void) | null = null;
  /** The most recent watchpoint hit, until the CPU clears it. */
  lastWatchHit: WatchHit | null = null;

  private readonly attrs: MemTxAttrs;
  private readonly watchpoints: Watchpoint[] = [];
  private nextWatchId = 1;
  private readonly out = new AccessValue();
  private readonly scratch = new Uint8Array(8);
  /** Region offset found by subpageSingle. */
  private xlat = 0;

  constructor(as: AddressSpace, options: CpuMemoryPortOptions = {}) {
    super(as);
    this.attrs = options.attrs ?? MEMTXATTRS_UNSPECIFIED;
  }

  // ---- hot path -------------------------------------------------------------------------

  /** Instruction fetch of a 16-bit parcel (unsigned). */
  fetch16(addr: number): number {
    const o = (addr - this.winBase32) >>> 0;
    if (o < this.winRdSize && (o & 1) === 0) {
      this.status = 0;
      return this.winView.getUint16(o, true);
    }
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 1) === 0) {
      this.status = 0;
      return this.views[i]!.getUint16(addr & this.offMask, this.le);
    }
    return this.slowLoad(addr >>> 0, 2, true);
  }

  /** Instruction fetch of 32 bits (int32 bit pattern). */
  fetch32(addr: number): number {
    const o = (addr - this.winBase32) >>> 0;
    if (o < this.winRdSize && (o & 3) === 0) {
      this.status = 0;
      return this.winView.getInt32(o, true);
    }
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 3) === 0) {
      this.status = 0;
      return this.views[i]!.getInt32(addr & this.offMask, this.le);
    }
    return this.slowLoad(addr >>> 0, 4, true) | 0;
  }

  /** Loads: load8/load16 unsigned, load32 the int32 bit pattern. */
  load8(addr: number): number {
    const o = (addr - this.winBase32) >>> 0;
    if (o < this.winRdSize) {
      this.status = 0;
      return this.winView.getUint8(o);
    }
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0) {
      this.status = 0;
      return this.views[i]!.getUint8(addr & this.offMask);
    }
    return this.slowLoad(addr >>> 0, 1, false);
  }

  load16(addr: number): number {
    const o = (addr - this.winBase32) >>> 0;
    if (o < this.winRdSize && (o & 1) === 0) {
      this.status = 0;
      return this.winView.getUint16(o, true);
    }
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 1) === 0) {
      this.status = 0;
      return this.views[i]!.getUint16(addr & this.offMask, this.le);
    }
    return this.slowLoad(addr >>> 0, 2, false);
  }

  load32(addr: number): number {
    const o = (addr - this.winBase32) >>> 0;
    if (o < this.winRdSize && (o & 3) === 0) {
      this.status = 0;
      return this.winView.getInt32(o, true);
    }
    const i = this.rdIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 3) === 0) {
      this.status = 0;
      return this.views[i]!.getInt32(addr & this.offMask, this.le);
    }
    return this.slowLoad(addr >>> 0, 4, false) | 0;
  }

  /** Stores: only the low 8/16/32 bits of @value are used. */
  store8(addr: number, value: number): void {
    const o = (addr - this.winBase32) >>> 0;
    if (this.winWr[o >>> this.pageBits] === 1) {
      this.status = 0;
      this.winView.setUint8(o, value);
      return;
    }
    const i = this.wrIdx[addr >>> this.pageBits]!;
    if (i !== 0) {
      this.status = 0;
      this.views[i]!.setUint8(addr & this.offMask, value);
      return;
    }
    this.slowStore(addr >>> 0, 1, value & 0xff);
  }

  store16(addr: number, value: number): void {
    const o = (addr - this.winBase32) >>> 0;
    if ((o & 1) === 0 && this.winWr[o >>> this.pageBits] === 1) {
      this.status = 0;
      this.winView.setUint16(o, value, true);
      return;
    }
    const i = this.wrIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 1) === 0) {
      this.status = 0;
      this.views[i]!.setUint16(addr & this.offMask, value, this.le);
      return;
    }
    this.slowStore(addr >>> 0, 2, value & 0xffff);
  }

  store32(addr: number, value: number): void {
    const o = (addr - this.winBase32) >>> 0;
    if ((o & 3) === 0 && this.winWr[o >>> this.pageBits] === 1) {
      this.status = 0;
      this.winView.setInt32(o, value, true);
      return;
    }
    const i = this.wrIdx[addr >>> this.pageBits]!;
    if (i !== 0 && (addr & 3) === 0) {
      this.status = 0;
      this.views[i]!.setInt32(addr & this.offMask, value, this.le);
      return;
    }
    this.slowStore(addr >>> 0, 4, value >>> 0);
  }

  /**
   * The RAM window for a CPU's inner loop, to copy into locals: a load at `addr` may read
   * `view` at `o = (addr - base) >>> 0` directly when `o < loadSize` (little-endian data); a
   * store may write it directly when also `storeFlags[o >>> pageBits] !== 0` (the flags are
   * updated in place). Anything else goes through load32/store32…. Re-fetch it whenever
   * `generation` changed, which can only happen inside a call into the port (or the engine)
   * and never in the middle of an inlined access. loadSize is 0 when there is no window.
   * Tip: keep `base | 0` in the local: `(addr - (base | 0)) >>> 0` is the same offset (modulo
   * 2^32) but integer arithmetic, where a base ≥ 2^31 would make V8 subtract in doubles.
   */
  ramWindow(): RamWindow {
    return {
      base: this.winBase,
      loadSize: this.winRdSize,
      storeSize: this.winSize,
      view: this.winView,
      storeFlags: this.winWr,
      pageBits: this.pageBits,
      generation: this.generation,
    };
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
    this.updateReadWindow();
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

  /**
   * For an access inside a shared page: the MMIO region serving all of it when the access is
   * one chunk for both flatview_access_valid (sized by the absolute address) and flatview_rw
   * (sized by the region offset), with the region offset in `xlat`; else null.
   */
  private subpageSingle(addr: number, size: number): MemoryRegion | null {
    const idx = this.idx;
    const i = idx.find(addr);
    if (i < 0 || idx.ends[i]! < addr + size) return null;
    const mr = idx.ranges[i]!.mr;
    if ((mr.ram && !mr.ramDevice) || (mr.romDevice && mr.romdMode)) return null;
    const xlat = addr - idx.starts[i]! + idx.offsets[i]!;
    if (accessSize(mr, size, addr) !== size || accessSize(mr, size, xlat) !== size) return null;
    this.xlat = xlat;
    return mr;
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
      const one = this.subpageSingle(addr, size);
      if (one !== null) {
        // The whole access falls in one MMIO range and in one chunk of both QEMU loops, so
        // subpage_accepts + flatview_read reduce to one dispatch in the target's byte order.
        prepareMmioAccess(one);
        this.status = dispatchRead(one, this.xlat, size, this.attrs, this.out, !this.le);
        return this.status === MEMTX_OK ? this.out.value : 0;
      }
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
      const one = this.subpageSingle(addr, size);
      if (one !== null) {
        prepareMmioAccess(one);
        this.status = dispatchWrite(
          one,
          this.xlat,
          size,
          value,
          BigInt(value),
          this.attrs,
          !this.le,
        );
        return;
      }
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
}

/** Result type re-exported for CPU code that checks `status`. */
export type { MemTxResult };
