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
export { formatMtree, flatRangeLine, ownerText, hex16, type MtreeOptions } from './mtree';
export {
  importMtreeDump,
  importedDeviceOps,
  type MtreeDumpInput,
  type MtreeImportOptions,
  type ImportedTopology,
} from './mtreeDump';
export {
  parseTreeDump,
  parseFlatDump,
  listTreeLines,
  MtreeParseError,
  type TreeLine,
  type TreeBlock,
  type FlatBlock,
  type FlatLine,
} from './mtreeParse';
// ---- access path (ops, dispatch, debug accesses, dirty logging, ioeventfd, registers) ----
export { MEMTX_NOT_PEEKABLE } from './ops-types';
export {
  CompiledOps,
  CallbackStyle,
  compileOps,
  unassignedIoOps,
  ramDeviceOps,
  opsFromAccess,
} from './ops';
export {
  AccessValue,
  accessValid,
  dispatchRead,
  dispatchWrite,
  opsArePeekable,
  setGuestErrorSink,
  reportGuestError,
  type GuestErrorKind,
  type GuestErrorSink,
} from './access';
export {
  addressSpaceRw,
  readWithAttrs,
  writeWithAttrs,
  writeRom,
  addressSpaceLoad,
  addressSpaceStore,
  memoryAccessSize,
  unassignedRegion,
  type AccessMode,
} from './flatAccess';
export {
  debugRead,
  debugWrite,
  describeMemTxResult,
  DEBUG_MAX_LENGTH,
  type DebugReadOptions,
  type DebugReadResult,
} from './peek';
export {
  CpuMemoryPort,
  type RamWindow,
  type CpuMemoryPortOptions,
  type Watchpoint,
  type WatchHit,
} from './dispatch';
export {
  DirtyMemory,
  dirtyMemory,
  DIRTY_CLIENTS_ALL,
  GLOBAL_DIRTY_MIGRATION,
  GLOBAL_DIRTY_DIRTY_RATE,
  GLOBAL_DIRTY_LIMIT,
  memoryRegionSetLog,
  memoryRegionGetDirty,
  memoryRegionSetDirty,
  memoryRegionResetDirty,
  memoryRegionSyncDirtyBitmap,
  memoryRegionSnapshotAndClearDirty,
  memoryRegionSnapshotGetDirty,
  memoryGlobalDirtyLogStart,
  memoryGlobalDirtyLogStop,
  memoryGlobalDirtyLogSync,
  type DirtyObserver,
  type CodeWriteHandler,
  type DirtyBitmapSnapshot,
} from './dirty';
export {
  memoryRegionAddEventfd,
  memoryRegionDelEventfd,
  addressSpaceUpdateIoeventfds,
  collectIoeventfds,
  type AddressSpaceIoeventfd,
} from './ioeventfd';
export {
  memoryRegionAddCoalescing,
  memoryRegionSetCoalescing,
  memoryRegionClearCoalescing,
  memoryRegionSetFlushCoalesced,
  memoryRegionClearFlushCoalesced,
  setCoalescedFlushHandler,
  flushCoalescedMmio,
  type CoalescedFlushHandler,
} from './coalesced';
export {
  RegisterBank,
  type RegisterSpec,
  type FieldSpec,
  type RegisterAccessRule,
  type RegisterBankOptions,
  type RegisterInfo,
  type FieldInfo,
  type RegisterReadHook,
  type RegisterWriteHook,
} from './registers';
export { maskOps, mirrorRegion } from './masking';
