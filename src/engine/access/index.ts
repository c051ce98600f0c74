/**
 * Access paths (QEMU memory.c/physmem.c): ops dispatch with validation and splitting, byte and
 * value accesses on an address space, side-effect-free debug accesses, dirty logging,
 * ioeventfd, coalesced MMIO, address masking and register tables.
 */
export {
  AccessValue,
  accessValid,
  dispatchRead,
  dispatchWrite,
  opsArePeekable,
  reportGuestError,
  setGuestErrorSink,
} from './access';
export type { GuestErrorKind, GuestErrorSink } from './access';
export {
  flushCoalescedMmio,
  memoryRegionAddCoalescing,
  memoryRegionClearCoalescing,
  memoryRegionClearFlushCoalesced,
  memoryRegionSetCoalescing,
  memoryRegionSetFlushCoalesced,
  prepareMmioAccess,
  setCoalescedFlushHandler,
} from './coalesced';
export type { CoalescedFlushHandler } from './coalesced';
export {
  DIRTY_CLIENTS_ALL,
  DirtyMemory,
  GLOBAL_DIRTY_DIRTY_RATE,
  GLOBAL_DIRTY_LIMIT,
  GLOBAL_DIRTY_MIGRATION,
  dirtyMemory,
  memoryGlobalDirtyLogStart,
  memoryGlobalDirtyLogStop,
  memoryGlobalDirtyLogSync,
  memoryRegionGetDirty,
  memoryRegionResetDirty,
  memoryRegionSetDirty,
  memoryRegionSetLog,
  memoryRegionSnapshotAndClearDirty,
  memoryRegionSnapshotGetDirty,
  memoryRegionSyncDirtyBitmap,
} from './dirty';
export type { CodeWriteHandler, DirtyBitmapSnapshot, DirtyObserver } from './dirty';
export {
  addressSpaceLoad,
  addressSpaceRw,
  addressSpaceStore,
  isDirect,
  memoryAccessSize,
  readWithAttrs,
  unassignedRegion,
  writeRom,
  writeWithAttrs,
} from './flatAccess';
export type { AccessMode } from './flatAccess';
export {
  addressSpaceUpdateIoeventfds,
  collectIoeventfds,
  memoryRegionAddEventfd,
  memoryRegionDelEventfd,
} from './ioeventfd';
export type { AddressSpaceIoeventfd } from './ioeventfd';
export { maskOps, mirrorRegion } from './masking';
export { DEBUG_MAX_LENGTH, debugRead, debugWrite, describeMemTxResult } from './peek';
export type { DebugReadOptions, DebugReadResult } from './peek';
export { RegisterBank } from './registers';
export type {
  FieldInfo,
  FieldSpec,
  RegisterAccessRule,
  RegisterBankOptions,
  RegisterInfo,
  RegisterReadHook,
  RegisterSpec,
  RegisterWriteHook,
} from './registers';
