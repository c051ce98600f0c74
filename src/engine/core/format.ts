/**
 * Numbers as text for every layer below the views (engine, board, machine, debug adapter, CLI):
 * one module, so an address or a size prints the same wherever it appears. The views' side (host
 * and webviews) has its own, src/protocol/hex.ts, since those layers cannot import the engine.
 */
import { UINT64_MAX } from './types';

/**
 * `0x` + lowercase hex, zero-padded to `digits`. A negative number in the int32 range is a
 * 32-bit register value and prints as its unsigned form; a negative bigint prints as `-0x…`.
 */
export function hex(value: bigint | number, digits = 0): string {
  if (typeof value === 'number' && value < 0 && value >= -0x8000_0000) value = value >>> 0;
  if (value < 0) return `-0x${(-BigInt(value)).toString(16).padStart(digits, '0')}`;
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** An RV32 address or register as the debugger shows it: `0x` and at least eight digits. */
export function addressHex(value: bigint | number, digits = 8): string {
  return hex(value, digits);
}

/** QEMU's HWADDR_FMT_plx: sixteen lowercase digits of a u64, no prefix (`info mtree`). */
export function hex16(value: bigint): string {
  return (value & UINT64_MAX).toString(16).padStart(16, '0');
}

/** QEMU's `0x%" HWADDR_PRIX`: uppercase digits, as its guest-error messages print addresses. */
export function hexUpper(value: number | bigint): string {
  return value.toString(16).toUpperCase();
}

/** `0x` with `_` every four digits for long values (0x8000_0000), as board files write them. */
export function hexGrouped(value: bigint): string {
  const h = value.toString(16);
  if (h.length <= 4) return `0x${h}`;
  const groups: string[] = [];
  for (let i = h.length; i > 0; i -= 4) groups.unshift(h.substring(Math.max(0, i - 4), i));
  return `0x${groups.join('_')}`;
}

/** An inclusive range as `info mtree` thinks of it: start–end, grouped digits. */
export function hexRange(start: bigint, size: bigint): string {
  return `${hexGrouped(start)}–${hexGrouped(start + (size > 0n ? size - 1n : 0n))}`;
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** A size in binary units when exact (`64 KiB`, `16 EiB`), else in bytes (`1 byte`, `12 bytes`). */
export function humanSize(size: bigint): string {
  if (size === 0n) return '0 bytes';
  let unit = 0;
  let v = size;
  while (unit < UNITS.length - 1 && v % 1024n === 0n) {
    v /= 1024n;
    unit++;
  }
  if (unit === 0) return size === 1n ? '1 byte' : `${size} bytes`;
  return `${v} ${UNITS[unit]}`;
}
