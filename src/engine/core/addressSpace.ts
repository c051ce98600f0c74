/*
 * AddressSpace: a named view of memory from one root region (QEMU struct AddressSpace). Its
 * current FlatView is installed by the MemorySystem at each topology commit and shared with
 * every other address space whose root peels to the same region.
 */
import { firstRangeEndingAfter, type FlatView } from './flatView';
import type { MemoryListener, MemoryRegionSection } from './listener';
import type { MemorySystem } from './memorySystem';
import type { MemoryRegion } from './region';
import { UINT64_MAX } from './types';

/** AddressSpace: create with MemorySystem.createAddressSpace. */
export class AddressSpace {
  /** The owning system. */
  readonly system: MemorySystem;
  /** Name ("anonymous" when none given); names need not be unique. */
  readonly name: string;
  /** Root region as given (its flat root may be a region below it). */
  readonly root: MemoryRegion | null;
  /** Listeners registered on this space, ascending priority. */
  readonly listeners: MemoryListener[] = [];
  /** Per-space ioeventfd state, maintained by the access half (ioeventfd.ts). */
  ioeventfds: unknown = null;
  /** @internal current view; read through `flatView`. */
  view: FlatView;

  /** @internal use MemorySystem.createAddressSpace. */
  constructor(system: MemorySystem, root: MemoryRegion | null, name: string, view: FlatView) {
    this.system = system;
    this.root = root;
    this.name = name;
    this.view = view;
  }

  /** The current flat view (address_space_to_flatview). */
  get flatView(): FlatView {
    return this.view;
  }

  /**
   * A flat-view lookup: the section of the range containing @addr, trimmed to [addr, addr +
   * size) (address-space form of memory_region_find), or null when unassigned.
   */
  find(addr: bigint | number, size: bigint | number = 1n): MemoryRegionSection | null {
    return findInView(this.view, BigInt(addr), BigInt(size));
  }
}

/**
 * The flatview_lookup + step-back + intersection part of memory_region_find: the first flat
 * range overlapping [addr, addr+size), cut to that window; null if none.
 */
export function findInView(view: FlatView, addr: bigint, size: bigint): MemoryRegionSection | null {
  const ranges = view.ranges;
  addr &= UINT64_MAX;
  const end = addr + size;
  const i = firstRangeEndingAfter(ranges, addr);
  const fr = ranges[i];
  if (fr === undefined) return null;
  // A zero-size probe only matches a range strictly containing it (QEMU's bsearch comparator).
  if (size === 0n ? fr.start >= addr : fr.start >= end) return null;
  const start = addr > fr.start ? addr : fr.start;
  const stop = end < fr.end ? end : fr.end;
  return {
    mr: fr.mr,
    fv: view,
    offsetWithinRegion: fr.offsetInRegion + (start - fr.start),
    size: stop > start ? stop - start : 0n,
    offsetWithinAddressSpace: start,
    readonly: fr.readonly,
    nonvolatile: fr.nonvolatile,
  };
}
