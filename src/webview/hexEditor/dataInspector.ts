/**
 * Decodes the bytes at the cursor as the data inspector shows them: integers of 8–64 bits signed and
 * unsigned, IEEE floats, ASCII and UTF-8, in both byte orders. Pure: no DOM.
 */
import { utf8Decode } from '../../protocol';

export interface InspectorRow {
  label: string;
  little: string;
  big: string;
}

/** Shown when too few readable bytes exist for a type. */
export const UNAVAILABLE = '—';

interface NumericType {
  label: string;
  size: 1 | 2 | 4 | 8;
  read(view: DataView, little: boolean): string;
}

const NUMERIC_TYPES: NumericType[] = [
  { label: 'u8', size: 1, read: (v) => String(v.getUint8(0)) },
  { label: 'i8', size: 1, read: (v) => String(v.getInt8(0)) },
  { label: 'u16', size: 2, read: (v, le) => String(v.getUint16(0, le)) },
  { label: 'i16', size: 2, read: (v, le) => String(v.getInt16(0, le)) },
  { label: 'u32', size: 4, read: (v, le) => String(v.getUint32(0, le)) },
  { label: 'i32', size: 4, read: (v, le) => String(v.getInt32(0, le)) },
  { label: 'u64', size: 8, read: (v, le) => v.getBigUint64(0, le).toString() },
  { label: 'i64', size: 8, read: (v, le) => v.getBigInt64(0, le).toString() },
  { label: 'f32', size: 4, read: (v, le) => formatFloat(v.getFloat32(0, le), 9) },
  { label: 'f64', size: 8, read: (v, le) => formatFloat(v.getFloat64(0, le), 17) },
];

/**
 * Decodes `bytes` (the readable bytes starting at the cursor, at most 8 are used). A type wider than
 * the readable run shows {@link UNAVAILABLE}.
 */
export function inspect(bytes: Uint8Array): InspectorRow[] {
  const buffer = new Uint8Array(8);
  buffer.set(bytes.subarray(0, 8));
  const view = new DataView(buffer.buffer);
  const rows: InspectorRow[] = [];
  for (const type of NUMERIC_TYPES) {
    if (bytes.length < type.size) {
      rows.push({ label: type.label, little: UNAVAILABLE, big: UNAVAILABLE });
      continue;
    }
    const little = type.read(view, true);
    // Single bytes have no byte order; both columns show the same value.
    const big = type.size === 1 ? little : type.read(view, false);
    rows.push({ label: type.label, little, big });
  }
  const hexAll = bytes.length ? hexValue(bytes.subarray(0, Math.min(8, bytes.length))) : '';
  rows.push({
    label: 'binary',
    little: bytes.length ? bytes[0]!.toString(2).padStart(8, '0') : UNAVAILABLE,
    big: bytes.length ? bytes[0]!.toString(2).padStart(8, '0') : UNAVAILABLE,
  });
  rows.push({ label: 'ascii', little: asciiChar(bytes[0]), big: asciiChar(bytes[0]) });
  const utf8 = decodeFirstUtf8(bytes);
  rows.push({ label: 'utf-8', little: utf8, big: utf8 });
  if (hexAll) rows.push({ label: 'hex', little: hexAll.little, big: hexAll.big });
  return rows;
}

function formatFloat(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Infinity' : '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return String(Number(value.toPrecision(digits)));
}

function asciiChar(byte: number | undefined): string {
  if (byte === undefined) return UNAVAILABLE;
  if (byte >= 0x20 && byte < 0x7f) return `'${String.fromCharCode(byte)}'`;
  const names: Record<number, string> = { 0: 'NUL', 9: 'TAB', 10: 'LF', 13: 'CR', 0x1b: 'ESC' };
  return names[byte] ?? (byte < 0x80 ? `\\x${byte.toString(16).padStart(2, '0')}` : 'not ASCII');
}

/** The first UTF-8 character starting at byte 0, with its code point. */
function decodeFirstUtf8(bytes: Uint8Array): string {
  if (bytes.length === 0) return UNAVAILABLE;
  for (let n = 1; n <= Math.min(4, bytes.length); n++) {
    const text = utf8Decode(bytes.subarray(0, n));
    if (text !== undefined && text.length > 0) {
      const cp = text.codePointAt(0)!;
      const shown = cp < 0x20 || cp === 0x7f ? '' : `'${text}' `;
      return `${shown}U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return 'invalid UTF-8';
}

function hexValue(bytes: Uint8Array): { little: string; big: string } {
  const big = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  const little = [...bytes]
    .reverse()
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  return { little: `0x${little}`, big: `0x${big}` };
}
