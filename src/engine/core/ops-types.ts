/*
 * The shape of a device's access callbacks (QEMU `MemoryRegionOps`) and of the per-region
 * acceleration hooks (ioeventfd, coalesced MMIO). The topology half only stores these; the
 * access half (ops.ts, access.ts, flatAccess.ts, dispatch.ts …) interprets them.
 *
 * Values: callbacks of 1, 2 or 4 bytes take and return unsigned numbers. 8-byte callback
 * pieces (only when impl.maxAccessSize is 8) use bigints through read64/write64/peek64, or
 * `value64` of a transaction.
 */
import type { MemoryRegion } from './region';
import type { Endianness, MemTxAttrs, MemTxResult } from './types';

/**
 * Access sizes the dispatcher may use for one callback, in bytes (1, 2, 4 or 8).
 * Offsets passed to callbacks are region-relative numbers (exact below 2^53).
 */
export type AccessSize = number;

/**
 * valid: what the bus accepts (memory_region_access_valid). A zero maxAccessSize means "all
 * sizes" (the minimum is then ignored too).
 * @minAccessSize: smallest accepted access, bytes.
 * @maxAccessSize: largest accepted access, bytes (0 = accept all sizes).
 * @unaligned: accept accesses not aligned to their size.
 * @accepts: last word on validity; false rejects with MEMTX_DECODE_ERROR.
 */
export interface MemoryRegionOpsValid {
  readonly minAccessSize?: number;
  readonly maxAccessSize?: number;
  readonly unaligned?: boolean;
  readonly accepts?: (
    region: MemoryRegion,
    offset: number,
    size: AccessSize,
    isWrite: boolean,
    attrs: MemTxAttrs,
  ) => boolean;
}

/**
 * impl: what the callbacks implement (access_with_adjusted_size splits or widens to these).
 * @minAccessSize: 0 means 1.
 * @maxAccessSize: 0 means 4.
 * @unaligned: callbacks handle unaligned offsets themselves.
 */
export interface MemoryRegionOpsImpl {
  readonly minAccessSize?: number;
  readonly maxAccessSize?: number;
  readonly unaligned?: boolean;
}

/**
 * MemoryRegionOps: a device's callbacks. Either read/write (always MEMTX_OK) or
 * readWithAttrs/writeWithAttrs (device-chosen MemTxResult). Values are unsigned numbers of at
 * most 32 bits for 1/2/4-byte callbacks; see the access half for 8-byte callbacks.
 * readWithAttrs stores the value in @out (a slot the dispatcher reuses, so no allocation per
 * access) and returns the result. Callbacks receive the region, never an untyped opaque.
 * @peek: side-effect-free read for debuggers and views; without it a debug read reports
 *        "not peekable" instead of running @read.
 * @endianness: the device's register byte order (default 'native' = the target's).
 */
export interface MemoryRegionOps {
  readonly read?: (region: MemoryRegion, offset: number, size: AccessSize) => number;
  readonly write?: (region: MemoryRegion, offset: number, value: number, size: AccessSize) => void;
  readonly readWithAttrs?: (
    region: MemoryRegion,
    offset: number,
    size: AccessSize,
    attrs: MemTxAttrs,
    out: ReadValueSlot,
  ) => MemTxResult;
  readonly writeWithAttrs?: (
    region: MemoryRegion,
    offset: number,
    value: number,
    size: AccessSize,
    attrs: MemTxAttrs,
  ) => MemTxResult;
  /** Side-effect-free read; `undefined` means "not peekable at this offset". */
  readonly peek?: (region: MemoryRegion, offset: number, size: AccessSize) => number | undefined;
  /** 8-byte read piece (required when impl.maxAccessSize is 8): store the value in out.value64. */
  readonly read64?: (
    region: MemoryRegion,
    offset: number,
    attrs: MemTxAttrs,
    out: ReadValueSlot,
  ) => MemTxResult | void;
  /** 8-byte write piece (required when impl.maxAccessSize is 8). */
  readonly write64?: (
    region: MemoryRegion,
    offset: number,
    value: bigint,
    attrs: MemTxAttrs,
  ) => MemTxResult | void;
  /** 8-byte side-effect-free read; `undefined` = not peekable. */
  readonly peek64?: (region: MemoryRegion, offset: number) => bigint | undefined;
  /**
   * Single transaction-style callback, an alternative to the read/write pairs: sees every
   * access as @tx (a record reused between accesses; do not keep it). Reads store their value
   * in tx.value (tx.value64 for 8-byte pieces). Returns a MemTxResult, nothing meaning OK.
   * When present it takes precedence over read/write/readWithAttrs/writeWithAttrs.
   */
  readonly access?: (region: MemoryRegion, tx: MemoryTransaction) => MemTxResult | void;
  /**
   * The `access` callback honours `tx.peek` (no side effects when it is set), so debug peeks
   * may use it. Without this, debug reads of the region report "not peekable".
   */
  readonly accessPeekable?: boolean;
  /**
   * The width of the register at @offset, for debug reads (views, debuggers), when it differs
   * from valid.minAccessSize — e.g. a bank of 4-byte registers that also takes byte accesses,
   * where reading a clear-on-read register byte by byte would clear it on the first byte.
   * Not a QEMU field: QEMU's debug reads use the CPU's access sizes.
   */
  readonly debugAccessSize?: (region: MemoryRegion, offset: number) => AccessSize | undefined;
  readonly endianness?: Endianness;
  readonly valid?: MemoryRegionOpsValid;
  readonly impl?: MemoryRegionOpsImpl;
}

/** Out-parameter of readWithAttrs: the callback stores the read value here. */
export interface ReadValueSlot {
  value: number;
  /** The value of an 8-byte read (read64), and a bigint copy for the dispatcher. */
  value64: bigint;
}

/**
 * One access as the transaction-style callback sees it.
 * @offset: region offset; @size: 1, 2, 4 or 8 bytes; @isWrite: direction;
 * @value: the value written, or where a read stores its result (unsigned, ≤ 32 bits);
 * @value64: the same for 8-byte pieces; @attrs: transaction attributes;
 * @peek: a debugger's side-effect-free read (only with accessPeekable).
 */
export interface MemoryTransaction {
  offset: number;
  size: AccessSize;
  isWrite: boolean;
  value: number;
  value64: bigint;
  attrs: MemTxAttrs;
  peek: boolean;
}

/**
 * Result bit of debug reads (our extension, beyond QEMU's 1/2/4): the device offers no
 * side-effect-free read, so nothing was read (the value is not meaningful).
 */
export const MEMTX_NOT_PEEKABLE = 8;

/** A coalesced-MMIO range of a region (offset, size inside the region). */
export interface CoalescedMemoryRange {
  readonly offset: bigint;
  readonly size: bigint;
}

/**
 * An ioeventfd registration on a region (MemoryRegionIoeventfd).
 * @addr: offset inside the region; @size: 0 matches any size;
 * @matchData/@data: match only writes of this value; @notifier: signalled on a match.
 */
export interface MemoryRegionIoeventfd {
  readonly addr: bigint;
  readonly size: number;
  readonly matchData: boolean;
  readonly data: bigint;
  readonly notifier: EventNotifier;
}

/** What an ioeventfd signals (QEMU EventNotifier): `set` is called on each matching write. */
export interface EventNotifier {
  set(): void;
}
