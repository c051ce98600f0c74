/*
 * Access path: ioeventfd (QEMU memory_region_add/del_eventfd, memory_region_ioeventfd_before /
 * _equal, address_space_update_ioeventfds, address_space_add_del_ioeventfds,
 * memory_region_dispatch_write_eventfds). A registration makes a matching guest write signal a
 * notifier instead of running the device's write callback (as QEMU does without KVM). Per
 * address space the intersecting registrations are kept, and listeners see eventfd_del
 * (Forward) / eventfd_add (Reverse) for the symmetric difference at each commit.
 */
import {
  type AddressSpace,
  type EventNotifier,
  type MemoryRegionIoeventfd,
  type MemorySystem,
  type MemoryRegion,
  type MemoryListener,
  type MemoryRegionSection,
  compileOps,
} from '../core';

// Notifiers are ordered by registration identity (QEMU compares EventNotifier pointers).
const notifierIds = new WeakMap<object, number>();
let nextNotifierId = 1;
function notifierId(n: object): number {
  let id = notifierIds.get(n);
  if (id === undefined) {
    id = nextNotifierId++;
    notifierIds.set(n, id);
  }
  return id;
}

/** memory_region_ioeventfd_before: order by start, size, match_data, data (if matching), notifier. */
function ioeventfdBefore(a: MemoryRegionIoeventfd, b: MemoryRegionIoeventfd): boolean {
  if (a.addr !== b.addr) return a.addr < b.addr;
  if (a.size !== b.size) return a.size < b.size;
  if (a.matchData !== b.matchData) return !a.matchData;
  if (a.matchData && a.data !== b.data) return a.data < b.data;
  return notifierId(a.notifier) < notifierId(b.notifier);
}

/**
 * memory_region_ioeventfd_equal: same start and (either size 0, or same size, same match_data,
 * same data when matching, same notifier).
 */
function ioeventfdEqual(a: MemoryRegionIoeventfd, b: MemoryRegionIoeventfd): boolean {
  return (
    a.addr === b.addr &&
    (a.size === 0 ||
      b.size === 0 ||
      (a.size === b.size &&
        a.matchData === b.matchData &&
        (!a.matchData || a.data === b.data) &&
        a.notifier === b.notifier))
  );
}

function swapData(data: bigint, size: number): bigint {
  let r = 0n;
  for (let i = 0; i < size; i++) {
    r = (r << 8n) | (data & 0xffn);
    data >>= 8n;
  }
  return r;
}

/** adjust_endianness(mr, data, size | MO_TE): the registration's data in the device's order. */
function deviceOrderData(mr: MemoryRegion, data: bigint, size: number): bigint {
  if (size === 0) return data;
  const v = BigInt.asUintN(size * 8, data);
  const devBig = compileOps(mr.ops).bigEndian(mr.system.targetBigEndian);
  return devBig !== mr.system.targetBigEndian && size > 1 ? swapData(v, size) : v;
}

function checkSize(size: number): void {
  if (size !== 0 && size !== 1 && size !== 2 && size !== 4 && size !== 8) {
    throw new RangeError(`ioeventfd size must be 0, 1, 2, 4 or 8 (got ${size})`);
  }
}

/**
 * memory_region_add_eventfd: a write of @size bytes (0 = any size) at region offset @addr —
 * with value @data (target byte order) when @matchData — signals @notifier instead of
 * reaching the device. Sorted insert; an ioeventfd update is scheduled if @mr is enabled.
 */
export function memoryRegionAddEventfd(
  mr: MemoryRegion,
  addr: bigint | number,
  size: number,
  matchData: boolean,
  data: bigint | number,
  notifier: EventNotifier,
): void {
  checkSize(size);
  ensureIoeventfdHooks(mr.system);
  const fd: MemoryRegionIoeventfd = {
    addr: BigInt(addr),
    size,
    matchData,
    data: deviceOrderData(mr, BigInt(data), size),
    notifier,
  };
  mr.system.transaction(() => {
    const list = mr.ioeventfds;
    let i = 0;
    while (i < list.length && !ioeventfdBefore(fd, list[i]!)) i++;
    list.splice(i, 0, fd);
    if (mr.enabled) mr.system.markIoeventfdsPending();
  });
}

/** memory_region_del_eventfd: removes the registration equal to the arguments; throws if none. */
export function memoryRegionDelEventfd(
  mr: MemoryRegion,
  addr: bigint | number,
  size: number,
  matchData: boolean,
  data: bigint | number,
  notifier: EventNotifier,
): void {
  checkSize(size);
  const fd: MemoryRegionIoeventfd = {
    addr: BigInt(addr),
    size,
    matchData,
    data: deviceOrderData(mr, BigInt(data), size),
    notifier,
  };
  const i = mr.ioeventfds.findIndex((x) => ioeventfdEqual(fd, x));
  if (i < 0)
    throw new Error(
      `memoryRegionDelEventfd: no such ioeventfd on '${mr.name}' at 0x${fd.addr.toString(16)}`,
    );
  mr.system.transaction(() => {
    mr.ioeventfds.splice(i, 1);
    if (mr.enabled) mr.system.markIoeventfdsPending();
  });
}

