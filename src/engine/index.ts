/*
 * Public API of the memory engine: QEMU's memory API (regions, address spaces, flat views,
 * listeners, transactions) in TypeScript. Import from here, not from the individual files.
 */
export * from './types';
export type * from './ops-types';
export { unassignedMemOps } from './defaultOps';
export {
  RamBlock,
  RAM_CONTIGUOUS_LIMIT,
  RAM_SPARSE_PAGE_SIZE,
  type RamBlockOptions,
} from './ramBlock';
export {
  MemoryRegion,
  MACHINE_UNATTACHED,
  DIRTY_LOG_VGA_BIT,
  type RegionKind,
  type QomObject,
  type RamResizedCallback,
} from './region';
export {
  createContainer,
  createIo,
  createReservation,
  createRam,
  createResizeableRam,
  createRom,
  createRomDevice,
  createRamDevice,
  createAlias,
  type RegionOptions,
  type RamRegionOptions,
} from './factories';
export { FlatView, FlatRange } from './flatView';
export { flatViewRoot, renderRanges, simplifyRanges } from './render';
export { AddressSpace } from './addressSpace';
export { MemorySystem, type MemorySystemOptions, type ListenerReplayHook } from './memorySystem';
export { type MemoryListener, type MemoryRegionSection, sectionFromFlatRange } from './listener';
