/*
 * The ops every region starts with (QEMU unassigned_mem_ops): reads 0, writes ignored, and an
 * `accepts` that refuses everything, which is how unassigned space, pure containers,
 * reservation regions and plain ROM on the MMIO path fail with MEMTX_DECODE_ERROR.
 */
import type { MemoryRegionOps } from './ops-types';

/** unassigned_mem_ops: accepts nothing, so every access is a decode error reading 0. */
export const unassignedMemOps: MemoryRegionOps = Object.freeze({
  read: () => 0,
  write: () => undefined,
  peek: () => 0,
  endianness: 'native' as const,
  valid: Object.freeze({ accepts: () => false }),
});
