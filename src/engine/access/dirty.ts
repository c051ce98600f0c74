/*
 * Access path: dirty memory logging (QEMU system/memory.c memory_region_*_dirty*, physmem.c
 * cpu_physical_memory_*dirty*, invalidate_and_set_dirty). One byte per target page per RAM
 * block holds three client bits — VGA (0), CODE (1), MIGRATION (2) — so all aliases of a RAM
 * block share its dirty state, as QEMU's ram_addr bitmaps do. A new block starts dirty for
 * every client (ram_block_add). CODE follows TCG's meaning: set = "no translated code on this
 * page"; a CPU protects a page (clears CODE) when it caches decoded instructions from it, and a
 * write into a protected page calls the code-write handlers, then sets CODE again.
 *
 * Observers (the CPU dispatch ports) are told when pages become clean for some client, so their
 * "store straight into RAM" fast path can be withdrawn for those pages.
 */
import {
  type AddressSpace,
  type FlatRange,
  sectionFromFlatRange,
  type MemorySystem,
  type RamBlock,
  type MemoryRegion,
  DIRTY_MEMORY_CODE,
  DIRTY_MEMORY_MIGRATION,
  DIRTY_MEMORY_NUM,
  DIRTY_MEMORY_VGA,
} from '../core';

/** All three client bits. */
export const DIRTY_CLIENTS_ALL = (1 << DIRTY_MEMORY_NUM) - 1;
/** GLOBAL_DIRTY_* flags of memoryGlobalDirtyLogStart. */
export const GLOBAL_DIRTY_MIGRATION = 1;
export const GLOBAL_DIRTY_DIRTY_RATE = 2;
export const GLOBAL_DIRTY_LIMIT = 4;

/** Told when pages of a block lost a client's dirty bit (fast write paths must recheck). */
export interface DirtyObserver {
  pagesCleaned(block: RamBlock, firstPage: number, lastPage: number): void;
}

/** Called when guest-visible bytes of pages holding decoded code change (tb_invalidate_phys_range). */
export type CodeWriteHandler = (block: RamBlock, offset: number, length: number) => void;

/**
 * DirtyMemory: the dirty bitmaps and code-protection state of one MemorySystem. Get it with
 * dirtyMemory(system).
 */
export class DirtyMemory {
  readonly pageBits: number;
  readonly pageSize: number;
  private readonly maps = new WeakMap<RamBlock, Uint8Array>();
  readonly observers = new Set<DirtyObserver>();
  readonly codeWriteHandlers = new Set<CodeWriteHandler>();

  constructor(readonly system: MemorySystem) {
    const size = system.targetPageSize;
    if (!Number.isInteger(size) || size <= 0 || (size & (size - 1)) !== 0) {
      throw new RangeError(`target page size must be a power of two (got ${size})`);
    }
    this.pageSize = size;
    this.pageBits = Math.log2(size);
    system.ramResizedHooks.push((region, oldLength, newLength) =>
      this.ramResized(region, oldLength, newLength),
    );
  }

  /** The per-page client bits of @block (created all-dirty on first use, sized for maxLength). */
  bitmap(block: RamBlock): Uint8Array {
    let map = this.maps.get(block);
    if (!map) {
      map = new Uint8Array(Math.ceil(block.maxLength / this.pageSize)).fill(DIRTY_CLIENTS_ALL);
      this.maps.set(block, map);
    }
    return map;
  }

  /** Page index range [first, last] covering [offset, offset+length) (length > 0). */
  private pages(offset: number, length: number): [number, number] {
    return [Math.floor(offset / this.pageSize), Math.floor((offset + length - 1) / this.pageSize)];
  }

  /** cpu_physical_memory_get_dirty: is any page of the range dirty for @client? */
  getDirty(block: RamBlock, offset: number, length: number, client: number): boolean {
    if (length <= 0) return false;
    const map = this.bitmap(block);
    const bit = 1 << client;
    const [first, last] = this.pages(offset, length);
    for (let p = first; p <= last; p++) if ((map[p]! & bit) !== 0) return true;
    return false;
  }

  /** cpu_physical_memory_all_dirty: is every page of the range dirty for @client? */
  allDirty(block: RamBlock, offset: number, length: number, client: number): boolean {
    if (length <= 0) return true;
    const map = this.bitmap(block);
    const bit = 1 << client;
    const [first, last] = this.pages(offset, length);
    for (let p = first; p <= last; p++) if ((map[p]! & bit) === 0) return false;
    return true;
  }

