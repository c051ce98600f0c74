/*
 * Access path: memory_region_dispatch_read / _write (QEMU system/memory.c) — validation
 * (memory_region_access_valid), access_with_adjusted_size (splitting or widening to the
 * callbacks' impl sizes, with device endianness), adjust_endianness, the ioeventfd short cut,
 * the re-entrancy guard, and containment of callbacks that throw (MEMTX_ERROR + guest-error
 * log, never an exception out of the engine). Values of 1/2/4-byte accesses are unsigned
 * numbers; 8-byte accesses use bigints (`value64`).
 */
import {
  compileOps,
  newTransaction,
  CallbackStyle,
  type CompiledOps,
  type MemoryRegionOps,
  type MemoryTransaction,
  type ReadValueSlot,
  MEMTX_NOT_PEEKABLE,
  type MemoryRegion,
  type MemorySystem,
  MEMTX_ACCESS_ERROR,
  MEMTX_DECODE_ERROR,
  MEMTX_ERROR,
  MEMTX_OK,
  type MemTxAttrs,
  type MemTxResult,
  hexUpper,
} from '../core';
import { ioeventfdMatchWrite } from './ioeventfd';

/** Categories of guest-visible mistakes the access path reports (QEMU log masks, roughly). */
export type GuestErrorKind =
  /** memory_region_access_valid refused the access (LOG_GUEST_ERROR / LOG_INVALID_MEM). */
  | 'invalid-access'
  /** A device callback threw; the access returned MEMTX_ERROR. */
  | 'device-error'
  /** The re-entrancy guard blocked a nested access to the same device. */
  | 'reentrancy'
  /** `attrs.memory` access that reached a device (MEMTX_ACCESS_ERROR). */
  | 'non-ram';

/** Receives guest errors; inject one per MemorySystem with setGuestErrorSink. */
export type GuestErrorSink = (kind: GuestErrorKind, message: string) => void;

const sinks = new WeakMap<MemorySystem, GuestErrorSink>();

/** Routes the guest-error messages of @system's accesses to @sink (null: drop them). */
export function setGuestErrorSink(system: MemorySystem, sink: GuestErrorSink | null): void {
  if (sink) sinks.set(system, sink);
  else sinks.delete(system);
}

/** Reports a guest error of @system to its sink, if any. */
export function reportGuestError(
  system: MemorySystem,
  kind: GuestErrorKind,
  message: string,
): void {
  const sink = sinks.get(system);
  if (sink) sink(kind, message);
}

/** A reusable read-result slot (value for 1/2/4-byte reads, value64 for 8-byte reads). */
export class AccessValue implements ReadValueSlot {
  value = 0;
  value64 = 0n;
}

/** Upper-case hex as QEMU's HWADDR_PRIX. */
export function hwaddrUpper(n: number): string {
  return '0x' + hexUpper(n);
}

/**
 * memory_region_access_valid: @offset is region-relative. Order: accepts, alignment, then
 * sizes (valid.max 0 accepts every size, ignoring min). Logs the reason when refused.
 */
export function accessValid(
  c: CompiledOps,
  mr: MemoryRegion,
  offset: number,
  size: number,
  isWrite: boolean,
  attrs: MemTxAttrs,
): boolean {
  let reason: string | null = null;
  if (c.accepts !== null && !safeAccepts(c, mr, offset, size, isWrite, attrs)) reason = 'rejected';
  else if (!c.validUnaligned && (offset & (size - 1)) !== 0) reason = 'unaligned';
  else if (c.validMax === 0) return true;
  else if (size > c.validMax || size < c.validMin) {
    reason = `invalid size (min:${c.validMin} max:${c.validMax})`;
  } else return true;
  if (!sinks.has(mr.system)) return false;
  reportGuestError(
    mr.system,
    'invalid-access',
    `Invalid ${isWrite ? 'write' : 'read'} at addr ${hwaddrUpper(offset)}, size ${size}, region '${mr.name}', reason: ${reason}`,
  );
  return false;
}

function safeAccepts(
  c: CompiledOps,
  mr: MemoryRegion,
  offset: number,
  size: number,
  isWrite: boolean,
  attrs: MemTxAttrs,
): boolean {
  try {
    return c.accepts!(mr, offset, size, isWrite, attrs);
  } catch (e) {
    deviceThrew(mr, 'accepts', offset, size, e);
    return false;
  }
}

function deviceThrew(
  mr: MemoryRegion,
  what: string,
  offset: number,
  size: number,
  e: unknown,
): void {
  const msg = e instanceof Error ? e.message : String(e);
  reportGuestError(
    mr.system,
    'device-error',
    `Device callback ${what} of region '${mr.name}' threw at offset ${hwaddrUpper(offset)}, size ${size}: ${msg}`,
  );
}

