/** Reading scalars (integers, floats, bitfields, pointers) out of a value's bytes. */
import { type DwarfType, isSignedType, stripType } from '../types';
import {
  BYTE_NOT_SAVED,
  BYTE_OK,
  BYTE_OPTIMIZED_OUT,
  BYTE_SYNTHETIC,
  type Contents,
  type Value,
} from './value';

export type Availability =
  'ok' | 'optimized-out' | 'unreadable' | 'not-saved' | 'synthetic' | 'error';

/** Whether every byte of the value is available, and if not, why (the first reason found). */
export function availability(value: Value): Availability {
  if (value.error !== undefined) return 'error';
  return contentsAvailability(value.contents());
}

export function contentsAvailability(
  contents: Contents,
  from = 0,
  to = contents.status.length,
): Availability {
  let optimized = 0;
  for (let i = from; i < to; i++) {
    const s = contents.status[i]!;
    if (s === BYTE_OK) continue;
    if (s === BYTE_OPTIMIZED_OUT) optimized++;
    else if (s === BYTE_SYNTHETIC) return 'synthetic';
    else return s === BYTE_NOT_SAVED ? 'not-saved' : 'unreadable';
  }
  return optimized > 0 ? 'optimized-out' : 'ok';
}

/** All bytes optimized out (gdb then prints `<optimized out>` even for aggregates). */
export function entirelyOptimizedOut(value: Value): boolean {
  const c = value.contents();
  return c.status.length > 0 && c.status.every((s) => s === BYTE_OPTIMIZED_OUT);
}

function littleEndian(bytes: Uint8Array, from: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[from + i] ?? 0);
  return v;
}

/** The integer in a value of integral, enum, bool, char or pointer type (sign-extended if signed). */
export function integerOf(value: Value, type: DwarfType = value.type): bigint {
  const c = value.contents();
  const signed = isSignedType(type);
  if (value.bitfield) {
    const { bitOffset, bitSize } = value.bitfield;
    const raw = littleEndian(c.bytes, 0, c.bytes.length) >> BigInt(bitOffset);
    const bits = BigInt.asUintN(bitSize, raw);
    return signed ? BigInt.asIntN(bitSize, bits) : bits;
  }
  const size = Math.min(stripType(type).size, c.bytes.length);
  const raw = littleEndian(c.bytes, 0, size);
  return signed && size > 0 ? BigInt.asIntN(size * 8, raw) : raw;
}

/** The float in a 4- or 8-byte float value. */
export function floatOf(value: Value): number {
  const c = value.contents();
  const view = new DataView(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  if (c.bytes.length >= 8 && value.type.size === 8) return view.getFloat64(0, true);
  if (c.bytes.length >= 4) return view.getFloat32(0, true);
  return NaN;
}