  /** cpu_physical_memory_range_includes_clean: the clients of @mask with a clean page in range. */
  rangeIncludesClean(block: RamBlock, offset: number, length: number, mask: number): number {
    let ret = 0;
    for (let c = 0; c < DIRTY_MEMORY_NUM; c++) {
      if ((mask & (1 << c)) !== 0 && !this.allDirty(block, offset, length, c)) ret |= 1 << c;
    }
    return ret;
  }

  /** cpu_physical_memory_set_dirty_range: sets the @mask client bits of every covered page. */
  setDirtyRange(block: RamBlock, offset: number, length: number, mask: number): void {
    if (length <= 0 || mask === 0) return;
    const map = this.bitmap(block);
    const [first, last] = this.pages(offset, length);
    for (let p = first; p <= last; p++) map[p]! |= mask;
  }

  /**
   * cpu_physical_memory_test_and_clear_dirty: clears @client's bits in range, returns whether
   * any was set; observers are told so that fast write paths re-arm dirty tracking.
   */
  testAndClear(block: RamBlock, offset: number, length: number, client: number): boolean {
    if (length <= 0) return false;
    const map = this.bitmap(block);
    const bit = 1 << client;
    const [first, last] = this.pages(offset, length);
    let dirty = false;
    for (let p = first; p <= last; p++) {
      if ((map[p]! & bit) !== 0) {
        dirty = true;
        map[p]! &= ~bit;
      }
    }
    if (dirty) for (const o of this.observers) o.pagesCleaned(block, first, last);
    return dirty;
  }

  /**
   * tlb_protect_code: the page holding @offset now has decoded code; later writes into it call
   * the code-write handlers.
   */
  protectCode(block: RamBlock, offset: number): void {
    const page = Math.floor(offset / this.pageSize);
    const map = this.bitmap(block);
    if ((map[page]! & (1 << DIRTY_MEMORY_CODE)) === 0) return;
    map[page]! &= ~(1 << DIRTY_MEMORY_CODE);
    for (const o of this.observers) o.pagesCleaned(block, page, page);
  }

  /** Whether the page holding @offset is protected (holds decoded code). */
  isCodeProtected(block: RamBlock, offset: number): boolean {
    return (
      (this.bitmap(block)[Math.floor(offset / this.pageSize)]! & (1 << DIRTY_MEMORY_CODE)) === 0
    );
  }

  /**
   * invalidate_and_set_dirty: after a direct write of [offset, offset+length) of @mr's block.
   * Only clients of the region's log mask that still have a clean page are touched; CODE means
   * "drop decoded code" (handlers run, then the pages are unprotected).
   */
  afterWrite(mr: MemoryRegion, block: RamBlock, offset: number, length: number): void {
    if (length <= 0) return;
    let mask = mr.effectiveDirtyLogMask();
    if (mask === 0) return;
    mask = this.rangeIncludesClean(block, offset, length, mask);
    if (mask === 0) return;
    if ((mask & (1 << DIRTY_MEMORY_CODE)) !== 0) {
      for (const h of this.codeWriteHandlers) h(block, offset, length);
      // The handlers dropped every decoded instruction of these pages (tlb_unprotect_code).
      this.setDirtyRange(block, offset, length, 1 << DIRTY_MEMORY_CODE);
      mask &= ~(1 << DIRTY_MEMORY_CODE);
    }
    this.setDirtyRange(block, offset, length, mask);
  }

  /** qemu_ram_resize: old used range cleaned, whole new used range dirty for every client. */
  private ramResized(region: MemoryRegion, oldLength: number, newLength: number): void {
    const block = region.ramBlock;
    if (!block) return;
    const map = this.bitmap(block);
    const [f, l] = oldLength > 0 ? this.pages(0, oldLength) : [0, -1];
    for (let p = f; p <= l; p++) map[p] = 0;
    this.setDirtyRange(block, 0, newLength, DIRTY_CLIENTS_ALL);
    if (l >= f) for (const o of this.observers) o.pagesCleaned(block, f, l);
  }
}

const perSystem = new WeakMap<MemorySystem, DirtyMemory>();

/** The DirtyMemory of @system (created on first use). */
export function dirtyMemory(system: MemorySystem): DirtyMemory {
  let d = perSystem.get(system);
  if (!d) {
    d = new DirtyMemory(system);
    perSystem.set(system, d);
  }
  return d;
}

function blockOf(mr: MemoryRegion, what: string): RamBlock {
  if (!mr.ramBlock) throw new Error(`${what}: region '${mr.name}' has no RAM block`);
  return mr.ramBlock;
}

