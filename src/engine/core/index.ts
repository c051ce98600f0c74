/**
 * The topology half of QEMU's memory API: value types, MemoryRegion and its factories, RAM
 * blocks, address spaces, the MemorySystem (transactions, commits), flat-view rendering and
 * listeners. Access paths, the CPU port and mtree text build on this folder.
 */
export * from './types';
export type * from './ops-types';
export { AddressSpace } from './addressSpace';
export { unassignedMemOps } from './defaultOps';
export {
  createAlias,
  createContainer,
  createIo,
  createRam,
  createRamDevice,
  createReservation,
  createResizeableRam,
  createRom,
  createRomDevice,
} from './factories';
export type { RamRegionOptions, RegionOptions } from './factories';
export { FlatRange, FlatView } from './flatView';
export { placementsUnder } from './incremental';
export type { Placement } from './incremental';
export { sectionFromFlatRange } from './listener';
export type { MemoryListener, MemoryRegionSection } from './listener';
export { MemorySystem } from './memorySystem';
export type { ListenerReplayHook, MemorySystemOptions } from './memorySystem';
export { MEMTX_NOT_PEEKABLE } from './ops-types';
export {
  CallbackStyle,
  CompiledOps,
  compileOps,
  newTransaction,
  opsFromAccess,
  ramDeviceOps,
  unassignedIoOps,
} from './ops';
export { RAM_CONTIGUOUS_LIMIT, RAM_SPARSE_PAGE_SIZE, RamBlock } from './ramBlock';
export type { RamBlockOptions } from './ramBlock';
export { DIRTY_LOG_VGA_BIT, MACHINE_UNATTACHED, MemoryRegion } from './region';
export type { QomObject, RamResizedCallback, RegionKind } from './region';
export { flatViewRoot, renderRanges, simplifyRanges } from './render';
export { renderSimplified } from './renderFast';
export {
  DIRTY_MEMORY_CODE,
  DIRTY_MEMORY_MIGRATION,
  DIRTY_MEMORY_NUM,
  DIRTY_MEMORY_VGA,
  MEMTXATTRS_UNSPECIFIED,
  MEMTX_ACCESS_ERROR,
  MEMTX_DECODE_ERROR,
  MEMTX_ERROR,
  MEMTX_OK,
  SIZE_2_64,
  UINT64_MAX,
  toBigInt,
} from './types';
export type { Endianness, MemTxAttrs, MemTxResult, SizeLike } from './types';
export { addressHex, hex, hex16, hexGrouped, hexRange, hexUpper, humanSize } from './format';
