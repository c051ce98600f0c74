/**
 * Builder half of the engine's access-path features: registers each region's coalesced ranges
 * (memory_region_set_coalescing / memory_region_add_coalescing) and ioeventfds
 * (memory_region_add_eventfd) on the engine regions built for it. A device's registration goes
 * to the window that contains it, at the offset inside that window. Each ioeventfd gets its own
 * notifier, which counts signals and tells subscribers (a device model kicking a queue).
 */
import {
  memoryRegionAddCoalescing,
  memoryRegionAddEventfd,
  memoryRegionSetCoalescing,
  type EventNotifier,
  type MemoryRegion,
} from '../../engine';
import type { BoardModel, RegionInfo } from '../check';

/** An ioeventfd's notifier (QEMU EventNotifier): counts signals and calls its subscribers. */
export class BoardEventNotifier implements EventNotifier {
  /** Times a matching guest write signalled it. */
  count = 0;
  private readonly subscribers: (() => void)[] = [];

  constructor(
    readonly regionId: string,
    readonly name: string,
  ) {}

  set(): void {
    this.count++;
    for (const s of [...this.subscribers]) s();
  }

  /** Calls @subscriber on every signal; returns the unsubscribe function. */
  onSignal(subscriber: () => void): () => void {
    this.subscribers.push(subscriber);
    return () => {
      const i = this.subscribers.indexOf(subscriber);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }
}

/** One ioeventfd as the builder registered it. */
export interface BuiltIoeventfd {
  /** Board id of the region (or device) that declares it. */
  readonly regionId: string;
  readonly name: string;
  /** The engine region it is registered on (for a device: the window containing it). */
  readonly region: MemoryRegion;
  /** Offset inside `region`. */
  readonly offset: bigint;
  readonly size: number;
  readonly matchData: boolean;
  /** The value as the guest writes it (target byte order). */
  readonly data: bigint;
  readonly notifier: BoardEventNotifier;
}

export type Placements = ReadonlyMap<
  RegionInfo,
  readonly { region: MemoryRegion; offset: bigint }[]
>;

/**
 * Registers coalesced ranges and ioeventfds of every region of @model on its built regions.
 * @wrap names the region in an engine refusal (a device factory's windows may not contain a
 * registration the catalog windows did).
 */
export function registerEngineFeatures(
  model: BoardModel,
  placed: Placements,
  wrap: <T>(r: RegionInfo, f: () => T) => T,
): BuiltIoeventfd[] {
  const ioeventfds: BuiltIoeventfd[] = [];
  for (const r of model.regionList) {
    if (r.coalesced.length === 0 && r.ioeventfds.length === 0) continue;
    const windows = placed.get(r) ?? [];
    const windowOf = (offset: bigint, size: bigint, what: string) => {
      const w = windows.find(
        (p) => offset >= p.offset && offset + size <= p.offset + p.region.size,
      );
      if (!w) throw new Error(`${what} at 0x${offset.toString(16)} is in none of its regions`);
      return w;
    };
    wrap(r, () => {
      if (r.coalescedWhole) for (const w of windows) memoryRegionSetCoalescing(w.region);
      for (const c of r.coalesced) {
        if (!('type' in c.decl)) continue; // the whole-region flag, done above
        const w = windowOf(c.offset, c.size, 'coalesced range');
        memoryRegionAddCoalescing(w.region, c.offset - w.offset, c.size);
      }
      for (const fd of r.ioeventfds) {
        const w = windowOf(fd.offset, BigInt(Math.max(fd.size, 1)), `ioeventfd '${fd.name}'`);
        const notifier = new BoardEventNotifier(r.id, fd.name);
        const offset = fd.offset - w.offset;
        memoryRegionAddEventfd(w.region, offset, fd.size, fd.matchData, fd.data, notifier);
        ioeventfds.push({
          regionId: r.id,
          name: fd.name,
          region: w.region,
          offset,
          size: fd.size,
          matchData: fd.matchData,
          data: fd.data,
          notifier,
        });
      }
    });
  }
  return ioeventfds;
}
