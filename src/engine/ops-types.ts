/*
 * The shape of a device's access callbacks (QEMU `MemoryRegionOps`) and of the per-region
 * acceleration hooks (ioeventfd, coalesced MMIO). A pure type file: the topology half of the
 * engine only stores these; the access half (ops.ts, access.ts, dispatch.ts …) interprets them
 * and owns this file from here on.
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
 * access) and returns the result.
 * @peek: side-effect-free read for debuggers and views; without it a debug read reports
 *        "not peekable" instead of running @read.
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
  readonly peek?: (region: MemoryRegion, offset: number, size: AccessSize) => number;
  readonly endianness?: Endianness;
  readonly valid?: MemoryRegionOpsValid;
  readonly impl?: MemoryRegionOpsImpl;
}

/** Out-parameter of readWithAttrs: the callback stores the read value here. */
export interface ReadValueSlot {
  value: number;
}

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
  readonly notifier: object;
}