// Per nesting depth scratch records: a device callback may itself access memory, so each
// level gets its own slot and transaction object (no allocation once warmed up).
const slots: AccessValue[] = [];
const txs: MemoryTransaction[] = [];
let depth = 0;

/** Owners (devices) currently inside an MMIO callback: QEMU's re-entrancy guard. */
const engagedOwners = new WeakSet<object>();

function guardApplies(mr: MemoryRegion): boolean {
  return (
    mr.owner !== null &&
    mr.owner.kind === 'dev' &&
    !mr.ram &&
    !mr.romDevice &&
    !mr.ramDevice &&
    !mr.readonly
  );
}

function enterDepth(): number {
  const d = depth++;
  if (d === slots.length) {
    slots.push(new AccessValue());
    txs.push(newTransaction());
  }
  return d;
}

const MASKS = [0, 0xff, 0xffff, 0xffffff, 0xffffffff];

function bswap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}
function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
function bswap64(v: bigint): bigint {
  let r = 0n;
  for (let i = 0; i < 8; i++) {
    r = (r << 8n) | (v & 0xffn);
    v >>= 8n;
  }
  return r;
}

/** Byte-swaps a 1/2/4-byte value (sizes 1 and others unchanged). */
function swapNumber(v: number, size: number): number {
  return size === 2 ? bswap16(v) : size === 4 ? bswap32(v) : v;
}

/**
 * One read callback of @accessSize bytes at @offset; the piece value lands in slots[d]
 * (.value, or .value64 for 8-byte pieces). Returns the callback's MemTxResult.
 */
function callRead(
  c: CompiledOps,
  mr: MemoryRegion,
  offset: number,
  accessSize: number,
  attrs: MemTxAttrs,
  peek: boolean,
  d: number,
): MemTxResult {
  const slot = slots[d]!;
  const ops = c.ops;
  slot.value = 0;
  slot.value64 = 0n;
  try {
    if (c.readStyle === CallbackStyle.Transaction) {
      const tx = txs[d]!;
      tx.offset = offset;
      tx.size = accessSize;
      tx.isWrite = false;
      tx.value = 0;
      tx.value64 = 0n;
      tx.attrs = attrs;
      tx.peek = peek;
      const r = ops.access!(mr, tx) ?? MEMTX_OK;
      slot.value = accessSize === 8 ? 0 : tx.value >>> 0;
      slot.value64 = tx.value64;
      return r;
    }
    if (peek) {
      if (accessSize === 8) {
        const pv = ops.peek64 ? ops.peek64(mr, offset) : undefined;
        if (pv === undefined) return MEMTX_NOT_PEEKABLE;
        slot.value64 = BigInt.asUintN(64, pv);
      } else {
        const pv = ops.peek!(mr, offset, accessSize);
        if (pv === undefined) return MEMTX_NOT_PEEKABLE;
        slot.value = pv >>> 0;
      }
      return MEMTX_OK;
    }
    if (accessSize === 8) return ops.read64!(mr, offset, attrs, slot) ?? MEMTX_OK;
    if (c.readStyle === CallbackStyle.Plain) {
      slot.value = ops.read!(mr, offset, accessSize) >>> 0;
      return MEMTX_OK;
    }
    return ops.readWithAttrs!(mr, offset, accessSize, attrs, slot);
  } catch (e) {
    deviceThrew(mr, peek ? 'peek' : 'read', offset, accessSize, e);
    slot.value = 0;
    slot.value64 = 0n;
    return MEMTX_ERROR;
  }
}

function callWrite(
  c: CompiledOps,
  mr: MemoryRegion,
  offset: number,
  accessSize: number,
  value: number,
  value64: bigint,
  attrs: MemTxAttrs,
  d: number,
): MemTxResult {
  const ops = c.ops;
  try {
    if (c.writeStyle === CallbackStyle.Transaction) {
      const tx = txs[d]!;
      tx.offset = offset;
      tx.size = accessSize;
      tx.isWrite = true;
      tx.value = accessSize === 8 ? Number(value64 & 0xffffffffn) : value;
      tx.value64 = accessSize === 8 ? value64 : BigInt(value);
      tx.attrs = attrs;
      tx.peek = false;
      return ops.access!(mr, tx) ?? MEMTX_OK;
    }
    if (accessSize === 8) return ops.write64!(mr, offset, value64, attrs) ?? MEMTX_OK;
    if (c.writeStyle === CallbackStyle.Plain) {
      ops.write!(mr, offset, value, accessSize);
      return MEMTX_OK;
    }
    return ops.writeWithAttrs!(mr, offset, value, accessSize, attrs);
  } catch (e) {
    deviceThrew(mr, 'write', offset, accessSize, e);
    return MEMTX_ERROR;
  }
}