function checkClient(client: number, what: string): void {
  if (
    client !== DIRTY_MEMORY_VGA &&
    client !== DIRTY_MEMORY_CODE &&
    client !== DIRTY_MEMORY_MIGRATION
  ) {
    throw new RangeError(`${what}: unknown dirty memory client ${client}`);
  }
}

/**
 * memory_region_set_log: counted enable of VGA logging on @mr (only DIRTY_MEMORY_VGA may be
 * toggled). The VGA bit of the region's mask changes on 0↔1 transitions, which is a topology
 * change (listeners then see log_start / log_stop).
 */
export function memoryRegionSetLog(mr: MemoryRegion, log: boolean, client: number): void {
  if (client !== DIRTY_MEMORY_VGA) {
    throw new Error(`memoryRegionSetLog: only the VGA client can be toggled (got ${client})`);
  }
  const old = mr.vgaLoggingCount;
  if (!log && old === 0)
    throw new Error(`memoryRegionSetLog: VGA logging of '${mr.name}' is not on`);
  mr.vgaLoggingCount += log ? 1 : -1;
  if ((old === 0) === (mr.vgaLoggingCount === 0)) return;
  mr.system.transaction(() => {
    mr.dirtyLogMask =
      (mr.dirtyLogMask & ~(1 << DIRTY_MEMORY_VGA)) | (log ? 1 << DIRTY_MEMORY_VGA : 0);
    if (mr.enabled) mr.system.noteTopologyChange(mr);
  });
}

/** memory_region_get_dirty: is any page of [addr, addr+size) of @mr dirty for @client? */
export function memoryRegionGetDirty(
  mr: MemoryRegion,
  addr: number,
  size: number,
  client: number,
): boolean {
  checkClient(client, 'memoryRegionGetDirty');
  return dirtyMemory(mr.system).getDirty(blockOf(mr, 'memoryRegionGetDirty'), addr, size, client);
}

/** memory_region_set_dirty: marks [addr, addr+size) dirty for every client in @mr's log mask. */
export function memoryRegionSetDirty(mr: MemoryRegion, addr: number, size: number): void {
  dirtyMemory(mr.system).setDirtyRange(
    blockOf(mr, 'memoryRegionSetDirty'),
    addr,
    size,
    mr.effectiveDirtyLogMask(),
  );
}

/** Every (address space, flat range) where @mr shows. */
function rangesOf(mr: MemoryRegion): Array<[AddressSpace, FlatRange]> {
  const out: Array<[AddressSpace, FlatRange]> = [];
  for (const as of mr.system.addressSpaces) {
    for (const fr of as.flatView.ranges) if (fr.mr === mr) out.push([as, fr]);
  }
  return out;
}

/**
 * memory_region_reset_dirty: test-and-clear @client's bits for [addr, addr+size) of @mr;
 * returns whether any page was dirty, and forwards log_clear to the listeners of the sections
 * that overlap.
 */
export function memoryRegionResetDirty(
  mr: MemoryRegion,
  addr: number,
  size: number,
  client: number,
): boolean {
  checkClient(client, 'memoryRegionResetDirty');
  const dirty = dirtyMemory(mr.system).testAndClear(
    blockOf(mr, 'memoryRegionResetDirty'),
    addr,
    size,
    client,
  );
  const lo = BigInt(addr);
  const hi = lo + BigInt(size);
  for (const [as, fr] of rangesOf(mr)) {
    const frEnd = fr.offsetInRegion + fr.size;
    if (fr.offsetInRegion >= hi || frEnd <= lo) continue;
    const section = sectionFromFlatRange(fr, as.flatView);
    for (const l of as.listeners) l.logClear?.(section);
  }
  return dirty;
}

/**
 * memory_region_sync_dirty_bitmap: asks listeners with log_sync to push their dirty state for
 * every flat range of @mr (every range with a non-zero mask when @mr is null), and listeners
 * with log_sync_global once.
 */
export function memoryRegionSyncDirtyBitmap(system: MemorySystem, mr: MemoryRegion | null): void {
  const globals = new Set<object>();
  for (const as of system.addressSpaces) {
    for (const l of as.listeners) {
      if (l.logSyncGlobal) {
        if (!globals.has(l)) {
          globals.add(l);
          l.logSyncGlobal();
        }
        continue;
      }
      if (!l.logSync) continue;
      for (const fr of as.flatView.ranges) {
        if (fr.dirtyLogMask !== 0 && (mr === null || fr.mr === mr)) {
          l.logSync(sectionFromFlatRange(fr, as.flatView));
        }
      }
    }
  }
}

