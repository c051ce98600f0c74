/*
 * Access path: debug accesses for views and debuggers (hex editor, DAP readMemory/writeMemory).
 * Reads are side-effect free by default: RAM, ROM and romd ROM devices are read directly,
 * devices only through their `peek` (a device without one reports MEMTX_NOT_PEEKABLE for its
 * bytes, never a made-up value); `runCallbacks` asks for real device reads instead. Writes are
 * debugger writes: straight into RAM and ROM, through the device's callbacks for MMIO (as a
 * CPU store would), never dropped silently — each byte's result is reported.
 */
import {
  type AddressSpace,
  MEMTX_NOT_PEEKABLE,
  MEMTX_ACCESS_ERROR,
  MEMTX_DECODE_ERROR,
  MEMTX_ERROR,
  MEMTX_OK,
  type MemTxAttrs,
  type MemTxResult,
} from '../core';
import { addressSpaceRw } from './flatAccess';

/** Options of debugRead. */
export interface DebugReadOptions {
  /** Run device read callbacks (with their side effects) instead of peeking. */
  readonly runCallbacks?: boolean;
  /** Transaction attributes (debug is always set). */
  readonly attrs?: MemTxAttrs;
}

/** The bytes of a debug read plus, per byte, the MemTxResult of the access that produced it. */
export interface DebugReadResult {
  readonly data: Uint8Array;
  /** Per byte: 0 = OK, else MemTxResult bits (MEMTX_NOT_PEEKABLE: device without a peek). */
  readonly status: Uint8Array;
  /** OR of all per-byte results. */
  readonly result: MemTxResult;
}

/** Largest single debug transfer (bytes); views page their reads. */
export const DEBUG_MAX_LENGTH = 16 * 1024 * 1024;

function checkLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0 || length > DEBUG_MAX_LENGTH) {
    throw new RangeError(
      `debug access length must be an integer in [0, ${DEBUG_MAX_LENGTH}] (got ${length})`,
    );
  }
}

/** Reads @length bytes at @addr of @as for a debugger or view (see the file header). */
export function debugRead(
  as: AddressSpace,
  addr: bigint | number,
  length: number,
  options: DebugReadOptions = {},
): DebugReadResult {
  checkLength(length);
  const data = new Uint8Array(length);
  const status = new Uint8Array(length);
  const attrs = { ...(options.attrs ?? {}), debug: true };
  const result = addressSpaceRw(
    as,
    addr,
    data,
    false,
    attrs,
    options.runCallbacks ? 'debug' : 'peek',
    status,
  );
  return { data, status, result };
}

/**
 * Writes @data at @addr of @as as a debugger: RAM and ROM directly (ROM included), MMIO through
 * the device's write callbacks. Returns per-byte results like debugRead.
 */
export function debugWrite(
  as: AddressSpace,
  addr: bigint | number,
  data: Uint8Array,
  attrs: MemTxAttrs = {},
): { readonly status: Uint8Array; readonly result: MemTxResult } {
  checkLength(data.length);
  const status = new Uint8Array(data.length);
  const result = addressSpaceRw(as, addr, data, true, { ...attrs, debug: true }, 'debug', status);
  return { status, result };
}

/** A short human-readable description of a MemTxResult (for views and error messages). */
export function describeMemTxResult(result: MemTxResult): string {
  if (result === MEMTX_OK) return 'ok';
  const parts: string[] = [];
  if (result & MEMTX_ERROR) parts.push('device error');
  if (result & MEMTX_DECODE_ERROR) parts.push('decode error (nothing mapped or access rejected)');
  if (result & MEMTX_ACCESS_ERROR) parts.push('access denied');
  if (result & MEMTX_NOT_PEEKABLE) parts.push('not peekable (device reads have side effects)');
  return parts.join(', ');
}
