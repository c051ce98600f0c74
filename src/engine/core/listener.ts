/*
 * MemoryListener: callbacks that follow an address space's flat view (QEMU struct
 * MemoryListener), and the diffing that feeds them (address_space_update_topology_pass,
 * listener_add/del_address_space). Order rules (spec §4.3): add/start callbacks go to
 * listeners in ascending priority ("Forward"), del/stop callbacks descending ("Reverse");
 * per address space all region_del come before any region_add.
 */
import type { AddressSpace } from './addressSpace';
import type { FlatRange, FlatView } from './flatView';
import type { MemoryRegion } from './region';

/**
 * MemoryRegionSection: the piece of a region a listener callback is about.
 * @mr: the region (null for ioeventfd sections, as in QEMU).
 * @fv: the flat view it belongs to.
 * @offsetWithinRegion / @offsetWithinAddressSpace / @size: where it is, exact bigints.
 * @readonly / @nonvolatile: the flat range's inherited flags.
 */
export interface MemoryRegionSection {
  readonly mr: MemoryRegion | null;
  readonly fv: FlatView;
  readonly offsetWithinRegion: bigint;
  readonly size: bigint;
  readonly offsetWithinAddressSpace: bigint;
  readonly readonly: boolean;
  readonly nonvolatile: boolean;
}

/**
 * MemoryListener: every callback is optional; `this` is the listener.
 * @priority: unsigned; lower runs first for add/start callbacks, last for del/stop ones.
 */
export interface MemoryListener {
  readonly name?: string;
  readonly priority?: number;
  begin?(): void;
  commit?(): void;
  regionAdd?(section: MemoryRegionSection): void;
  regionDel?(section: MemoryRegionSection): void;
  regionNop?(section: MemoryRegionSection): void;
  logStart?(section: MemoryRegionSection, oldMask: number, newMask: number): void;
  logStop?(section: MemoryRegionSection, oldMask: number, newMask: number): void;
  logSync?(section: MemoryRegionSection): void;
  logSyncGlobal?(): void;
  logClear?(section: MemoryRegionSection): void;
  logGlobalStart?(): boolean | void;
  logGlobalStop?(): void;
  logGlobalAfterSync?(): void;
  eventfdAdd?(
    section: MemoryRegionSection,
    matchData: boolean,
    data: bigint,
    notifier: object,
  ): void;
  eventfdDel?(
    section: MemoryRegionSection,
    matchData: boolean,
    data: bigint,
    notifier: object,
  ): void;
  coalescedIoAdd?(section: MemoryRegionSection, addr: bigint, len: bigint): void;
  coalescedIoDel?(section: MemoryRegionSection, addr: bigint, len: bigint): void;
}

/** section_from_flat_range. */
export function sectionFromFlatRange(fr: FlatRange, fv: FlatView): MemoryRegionSection {
  return {
    mr: fr.mr,
    fv,
    offsetWithinRegion: fr.offsetInRegion,
    size: fr.size,
    offsetWithinAddressSpace: fr.start,
    readonly: fr.readonly,
    nonvolatile: fr.nonvolatile,
  };
}

/**
 * Inserts @listener into @list after every listener of lower or equal priority (equal
 * priorities keep registration order).
 */
export function insertByPriority(list: MemoryListener[], listener: MemoryListener): void {
  const prio = listener.priority ?? 0;
  let i = list.length;
  while (i > 0 && (list[i - 1]!.priority ?? 0) > prio) i--;
  list.splice(i, 0, listener);
}

type SectionCallback = 'regionAdd' | 'regionDel' | 'regionNop';

function callSection(
  as: AddressSpace,
  name: SectionCallback,
  forward: boolean,
  section: MemoryRegionSection,
): void {
  const list = as.listeners;
  if (forward) {
    for (let i = 0; i < list.length; i++) list[i]![name]?.(section);
  } else {
    for (let i = list.length - 1; i >= 0; i--) list[i]![name]?.(section);
  }
}

function callLog(
  as: AddressSpace,
  name: 'logStart' | 'logStop',
  forward: boolean,
  section: MemoryRegionSection,
  oldMask: number,
  newMask: number,
): void {
  const list = as.listeners;
  if (forward) {
    for (let i = 0; i < list.length; i++) list[i]![name]?.(section, oldMask, newMask);
  } else {
    for (let i = list.length - 1; i >= 0; i--) list[i]![name]?.(section, oldMask, newMask);
  }
}

/** flat_range_coalesced_io_del: one call for the whole range if its region coalesces at all. */
function coalescedDel(as: AddressSpace, fr: FlatRange, fv: FlatView): void {
  if (fr.mr.coalesced.length === 0) return;
  const section = sectionFromFlatRange(fr, fv);
  const list = as.listeners;
  for (let i = list.length - 1; i >= 0; i--) list[i]!.coalescedIoDel?.(section, fr.start, fr.size);
}