/** A copy of one client's dirty bits, widened to 64-page units (DirtyBitmapSnapshot). */
export interface DirtyBitmapSnapshot {
  readonly block: RamBlock;
  /** First and one-past-last byte offset covered. */
  readonly start: number;
  readonly end: number;
  /** One entry per page from start (1 = dirty). */
  readonly dirty: Uint8Array;
}

/**
 * memory_region_snapshot_and_clear_dirty: sync, then copy and clear @client's bits for the
 * range widened outward to multiples of 64 pages, then log_global_after_sync on all listeners.
 */
export function memoryRegionSnapshotAndClearDirty(
  mr: MemoryRegion,
  addr: number,
  size: number,
  client: number,
): DirtyBitmapSnapshot {
  checkClient(client, 'memoryRegionSnapshotAndClearDirty');
  const block = blockOf(mr, 'memoryRegionSnapshotAndClearDirty');
  const dm = dirtyMemory(mr.system);
  memoryRegionSyncDirtyBitmap(mr.system, mr);
  const unit = dm.pageSize * 64;
  const start = Math.floor(addr / unit) * unit;
  const end = Math.ceil((addr + size) / unit) * unit;
  const map = dm.bitmap(block);
  const pages = (end - start) / dm.pageSize;
  const dirty = new Uint8Array(pages);
  const bit = 1 << client;
  const first = start / dm.pageSize;
  let any = false;
  for (let i = 0; i < pages; i++) {
    const p = first + i;
    if (p < map.length && (map[p]! & bit) !== 0) {
      dirty[i] = 1;
      map[p]! &= ~bit;
      any = true;
    }
  }
  if (any) for (const o of dm.observers) o.pagesCleaned(block, first, first + pages - 1);
  for (const l of mr.system.listeners) l.logGlobalAfterSync?.();
  return { block, start, end, dirty };
}

/** memory_region_snapshot_get_dirty: is any page of [addr, addr+size) dirty in @snap? */
export function memoryRegionSnapshotGetDirty(
  mr: MemoryRegion,
  snap: DirtyBitmapSnapshot,
  addr: number,
  size: number,
): boolean {
  if (mr.ramBlock !== snap.block) throw new Error(`snapshot is not of region '${mr.name}'`);
  if (addr < snap.start || addr + size > snap.end) {
    throw new RangeError(
      `range [0x${addr.toString(16)}, +0x${size.toString(16)}) is outside the snapshot`,
    );
  }
  const ps = dirtyMemory(mr.system).pageSize;
  const first = Math.floor((addr - snap.start) / ps);
  const last = Math.floor((addr + size - 1 - snap.start) / ps);
  for (let i = first; i <= last; i++) if (snap.dirty[i]) return true;
  return false;
}

/**
 * memory_global_dirty_log_start: turns on @flags; on the 0→non-zero transition every
 * listener's log_global_start runs (ascending; if one refuses, those already started get
 * log_global_stop and this throws) and a topology update adds MIGRATION to RAM log masks.
 */
export function memoryGlobalDirtyLogStart(system: MemorySystem, flags: number): void {
  if (flags === 0 || (flags & ~7) !== 0) throw new RangeError(`bad GLOBAL_DIRTY flags ${flags}`);
  const old = system.globalDirtyLogFlags;
  const added = flags & ~old;
  if (added === 0) return;
  if (old === 0) {
    const started: typeof system.listeners = [];
    for (const l of system.listeners) {
      if (l.logGlobalStart && l.logGlobalStart() === false) {
        for (let i = started.length - 1; i >= 0; i--) started[i]!.logGlobalStop?.();
        throw new Error(`log_global_start refused by listener '${l.name ?? '?'}'`);
      }
      started.push(l);
    }
  }
  system.globalDirtyLogFlags = old | added;
  if (old === 0) system.transaction(() => system.markFullUpdate());
}

/** memory_global_dirty_log_stop: turns off @flags; on →0 a topology update, then log_global_stop (descending). */
export function memoryGlobalDirtyLogStop(system: MemorySystem, flags: number): void {
  const old = system.globalDirtyLogFlags;
  system.globalDirtyLogFlags = old & ~flags;
  if (old !== 0 && system.globalDirtyLogFlags === 0) {
    system.transaction(() => system.markFullUpdate());
    for (let i = system.listeners.length - 1; i >= 0; i--) system.listeners[i]!.logGlobalStop?.();
  }
}

/** memory_global_dirty_log_sync: every listener syncs every logged range. */
export function memoryGlobalDirtyLogSync(system: MemorySystem): void {
  memoryRegionSyncDirtyBitmap(system, null);
}