/**
 * memory_region_dispatch_write_eventfds: the first registration (sorted order) matching a
 * write of @value (device order) at @offset is signalled; returns whether one was.
 */
export function ioeventfdMatchWrite(
  mr: MemoryRegion,
  offset: number,
  size: number,
  value: bigint,
): boolean {
  const addr = BigInt(offset);
  for (const fd of mr.ioeventfds) {
    if (
      fd.addr === addr &&
      (fd.size === 0 || (fd.size === size && (!fd.matchData || fd.data === value)))
    ) {
      fd.notifier.set();
      return true;
    }
  }
  return false;
}

/** An ioeventfd as an address space sees it (range shifted to AS addresses). */
export interface AddressSpaceIoeventfd extends MemoryRegionIoeventfd {
  readonly mr: MemoryRegion;
}

function hasEventfdListener(as: AddressSpace): boolean {
  return as.listeners.some((l) => l.eventfdAdd !== undefined || l.eventfdDel !== undefined);
}

function section(as: AddressSpace, fd: AddressSpaceIoeventfd): MemoryRegionSection {
  return {
    mr: null,
    fv: as.flatView,
    offsetWithinRegion: 0n,
    size: BigInt(fd.size),
    offsetWithinAddressSpace: fd.addr,
    readonly: false,
    nonvolatile: false,
  };
}

/** The ioeventfds of @as's current view: each region's registrations intersecting its ranges. */
export function collectIoeventfds(as: AddressSpace): AddressSpaceIoeventfd[] {
  const out: AddressSpaceIoeventfd[] = [];
  for (const fr of as.flatView.ranges) {
    for (const fd of fr.mr.ioeventfds) {
      const start = fd.addr + fr.start - fr.offsetInRegion;
      const end = start + BigInt(fd.size);
      // addrrange_intersects: either range contains the other's start.
      const hit = (start >= fr.start && start < fr.end) || (fr.start >= start && fr.start < end);
      if (hit) out.push({ ...fd, addr: start, mr: fr.mr });
    }
  }
  return out;
}

/**
 * address_space_update_ioeventfds: recomputes @as's set (only when some listener of it has
 * eventfd callbacks) and reports the difference: eventfd_del Forward, eventfd_add Reverse.
 */
export function addressSpaceUpdateIoeventfds(as: AddressSpace): void {
  if (!hasEventfdListener(as)) return;
  const old = (as.ioeventfds as AddressSpaceIoeventfd[] | null) ?? [];
  const next = collectIoeventfds(as);
  let i = 0;
  let j = 0;
  const ls = as.listeners;
  while (i < old.length || j < next.length) {
    if (i < old.length && (j === next.length || ioeventfdBefore(old[i]!, next[j]!))) {
      const fd = old[i++]!;
      const s = section(as, fd);
      for (let k = 0; k < ls.length; k++)
        ls[k]!.eventfdDel?.(s, fd.matchData, fd.data, fd.notifier);
    } else if (j < next.length && (i === old.length || ioeventfdBefore(next[j]!, old[i]!))) {
      const fd = next[j++]!;
      const s = section(as, fd);
      for (let k = ls.length - 1; k >= 0; k--)
        ls[k]!.eventfdAdd?.(s, fd.matchData, fd.data, fd.notifier);
    } else {
      i++;
      j++;
    }
  }
  as.ioeventfds = next;
}

function replay(listener: MemoryListener, as: AddressSpace, adding: boolean): void {
  const fds = (as.ioeventfds as AddressSpaceIoeventfd[] | null) ?? [];
  for (const fd of fds) {
    const s = section(as, fd);
    if (adding) listener.eventfdAdd?.(s, fd.matchData, fd.data, fd.notifier);
    else listener.eventfdDel?.(s, fd.matchData, fd.data, fd.notifier);
  }
}

const hooked = new WeakSet<MemorySystem>();

/**
 * Installs the ioeventfd hooks on @system (idempotent; done by the first add_eventfd): per-space
 * recomputation at commits and replay to (un)registered listeners.
 */
function ensureIoeventfdHooks(system: MemorySystem): void {
  if (hooked.has(system)) return;
  hooked.add(system);
  system.addressSpaceUpdateHooks.push(addressSpaceUpdateIoeventfds);
  system.ioeventfdUpdateHooks.push(addressSpaceUpdateIoeventfds);
  const previous = system.listenerReplayHook;
  system.listenerReplayHook = (listener, as, adding) => {
    previous?.(listener, as, adding);
    // A listener registered before it saw this space's set: compute it first.
    if (adding && as.ioeventfds === null) as.ioeventfds = collectIoeventfds(as);
    replay(listener, as, adding);
  };
}