/** flat_range_coalesced_io_add: each coalesced range of the region, moved to AS addresses and cut to @fr. */
function coalescedAdd(as: AddressSpace, fr: FlatRange, fv: FlatView): void {
  if (fr.mr.coalesced.length === 0) return;
  const section = sectionFromFlatRange(fr, fv);
  const shift = fr.start - fr.offsetInRegion;
  for (const cmr of fr.mr.coalesced) {
    const s = cmr.offset + shift;
    const e = s + cmr.size;
    if (!((fr.start >= s && fr.start < e) || (s >= fr.start && s < fr.end))) continue;
    const is = s > fr.start ? s : fr.start;
    const ie = e < fr.end ? e : fr.end;
    for (const l of as.listeners) l.coalescedIoAdd?.(section, is, ie - is);
  }
}

/**
 * address_space_update_topology_pass, both passes: deletions (old ranges absent from or
 * changed in the new view) first, then nops / log changes / additions, in address order.
 */
export function updateTopology(
  as: AddressSpace,
  oldView: FlatView | null,
  newView: FlatView,
): void {
  const oldRanges = oldView ? oldView.ranges : [];
  const newRanges = newView.ranges;
  for (const adding of [false, true]) {
    let iold = 0;
    let inew = 0;
    while (iold < oldRanges.length || inew < newRanges.length) {
      const frold = oldRanges[iold];
      const frnew = newRanges[inew];
      if (
        frold !== undefined &&
        (frnew === undefined ||
          frold.start < frnew.start ||
          (frold.start === frnew.start && !frold.equals(frnew)))
      ) {
        if (!adding) {
          coalescedDel(as, frold, oldView!);
          callSection(as, 'regionDel', false, sectionFromFlatRange(frold, oldView!));
        }
        iold++;
      } else if (frold !== undefined && frnew !== undefined && frold.equals(frnew)) {
        if (adding) {
          const section = sectionFromFlatRange(frnew, newView);
          callSection(as, 'regionNop', true, section);
          if (frnew.dirtyLogMask & ~frold.dirtyLogMask) {
            callLog(as, 'logStart', true, section, frold.dirtyLogMask, frnew.dirtyLogMask);
          }
          if (frold.dirtyLogMask & ~frnew.dirtyLogMask) {
            callLog(as, 'logStop', false, section, frold.dirtyLogMask, frnew.dirtyLogMask);
          }
        }
        iold++;
        inew++;
      } else {
        if (adding) {
          callSection(as, 'regionAdd', true, sectionFromFlatRange(frnew!, newView));
          coalescedAdd(as, frnew!, newView);
        }
        inew++;
      }
    }
  }
}

/**
 * listener_add_address_space: replays the current view to one new listener: begin,
 * log_global_start (if global dirty tracking is on), per range region_add + coalesced adds +
 * log_start(0, mask), then @extra (ioeventfd replay by the access half), then commit.
 */
export function replayAdd(
  listener: MemoryListener,
  as: AddressSpace,
  globalDirtyTracking: boolean,
  extra: ((listener: MemoryListener, as: AddressSpace, adding: boolean) => void) | null,
): void {
  listener.begin?.();
  if (globalDirtyTracking) listener.logGlobalStart?.();
  const view = as.flatView;
  for (const fr of view.ranges) {
    const section = sectionFromFlatRange(fr, view);
    listener.regionAdd?.(section);
    if (fr.mr.coalesced.length && listener.coalescedIoAdd) {
      // QEMU's replay helper stops at the first coalesced range outside the flat range.
      const shift = fr.start - fr.offsetInRegion;
      for (const cmr of fr.mr.coalesced) {
        const s = cmr.offset + shift;
        const e = s + cmr.size;
        if (!((fr.start >= s && fr.start < e) || (s >= fr.start && s < fr.end))) break;
        const is = s > fr.start ? s : fr.start;
        const ie = e < fr.end ? e : fr.end;
        listener.coalescedIoAdd(section, is, ie - is);
      }
    }
    if (fr.dirtyLogMask !== 0) listener.logStart?.(section, 0, fr.dirtyLogMask);
  }
  extra?.(listener, as, true);
  listener.commit?.();
}

/** listener_del_address_space: the mirror of replayAdd. */
export function replayDel(
  listener: MemoryListener,
  as: AddressSpace,
  extra: ((listener: MemoryListener, as: AddressSpace, adding: boolean) => void) | null,
): void {
  listener.begin?.();
  const view = as.flatView;
  for (const fr of view.ranges) {
    const section = sectionFromFlatRange(fr, view);
    if (fr.dirtyLogMask !== 0) listener.logStop?.(section, fr.dirtyLogMask, 0);
    if (fr.mr.coalesced.length) listener.coalescedIoDel?.(section, fr.start, fr.size);
    listener.regionDel?.(section);
  }
  extra?.(listener, as, false);
  listener.commit?.();
}