/**
 * access_with_adjusted_size for reads, followed by masking to @size and adjust_endianness
 * against @opBigEndian. The result value is in @out (value, or value64 when @size is 8).
 */
function readAdjusted(
  c: CompiledOps,
  mr: MemoryRegion,
  offset: number,
  size: number,
  attrs: MemTxAttrs,
  out: ReadValueSlot,
  opBigEndian: boolean,
  peek: boolean,
): MemTxResult {
  let accessSize = size < c.implMax ? size : c.implMax;
  if (accessSize < c.implMin) accessSize = c.implMin;
  const devBig = c.bigEndian(mr.system.targetBigEndian);
  const guarded = !peek && guardApplies(mr);
  if (guarded) {
    if (engagedOwners.has(mr.owner!)) {
      reportGuestError(
        mr.system,
        'reentrancy',
        `Blocked re-entrant IO on MemoryRegion: ${mr.name} at addr: ${hwaddrUpper(offset)}`,
      );
      out.value = 0;
      out.value64 = 0n;
      return MEMTX_ACCESS_ERROR;
    }
    engagedOwners.add(mr.owner!);
  }
  const d = enterDepth();
  let r: MemTxResult = MEMTX_OK;
  try {
    const slot = slots[d]!;
    if (size <= 4 && accessSize <= 4) {
      const mask = MASKS[accessSize]!;
      let value = 0;
      for (let i = 0; i < size; i += accessSize) {
        r |= callRead(c, mr, offset + i, accessSize, attrs, peek, d);
        const piece = (slot.value & mask) >>> 0;
        const shift = devBig ? (size - accessSize - i) * 8 : i * 8;
        value = (shift >= 0 ? value | (piece << shift) : value | (piece >>> -shift)) >>> 0;
      }
      value = (value & MASKS[size]!) >>> 0;
      if (devBig !== opBigEndian) value = swapNumber(value, size);
      out.value = value;
      out.value64 = BigInt(value);
    } else {
      const mask = (1n << BigInt(accessSize * 8)) - 1n;
      let value = 0n;
      for (let i = 0; i < size; i += accessSize) {
        r |= callRead(c, mr, offset + i, accessSize, attrs, peek, d);
        const piece = (accessSize === 8 ? slot.value64 : BigInt(slot.value >>> 0)) & mask;
        const shift = devBig ? (size - accessSize - i) * 8 : i * 8;
        value |= shift >= 0 ? piece << BigInt(shift) : piece >> BigInt(-shift);
      }
      value = BigInt.asUintN(size * 8, value);
      if (devBig !== opBigEndian && size > 1) {
        value = size === 8 ? bswap64(value) : BigInt(swapNumber(Number(value), size));
      }
      out.value64 = value;
      out.value = Number(value & 0xffffffffn);
    }
  } finally {
    depth--;
    if (guarded) engagedOwners.delete(mr.owner!);
  }
  return r;
}

function writeAdjusted(
  c: CompiledOps,
  mr: MemoryRegion,
  offset: number,
  size: number,
  value: number,
  value64: bigint,
  attrs: MemTxAttrs,
): MemTxResult {
  let accessSize = size < c.implMax ? size : c.implMax;
  if (accessSize < c.implMin) accessSize = c.implMin;
  const devBig = c.bigEndian(mr.system.targetBigEndian);
  const guarded = guardApplies(mr);
  if (guarded) {
    if (engagedOwners.has(mr.owner!)) {
      reportGuestError(
        mr.system,
        'reentrancy',
        `Blocked re-entrant IO on MemoryRegion: ${mr.name} at addr: ${hwaddrUpper(offset)}`,
      );
      return MEMTX_ACCESS_ERROR;
    }
    engagedOwners.add(mr.owner!);
  }
  const d = enterDepth();
  let r: MemTxResult = MEMTX_OK;
  try {
    if (size <= 4 && accessSize <= 4) {
      const mask = MASKS[accessSize]!;
      for (let i = 0; i < size; i += accessSize) {
        const shift = devBig ? (size - accessSize - i) * 8 : i * 8;
        const piece = ((shift >= 0 ? value >>> shift : value << -shift) & mask) >>> 0;
        r |= callWrite(c, mr, offset + i, accessSize, piece, 0n, attrs, d);
      }
    } else {
      const mask = (1n << BigInt(accessSize * 8)) - 1n;
      for (let i = 0; i < size; i += accessSize) {
        const shift = devBig ? (size - accessSize - i) * 8 : i * 8;
        const piece = (shift >= 0 ? value64 >> BigInt(shift) : value64 << BigInt(-shift)) & mask;
        r |= callWrite(c, mr, offset + i, accessSize, Number(piece & 0xffffffffn), piece, attrs, d);
      }
    }
  } finally {
    depth--;
    if (guarded) engagedOwners.delete(mr.owner!);
  }
  return r;
}

