/**
 * `memory` events from the engine's dirty tracking: the adapter turns on dirty logging (the VGA
 * client, which no CPU path clears) for every RAM region of the hart's address space, and after
 * each stop, each debugger write and periodically while running, collects the pages written
 * since the last look and reports them as absolute address ranges (every place the RAM is
 * mapped, aliases included). Device registers are not tracked: their events come from writes.
 */
import {
  DIRTY_MEMORY_VGA,
  memoryRegionSetLog,
  memoryRegionSnapshotAndClearDirty,
  type AddressSpace,
  type MemoryRegion,
} from '../../engine';

export interface ChangedRange {
  readonly address: bigint;
  readonly length: bigint;
}

export class DirtyTracker {
  private readonly logged: MemoryRegion[] = [];

  constructor(private readonly space: AddressSpace) {
    const seen = new Set<MemoryRegion>();
    for (const fr of space.flatView.ranges) {
      const mr = fr.mr;
      if (!mr.ram || !mr.ramBlock || seen.has(mr) || mr.kind === 'rom') continue;
      seen.add(mr);
      memoryRegionSetLog(mr, true, DIRTY_MEMORY_VGA);
      this.logged.push(mr);
    }
    this.collect(); // blocks start dirty; the program load is not a change the views must hear of
  }

  /** Ranges written since the last call, sorted and merged. */
  collect(): ChangedRange[] {
    const pageInfo = new Map<
      MemoryRegion,
      { start: number; dirty: Uint8Array; pageSize: number }
    >();
    for (const mr of this.logged) {
      const size = Number(mr.sizeU64);
      const snap = memoryRegionSnapshotAndClearDirty(mr, 0, size, DIRTY_MEMORY_VGA);
      if (!snap.dirty.some((d) => d !== 0)) continue;
      const pageSize = (snap.end - snap.start) / snap.dirty.length;
      pageInfo.set(mr, { start: snap.start, dirty: snap.dirty, pageSize });
    }
    if (pageInfo.size === 0) return [];
    const out: ChangedRange[] = [];
    for (const fr of this.space.flatView.ranges) {
      const info = pageInfo.get(fr.mr);
      if (!info) continue;
      const { start, dirty, pageSize } = info;
      const first = Number(fr.offsetInRegion);
      const last = first + Number(fr.end - fr.start);
      for (let i = 0; i < dirty.length; i++) {
        if (!dirty[i]) continue;
        let j = i;
        while (j + 1 < dirty.length && dirty[j + 1]) j++;
        const from = Math.max(first, start + i * pageSize);
        const to = Math.min(last, start + (j + 1) * pageSize);
        if (to > from)
          out.push({ address: fr.start + BigInt(from - first), length: BigInt(to - from) });
        i = j;
      }
    }
    out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    const merged: ChangedRange[] = [];
    for (const r of out) {
      const prev = merged[merged.length - 1];
      if (prev && prev.address + prev.length >= r.address) {
        const end =
          r.address + r.length > prev.address + prev.length
            ? r.address + r.length
            : prev.address + prev.length;
        merged[merged.length - 1] = { address: prev.address, length: end - prev.address };
      } else merged.push(r);
    }
    return merged;
  }

  dispose(): void {
    for (const mr of this.logged) {
      try {
        memoryRegionSetLog(mr, false, DIRTY_MEMORY_VGA);
      } catch {
        // already off (region gone): nothing to undo
      }
    }
    this.logged.length = 0;
  }
}
