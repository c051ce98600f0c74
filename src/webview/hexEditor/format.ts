/**
 * Text helpers for the grid and the go-to box: address formatting, address input parsing, byte
 * grouping, copy-as-hex. Pure: no DOM.
 */

export type Grouping = 1 | 2 | 4 | 8;

/** An address as 16 hex digits split in two halves: `00000000_80001000`. */
export function formatAddress(address: bigint, digits = 16): string {
  const text = address.toString(16).padStart(digits, '0');
  return digits > 8 ? `${text.slice(0, digits - 8)}_${text.slice(digits - 8)}` : text;
}

/** Hex digits needed to show every address of a space of `spaceSize` bytes (at least 8). */
export function addressDigits(spaceSize: bigint): number {
  const last = spaceSize - 1n;
  return Math.max(8, last.toString(16).length);
}

export function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

export type AddressInput =
  | { kind: 'absolute'; address: bigint }
  | { kind: 'relative'; delta: bigint }
  | { kind: 'expression'; text: string }
  | { kind: 'invalid'; message: string };

/**
 * Reads the go-to box: `0x8000_0000`, `80000000h`, decimal `4096`, `+0x10` / `-16` relative to the
 * cursor. Anything else (a symbol, `&buf[3]`, `$sp`) is an expression the debugger evaluates.
 */
export function parseAddressInput(raw: string, spaceSize: bigint): AddressInput {
  const text = raw.trim();
  if (text === '')
    return { kind: 'invalid', message: 'Type an address, a symbol or an expression' };
  const relative = /^([+-])\s*(.+)$/.exec(text);
  if (relative) {
    const magnitude = parseNumber(relative[2]!);
    if (magnitude === undefined) return { kind: 'invalid', message: `'${text}' is not an offset` };
    return { kind: 'relative', delta: relative[1] === '-' ? -magnitude : magnitude };
  }
  const value = parseNumber(text);
  if (value === undefined) return { kind: 'expression', text };
  if (value >= spaceSize) {
    return {
      kind: 'invalid',
      message: `0x${value.toString(16)} lies beyond the address space (size 0x${spaceSize.toString(16)})`,
    };
  }
  return { kind: 'absolute', address: value };
}

/** `0x10`, `10h` or decimal `16`, with `_` separators; undefined otherwise. */
export function parseNumber(text: string): bigint | undefined {
  const clean = text.replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(clean)) return BigInt(clean);
  if (/^[0-9a-f]+h$/i.test(clean)) return BigInt(`0x${clean.slice(0, -1)}`);
  if (/^[0-9]+$/.test(clean)) return BigInt(clean);
  return undefined;
}

/**
 * Splits a row of bytes into groups of `grouping` bytes. With `littleEndian`, each group is shown as
 * one number (most significant byte first), as a debugger shows words.
 */
export function groupOrder(grouping: Grouping, littleEndian: boolean, rowBytes = 16): number[] {
  const order: number[] = [];
  for (let g = 0; g < rowBytes; g += grouping) {
    for (let i = 0; i < grouping; i++) order.push(littleEndian ? g + grouping - 1 - i : g + i);
  }
  return order;
}

/** `de ad be ef` style text for copying; null entries (unreadable) become `??`. */
export function copyAsHex(bytes: readonly (number | null)[], perLine = 16): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    lines.push(
      bytes
        .slice(i, i + perLine)
        .map((b) => (b === null ? '??' : hexByte(b)))
        .join(' '),
    );
  }
  return lines.join('\n');
}

/** The printable ASCII glyph for a byte, or a middle dot. */
export function asciiGlyph(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·';
}

/** The message of a thrown value, for the status line. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
