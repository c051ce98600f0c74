/**
 * The engine facts a region's snapshot entry carries beyond `info mtree`: resizeable RAM's max size,
 * ioeventfd registrations and coalesced MMIO ranges (src/engine/ramBlock.ts, ioeventfd.ts,
 * coalesced.ts). Part of `captureTopology` (topology.ts).
 */
import { compileOps, type MemoryRegion } from '../engine';
import {
  toHex,
  type RegionCoalescedInfo,
  type RegionInfo,
  type RegionIoeventfdInfo,
} from '../protocol';

/** Reverses `bytes` bytes of `value` (a device of the other byte order than the target). */
function swapBytes(value: bigint, bytes: number): bigint {
  let swapped = 0n;
  for (let i = 0; i < bytes; i++) {
    swapped = (swapped << 8n) | (value & 0xffn);
    value >>= 8n;
  }
  return swapped;
}

/**
 * `maxSize`, `ioeventfds` and `coalesced` of a RegionInfo, each only when there is something to
 * say, so snapshots of regions without them keep their old shape.
 */
export function engineFeatures(
  mr: MemoryRegion,
): Pick<RegionInfo, 'maxSize' | 'ioeventfds' | 'coalesced'> {
  const block = mr.ramBlock;
  const maxSize = block?.resizeable ? toHex(BigInt(block.maxLength)) : undefined;
  let ioeventfds: RegionIoeventfdInfo[] | undefined;
  if (mr.ioeventfds.length > 0) {
    // The engine keeps the data in the device's byte order; the user thinks in the guest's.
    const target = mr.system.targetBigEndian;
    const swaps = compileOps(mr.ops).bigEndian(target) !== target;
    ioeventfds = mr.ioeventfds.map((fd) => {
      if (!fd.matchData || fd.size === 0) return { offset: toHex(fd.addr), size: fd.size };
      const data = swaps && fd.size > 1 ? swapBytes(fd.data, fd.size) : fd.data;
      return { offset: toHex(fd.addr), size: fd.size, data: toHex(data) };
    });
  }
  const coalesced: RegionCoalescedInfo[] = mr.coalesced.map((range) => ({
    offset: toHex(range.offset),
    size: toHex(range.size),
  }));
  return {
    ...(maxSize !== undefined ? { maxSize } : {}),
    ...(ioeventfds ? { ioeventfds } : {}),
    ...(coalesced.length > 0 ? { coalesced } : {}),
  };
}
