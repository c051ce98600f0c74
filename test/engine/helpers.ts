// Shared helpers of the topology tests: compact flat-view descriptions and simple device ops.
import type { AddressSpace, MemoryRegionOps } from '../../src/engine/index';

/** MMIO ops that read 0 and accept everything (content irrelevant to topology tests). */
export const testOps: MemoryRegionOps = { read: () => 0, write: () => undefined };

/** The flat view of @as as `start-end name[ @off][ ro]` lines (inclusive ends, hex). */
export function flat(as: AddressSpace): string[] {
  return as.flatView.ranges.map((fr) => {
    const off = fr.offsetInRegion !== 0n ? ` @${fr.offsetInRegion.toString(16)}` : '';
    const ro = fr.readonly ? ' ro' : '';
    return `${fr.start.toString(16)}-${(fr.end - 1n).toString(16)} ${fr.mr.name}${off}${ro}`;
  });
}
