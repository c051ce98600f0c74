/**
 * Exact conversions between bigint addresses and the hex strings the protocol carries, the address
 * syntax users type, and human-readable sizes. Pure, shared by the adapter, host and webviews.
 */
import type { HexString } from './topology';

export const SIZE_2_64 = 1n << 64n;

/** `0x` + lowercase hex, no padding. */
export function toHex(value: bigint): HexString {
  if (value < 0n) throw new RangeError(`negative value ${value} has no address form`);
  return `0x${value.toString(16)}`;
}

/** Parses a protocol hex string; throws on anything else (protocol data is not user input). */
export function fromHex(text: HexString): bigint {
  if (!/^0x[0-9a-f]+$/i.test(text))
    throw new RangeError(`not a hex string: ${JSON.stringify(text)}`);
  return BigInt(text);
}

/** `info mtree` style: 16 zero-padded digits (QEMU's HWADDR_PRIx). */
export function mtreeHex(value: bigint, digits = 16): string {
  return value.toString(16).padStart(digits, '0');
}

/** `start-end` as `info mtree` prints a region's range (end inclusive). */
export function mtreeRange(start: HexString, end: HexString): string {
  return `${mtreeHex(fromHex(start))}-${mtreeHex(fromHex(end))}`;
}

export type ParsedAddress = { ok: true; value: bigint } | { ok: false; error: string };

/**
 * Parses an address a user typed: `0x8000_0000`, `0X80000000`, `80000000h`, `2147483648`,
 * `0b101`, with `_` or `'` digit separators. Must fit in 64 bits.
 */
export function parseUserAddress(input: string): ParsedAddress {
  const text = input.trim().replace(/[_']/g, '');
  if (text === '') return { ok: false, error: 'type an address, e.g. 0x80000000' };
  let value: bigint;
  if (/^0x[0-9a-f]+$/i.test(text) || /^0b[01]+$/i.test(text) || /^0o[0-7]+$/i.test(text)) {
    value = BigInt(text.toLowerCase());
  } else if (/^[0-9a-f]+h$/i.test(text)) {
    value = BigInt(`0x${text.slice(0, -1)}`);
  } else if (/^[0-9]+$/.test(text)) {
    value = BigInt(text);
  } else {
    return { ok: false, error: `'${input.trim()}' is not an address (try 0x1000 or 4096)` };
  }
  if (value >= SIZE_2_64) return { ok: false, error: `${input.trim()} is beyond 64 bits` };
  return { ok: true, value };
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/**
 * A size in binary units: `4 bytes`, `64 KiB`, `1.5 MiB`, `16 EiB`; exact when it is a whole
 * number of the unit, else rounded to two decimals and marked `≈` (`≈2 GiB` for 2 GiB - 4 KiB).
 */
export function formatSize(size: bigint): string {
  if (size === 1n) return '1 byte';
  let unit = 0;
  while (unit < UNITS.length - 1 && size >= 1n << BigInt(10 * (unit + 1))) unit++;
  if (unit === 0) return `${size} bytes`;
  let base = 1n << BigInt(10 * unit);
  if (size % base === 0n) return `${size / base} ${UNITS[unit]}`;
  // Round to hundredths exactly in bigint; 1023.996 KiB rounds up into the next unit.
  let hundredths = (size * 100n + base / 2n) / base;
  if (hundredths >= 102400n && unit < UNITS.length - 1) {
    unit++;
    base <<= 10n;
    hundredths = (size * 100n + base / 2n) / base;
  }
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  const exact = hundredths * base === size * 100n;
  return `${exact ? '' : '≈'}${frac ? `${whole}.${frac}` : `${whole}`} ${UNITS[unit]}`;
}
