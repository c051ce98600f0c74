/*
 * Access path: coalesced MMIO (QEMU memory_region_set/add/clear_coalescing,
 * memory_region_update_coalesced_range, flat_range_coalesced_io_notify,
 * memory_region_set/clear_flush_coalesced, prepare_mmio_access). Under an emulator (TCG)
 * nothing is buffered; what remains is the bookkeeping listeners see — each change is
 * reported at once, for every flat range of the region in every address space, as the
 * coalesced range moved to AS addresses and cut to that flat range — and the flush requests an
 * accelerator would act on, delivered to an injectable handler.
 */
import {
  type MemorySystem,
  type CoalescedMemoryRange,
  type MemoryRegion,
  sectionFromFlatRange,
  toBigInt,
  type SizeLike,
} from '../core';

/** Called when QEMU would flush the coalesced MMIO buffer (qemu_flush_coalesced_mmio_buffer). */
export type CoalescedFlushHandler = () => void;

const flushHandlers = new WeakMap<MemorySystem, CoalescedFlushHandler>();

/** Installs @handler as @system's coalesced-buffer flush (null removes it). */
export function setCoalescedFlushHandler(
  system: MemorySystem,
  handler: CoalescedFlushHandler | null,
): void {
  if (handler) flushHandlers.set(system, handler);
  else flushHandlers.delete(system);
}

/** qemu_flush_coalesced_mmio_buffer. */
export function flushCoalescedMmio(system: MemorySystem): void {
  flushHandlers.get(system)?.();
}

/**
 * prepare_mmio_access's flush: called by the access path before an MMIO access to @mr; flushes
 * when the region asked for it.
 */
export function prepareMmioAccess(mr: MemoryRegion): void {
  if (mr.flushCoalescedMmio) flushCoalescedMmio(mr.system);
}

function notify(mr: MemoryRegion, cmr: CoalescedMemoryRange, add: boolean): void {
  for (const as of mr.system.addressSpaces) {
    const view = as.flatView;
    for (const fr of view.ranges) {
      if (fr.mr !== mr) continue;
      const start = cmr.offset + fr.start - fr.offsetInRegion;
      const end = start + cmr.size;
      const intersects =
        (start >= fr.start && start < fr.end) || (fr.start >= start && fr.start < end);
      if (!intersects) continue;
      const lo = start > fr.start ? start : fr.start;
      const hi = end < fr.end ? end : fr.end;
      const section = sectionFromFlatRange(fr, view);
      const ls = as.listeners;
      if (add) for (let i = 0; i < ls.length; i++) ls[i]!.coalescedIoAdd?.(section, lo, hi - lo);
      else for (let i = ls.length - 1; i >= 0; i--) ls[i]!.coalescedIoDel?.(section, lo, hi - lo);
    }
  }
}

/**
 * memory_region_add_coalescing: coalesce writes to [offset, offset+size) of @mr; listeners are
 * told at once and the region asks for flushes before its accesses.
 */
export function memoryRegionAddCoalescing(
  mr: MemoryRegion,
  offset: SizeLike,
  size: SizeLike,
): void {
  const cmr: CoalescedMemoryRange = {
    offset: toBigInt(offset, `coalescing offset in '${mr.name}'`),
    size: toBigInt(size, `coalescing size in '${mr.name}'`),
  };
  if (cmr.offset + cmr.size > mr.size) {
    throw new RangeError(
      `coalescing range [0x${cmr.offset.toString(16)}, +0x${cmr.size.toString(16)}) exceeds region '${mr.name}'`,
    );
  }
  mr.coalesced.push(cmr);
  notify(mr, cmr, true);
  mr.flushCoalescedMmio = true;
  for (const hook of mr.system.coalescedUpdateHooks) hook(mr);
}

/** memory_region_clear_coalescing: removes every range (flushing first), reporting each deletion. */
export function memoryRegionClearCoalescing(mr: MemoryRegion): void {
  if (mr.coalesced.length === 0) return;
  flushCoalescedMmio(mr.system);
  mr.flushCoalescedMmio = false;
  while (mr.coalesced.length) {
    const cmr = mr.coalesced.shift()!;
    notify(mr, cmr, false);
  }
  for (const hook of mr.system.coalescedUpdateHooks) hook(mr);
}

/** memory_region_set_coalescing: clear, then coalesce the whole region. */
export function memoryRegionSetCoalescing(mr: MemoryRegion): void {
  memoryRegionClearCoalescing(mr);
  memoryRegionAddCoalescing(mr, 0n, mr.size);
}

/** memory_region_set_flush_coalesced: flush before every access to @mr. */
export function memoryRegionSetFlushCoalesced(mr: MemoryRegion): void {
  mr.flushCoalescedMmio = true;
}

/** memory_region_clear_flush_coalesced: flush now; stop flushing unless ranges remain. */
export function memoryRegionClearFlushCoalesced(mr: MemoryRegion): void {
  flushCoalescedMmio(mr.system);
  if (mr.coalesced.length === 0) mr.flushCoalescedMmio = false;
}
