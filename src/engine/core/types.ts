/*
 * Core value types of the memory engine: transaction results and attributes, endianness and the
 * address/size aliases used by the topology code. Everything here is QEMU's vocabulary
 * (include/exec/memattrs.h, include/exec/memory.h); the rest of the engine builds on these.
 */

/**
 * MemTxResult: the outcome of a memory transaction, a bit mask OR-ed over sub-accesses.
 * Values are QEMU's: MEMTX_OK 0, MEMTX_ERROR 1, MEMTX_DECODE_ERROR 2, MEMTX_ACCESS_ERROR 4.
 */
export type MemTxResult = number;

/** The device completed the access. */
export const MEMTX_OK = 0;
/** The device reported an error. */
export const MEMTX_ERROR = 1;
/** Nothing decodes the address, or the region rejected the access (QEMU "decode error"). */
export const MEMTX_DECODE_ERROR = 2;
/** Access denied: `attrs.memory` to a device, or a blocked re-entrant access. */
export const MEMTX_ACCESS_ERROR = 4;

/** The MemTxResult values grouped, for `MemTxResults.DECODE_ERROR`-style use. */
export const MemTxResults = {
  OK: MEMTX_OK,
  ERROR: MEMTX_ERROR,
  DECODE_ERROR: MEMTX_DECODE_ERROR,
  ACCESS_ERROR: MEMTX_ACCESS_ERROR,
} as const;

/**
 * MemTxAttrs: per-transaction attributes (QEMU bit fields as optional properties; an absent
 * field reads as 0/false).
 * @unspecified: the bus master gave no attributes (MEMTXATTRS_UNSPECIFIED).
 * @secure: ARM TrustZone secure / x86 SMM.
 * @space: ARM security space (2 bits).
 * @user: unprivileged access.
 * @memory: restrict to normal memory; a device target yields MEMTX_ACCESS_ERROR.
 * @debug: debugger access; may write ROM directly.
 * @requesterId: PCI requester id (16 bits).
 * @pid: process id (8 bits).
 */
export interface MemTxAttrs {
  readonly unspecified?: boolean;
  readonly secure?: boolean;
  readonly space?: number;
  readonly user?: boolean;
  readonly memory?: boolean;
  readonly debug?: boolean;
  readonly requesterId?: number;
  readonly pid?: number;
}

/** MEMTXATTRS_UNSPECIFIED: the attributes of an access whose master said nothing. */
export const MEMTXATTRS_UNSPECIFIED: MemTxAttrs = Object.freeze({ unspecified: true });

/**
 * Device byte order (QEMU `enum device_endian`). `native` is the target's order, which the
 * MemorySystem fixes (`MemorySystem.targetBigEndian`, false = little-endian target).
 */
export type Endianness = 'native' | 'big' | 'little';

/**
 * An absolute or region-relative guest address in the topology code: an unsigned 64-bit value
 * held exactly as a bigint in [0, 2^64). Intermediate render bases may be negative.
 */
export type HwAddr = bigint;

/**
 * A region or range size: a bigint in [0, 2^64] (QEMU's Int128 sizes; 2^64 is a real size).
 */
export type Size128 = bigint;

/** A size or address given by a caller: a bigint or a safe (exact) non-negative integer. */
export type SizeLike = bigint | number;

/** 2^64, the size of the whole address space. */
export const SIZE_2_64: bigint = 1n << 64n;
/** UINT64_MAX; passed as a size it means 2^64, as in QEMU. */
export const UINT64_MAX: bigint = (1n << 64n) - 1n;

/** Dirty-memory clients (include/exec/ramlist.h), used as bit numbers of a log mask. */
export const DIRTY_MEMORY_VGA = 0;
export const DIRTY_MEMORY_CODE = 1;
export const DIRTY_MEMORY_MIGRATION = 2;
export const DIRTY_MEMORY_NUM = 3;

/**
 * Converts a caller-supplied size or address to a bigint, rejecting negative, fractional and
 * inexact (beyond 2^53) numbers with a clear message naming @what.
 */
export function toBigInt(value: SizeLike, what: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`${what} must not be negative (got ${value})`);
    return value;
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${what} must be a non-negative safe integer or a bigint (got ${String(value)})`,
    );
  }
  return BigInt(value);
}

/**
 * Converts a region size as QEMU does: UINT64_MAX means 2^64; anything above 2^64 is an error.
 */
export function toRegionSize(value: SizeLike, what = 'size'): Size128 {
  const size = toBigInt(value, what);
  if (size === UINT64_MAX) return SIZE_2_64;
  if (size > SIZE_2_64) throw new RangeError(`${what} exceeds 2^64 (got 0x${size.toString(16)})`);
  return size;
}

/** Converts an address (offset inside a container, alias offset) that must fit in 64 bits. */
export function toHwAddr(value: SizeLike, what = 'address'): HwAddr {
  const addr = toBigInt(value, what);
  if (addr > UINT64_MAX)
    throw new RangeError(`${what} exceeds 2^64-1 (got 0x${addr.toString(16)})`);
  return addr;
}