/**
 * The compiled ops of @mr (cached per ops table), or null — reported as a device error — when
 * someone assigned an invalid table to `mr.ops` after creation (factories validate theirs).
 */
function regionOps(mr: MemoryRegion): CompiledOps | null {
  try {
    return compileOps(mr.ops);
  } catch (e) {
    deviceThrew(mr, 'ops', 0, 0, e);
    return null;
  }
}

/**
 * memory_region_dispatch_read: reads @size (1, 2, 4 or 8) bytes at region offset @offset of
 * @mr through its ops. Aliases are followed (no validation at the alias). An invalid access
 * reads 0 with MEMTX_DECODE_ERROR. The value is stored in @out as the integer a load of
 * byte order @opBigEndian (default: the target's) sees. With @peek the device's side-effect-free
 * peek is used instead of read; a device without one yields MEMTX_NOT_PEEKABLE and value 0.
 */
export function dispatchRead(
  mr: MemoryRegion,
  offset: number,
  size: number,
  attrs: MemTxAttrs,
  out: ReadValueSlot,
  opBigEndian: boolean = mr.system.targetBigEndian,
  peek = false,
): MemTxResult {
  while (mr.alias) {
    offset += Number(mr.aliasOffset);
    mr = mr.alias;
  }
  const c = regionOps(mr);
  if (c === null || !accessValid(c, mr, offset, size, false, attrs)) {
    out.value = 0;
    out.value64 = 0n;
    return MEMTX_DECODE_ERROR;
  }
  if (peek ? !c.hasPeek : c.readStyle === CallbackStyle.Missing) {
    out.value = 0;
    out.value64 = 0n;
    if (peek) return MEMTX_NOT_PEEKABLE;
    reportGuestError(mr.system, 'invalid-access', `Region '${mr.name}' has no read callback`);
    return MEMTX_DECODE_ERROR;
  }
  return readAdjusted(c, mr, offset, size, attrs, out, opBigEndian, peek);
}

/**
 * memory_region_dispatch_write: writes @size bytes (@value for 1/2/4 bytes, @value64 for 8)
 * at region offset @offset of @mr. @value is the integer a store of byte order @opBigEndian
 * (default: the target's) writes. Invalid accesses are dropped with MEMTX_DECODE_ERROR; a
 * matching ioeventfd is signalled instead of calling the device (MEMTX_OK).
 */
export function dispatchWrite(
  mr: MemoryRegion,
  offset: number,
  size: number,
  value: number,
  value64: bigint,
  attrs: MemTxAttrs,
  opBigEndian: boolean = mr.system.targetBigEndian,
): MemTxResult {
  while (mr.alias) {
    offset += Number(mr.aliasOffset);
    mr = mr.alias;
  }
  const c = regionOps(mr);
  if (c === null || !accessValid(c, mr, offset, size, true, attrs)) return MEMTX_DECODE_ERROR;
  if (c.writeStyle === CallbackStyle.Missing) {
    reportGuestError(mr.system, 'invalid-access', `Region '${mr.name}' has no write callback`);
    return MEMTX_DECODE_ERROR;
  }
  // adjust_endianness on the way in: the value becomes the device-order register value.
  if (size === 8) {
    value64 = BigInt.asUintN(64, value64);
    if (c.bigEndian(mr.system.targetBigEndian) !== opBigEndian) value64 = bswap64(value64);
    value = Number(value64 & 0xffffffffn);
  } else {
    value = (value & MASKS[size]!) >>> 0;
    if (c.bigEndian(mr.system.targetBigEndian) !== opBigEndian) value = swapNumber(value, size);
    value64 = BigInt(value);
  }
  if (mr.ioeventfds.length > 0 && ioeventfdMatchWrite(mr, offset, size, value64)) return MEMTX_OK;
  return writeAdjusted(c, mr, offset, size, value, value64, attrs);
}

/** Whether @ops reads can be peeked (a `peek`, or a transaction callback declared peekable). */
export function opsArePeekable(ops: MemoryRegionOps): boolean {
  return compileOps(ops).hasPeek;
}
