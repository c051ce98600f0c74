/**
 * The memory contract between the debug adapter, the extension host and the hex editor.
 *
 * ## Memory references
 * A DAP `memoryReference` handed out by the Boardmap adapter names an address space and an absolute
 * address: `<space>@0x<hex>`, e.g. `memory@0x80000000`.
 * - `<space>` is the address space's name with every character outside `[A-Za-z0-9._~/:-]`
 *   percent-encoded as UTF-8 (`%40` for `@`, `%20` for a space), so the last `@` always separates.
 * - The address is lowercase hex without leading zeros (`0x0` for zero), at most 2^64-1.
 * - Canonical: one (space, address) pair has exactly one string ({@link formatMemoryReference}).
 *   Stable: the same string names the same bytes across stops, runs and restarts of a session.
 * - A request's byte address is `reference address + offset` (DAP `offset`, may be negative). The
 *   result must lie in [0, 2^64); otherwise the request fails. Because DAP offsets are JS numbers
 *   (exact only up to 2^53), clients that address above 2^53 put the address into the reference and
 *   use offset 0 — the hex editor always does that, one reference per 4 KiB page.
 * - Parsers accept any case and leading zeros / `_` separators in the hex part, but emitters must
 *   use the canonical form so `memory` events match references textually (VS Code's built-in path).
 *
 * - `<space>` is the `AddressSpaceInfo.id` of the topology snapshot (topology.ts).
 *
 * ## Requests the adapter answers
 * - DAP `readMemory`: side-effect-free (MMIO through the device's peek); stops at the first byte
 *   that is unmapped or cannot be peeked and reports the rest as `unreadableBytes`.
 * - DAP `writeMemory` (`allowPartial` honoured): writes through the address space like a CPU store,
 *   so MMIO callbacks run; ROM and unmapped bytes end the write; `bytesWritten` says how far it got
 *   (an error response when nothing was written). Afterwards a `memory` event for what changed.
 * - `boardmap/readMemoryEx` ({@link ReadMemoryExArguments} → {@link ReadMemoryExResponse}): exactly
 *   `count` bytes plus a status per byte and the flat-view ranges of the read — what the hex editor
 *   pages with (4 KiB at a time, reference = page address, offset 0).
 * - `boardmap/readWithSideEffects`: the same shape, read through the normal access path.
 * - `boardmap/registerInfo` ({@link RegisterInfoArguments} → {@link RegisterInfoResponse}): the
 *   registers of register banks overlapping a range (names, widths, access, fields), for hover.
 * Errors are DAP error responses with a message the user can read (bad reference, count too large).
 *
 * ## Events the adapter sends
 * `memory` `{ memoryReference, offset, count }` after writes and stops (and periodically while
 * running, from the engine's dirty tracking), for changed ranges only. Any reference of the space
 * may carry it: the hex editor resolves reference + offset to an absolute range, so the adapter does
 * not need to remember the per-page references the editor used. `invalidated { areas: ['all'] }`
 * makes the editor re-read everything.
 */
import type { RegionId, RegionKind } from './topology';
import { SIZE_2_64, toHex } from './hex';

/** Custom DAP request names (sent with `DebugSession.customRequest`). */
export const MemoryRequest = {
  /** {@link ReadMemoryExArguments} → {@link ReadMemoryExResponse}: bytes plus per-byte status. */
  readMemoryEx: 'boardmap/readMemoryEx',
  /**
   * {@link ReadMemoryExArguments} → {@link ReadMemoryExResponse}: reads through the normal access
   * path, running MMIO read callbacks (clear-on-read, FIFO pops…). Only on an explicit user action.
   */
  readWithSideEffects: 'boardmap/readWithSideEffects',
  /** {@link RegisterInfoArguments} → {@link RegisterInfoResponse}: register banks in a range. */
  registerInfo: 'boardmap/registerInfo',
} as const;

/** Why a byte has (or has no) value. Wire values are these strings. */
export type ByteStatus =
  /** Read without side effects: the value is real. */
  | 'ok'
  /** No region maps this address (a hole in the flat view). */
  | 'unmapped'
  /** MMIO whose device offers no side-effect-free peek for this byte: value unknown. */
  | 'unpeekable'
  /** The access failed (device error, decode error). */
  | 'error';

export const BYTE_STATUSES: readonly ByteStatus[] = ['ok', 'unmapped', 'unpeekable', 'error'];

/** Region kinds: the engine's kinds as in topology.ts (`io` = MMIO). */
export type MemoryRegionKind = RegionKind;

export interface ReadMemoryExArguments {
  memoryReference: string;
  /** Byte offset from the reference's address (default 0). */
  offset?: number;
  /** Number of bytes, 0 ≤ count ≤ {@link MAX_READ_EX_BYTES}. */
  count: number;
}

/** The largest count the adapter must accept for readMemoryEx / readWithSideEffects. */
export const MAX_READ_EX_BYTES = 65536;

/** A run of bytes sharing one status, offsets relative to the response's `address`. */
export interface StatusSpan {
  offset: number;
  length: number;
  status: ByteStatus;
}

/** A flat-view range intersecting the read, as the address space renders it. */
export interface RegionSpan {
  /** Absolute start address of the visible part, hex string `0x…`. */
  start: string;
  /** Absolute last address (inclusive), hex string `0x…`. */
  last: string;
  /** The leaf region answering accesses here (as `FlatRangeInfo.regionName`). */
  name: string;
  /** Stable region id as used in the topology snapshot (topology.ts), when known. */
  id?: RegionId;
  /** Offset inside the region of the byte at `start`, hex string (as `FlatRangeInfo`, clipped). */
  offsetInRegion?: string;
  kind: MemoryRegionKind;
  /** Writes are refused (ROM, read-only RAM, readonly flag). */
  readonly: boolean;
  /** True when the region is a register bank with metadata available via registerInfo. */
  hasRegisters?: boolean;
}

export interface ReadMemoryExResponse {
  /** Address of the first byte, hex string `0x…`. */
  address: string;
  /** base64 of `count` bytes; bytes whose status is not `ok` are 0 and must not be shown. */
  data: string;
  /** Sorted, non-overlapping, covering [0, count) exactly. */
  status: StatusSpan[];
  /** Flat-view ranges overlapping [address, address+count), sorted by start; holes are absent. */
  regions: RegionSpan[];
}

export interface RegisterInfoArguments {
  memoryReference: string;
  offset?: number;
  count: number;
}

export interface RegisterFieldInfo {
  name: string;
  /** Bit positions inside the register, lsb ≤ msb. */
  lsb: number;
  msb: number;
  access?: string;
  description?: string;
}

export interface RegisterInfo {
  /** Absolute address of the register, hex string. */
  address: string;
  /** Width in bytes (1, 2, 4, 8). */
  size: number;
  name: string;
  /** The register bank / device region it belongs to. */
  region: string;
  /** e.g. `rw`, `ro`, `wo`, `w1c`. */
  access?: string;
  /** Reading has side effects (clear-on-read, FIFO pop): never peeked implicitly. */
  readSideEffects?: boolean;
  description?: string;
  fields?: RegisterFieldInfo[];
}

export interface RegisterInfoResponse {
  registers: RegisterInfo[];
}

// ---------------------------------------------------------------------------------------------
// Memory references

const SAFE_SPACE = /^[A-Za-z0-9._~/:-]$/;

export interface MemoryLocation {
  space: string;
  address: bigint;
}

/** Escapes an address-space name for use inside a memory reference. */
function escapeSpaceName(space: string): string {
  let out = '';
  for (const ch of space) {
    if (SAFE_SPACE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of utf8Encode(ch))
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The canonical reference for a space and an absolute address. Throws on an impossible address. */
export function formatMemoryReference(space: string, address: bigint): string {
  if (space.length === 0) throw new Error('memory reference: empty address-space name');
  if (address < 0n || address >= SIZE_2_64) {
    throw new Error(`memory reference: address ${address} outside [0, 2^64)`);
  }
  return `${escapeSpaceName(space)}@${toHex(address)}`;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses `<space>@0x<hex>`; never throws. */
export function parseMemoryReference(reference: string): ParseResult<MemoryLocation> {
  const at = reference.lastIndexOf('@');
  if (at <= 0) return fail(`memory reference '${reference}': expected '<space>@0x<hex address>'`);
  const rawSpace = reference.slice(0, at);
  const space = unescapeSpaceName(rawSpace);
  if (space === undefined) return fail(`memory reference '${reference}': bad escape in space name`);
  const address = parseHexLiteral(reference.slice(at + 1));
  if (address === undefined || address >= SIZE_2_64) {
    return fail(`memory reference '${reference}': address must be 0x<hex> below 2^64`);
  }
  return { ok: true, value: { space, address } };
}

/** Resolves a DAP (reference, offset) pair to an absolute location; never throws. */
export function resolveMemoryReference(
  reference: string,
  offset: number | undefined,
): ParseResult<MemoryLocation> {
  const parsed = parseMemoryReference(reference);
  if (!parsed.ok) return parsed;
  const delta = offset ?? 0;
  if (!Number.isSafeInteger(delta)) return fail(`offset ${delta} is not a safe integer`);
  const address = parsed.value.address + BigInt(delta);
  if (address < 0n || address >= SIZE_2_64) {
    return fail(`address ${reference} + ${delta} lies outside [0, 2^64)`);
  }
  return { ok: true, value: { space: parsed.value.space, address } };
}

export interface MemoryRange extends MemoryLocation {
  count: number;
}

/**
 * Checks the arguments of readMemoryEx / readWithSideEffects / registerInfo (or DAP readMemory)
 * as they arrive from a client: an object with a valid reference, an integer offset, an integer
 * count in [0, max], and a range that ends at or below 2^64. Never throws; the error names the
 * argument at fault.
 */
export function parseRangeArguments(
  args: unknown,
  max = MAX_READ_EX_BYTES,
): ParseResult<MemoryRange> {
  if (typeof args !== 'object' || args === null) return fail('arguments: expected an object');
  const a = args as Record<string, unknown>;
  if (typeof a.memoryReference !== 'string') return fail('memoryReference: expected a string');
  if (a.offset !== undefined && !Number.isSafeInteger(a.offset)) {
    return fail(`offset: expected an integer, got ${JSON.stringify(a.offset)}`);
  }
  if (!Number.isSafeInteger(a.count) || (a.count as number) < 0 || (a.count as number) > max) {
    return fail(`count: expected an integer from 0 to ${max}, got ${JSON.stringify(a.count)}`);
  }
  const loc = resolveMemoryReference(a.memoryReference, a.offset as number | undefined);
  if (!loc.ok) return loc;
  const count = a.count as number;
  if (loc.value.address + BigInt(count) > SIZE_2_64) {
    return fail(`count: ${count} bytes from ${toHex(loc.value.address)} pass 2^64`);
  }
  return { ok: true, value: { ...loc.value, count } };
}

/** Parses `0x…` hex (underscores allowed); undefined when malformed. */
export function parseHexLiteral(text: string): bigint | undefined {
  const m = /^0[xX]([0-9a-fA-F_]+)$/.exec(text);
  if (!m || m[1]!.startsWith('_') || m[1]!.endsWith('_')) return undefined;
  return BigInt(`0x${m[1]!.replace(/_/g, '')}`);
}

function unescapeSpaceName(raw: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      if (!SAFE_SPACE.test(ch)) return undefined;
      bytes.push(ch.charCodeAt(0));
    }
  }
  return utf8Decode(Uint8Array.from(bytes));
}

function fail<T>(error: string): ParseResult<T> {
  return { ok: false, error };
}

// ---------------------------------------------------------------------------------------------
// Status spans and byte helpers (pure; the protocol layer has no TextEncoder or atob)

/** Expands status spans into one status code per byte (index into {@link BYTE_STATUSES}). */
export function expandStatus(spans: readonly StatusSpan[], count: number): Uint8Array {
  const out = new Uint8Array(count).fill(BYTE_STATUSES.indexOf('error'));
  for (const span of spans) {
    const code = BYTE_STATUSES.indexOf(span.status);
    if (code < 0) continue;
    const start = Math.max(0, span.offset);
    const end = Math.min(count, span.offset + span.length);
    if (end > start) out.fill(code, start, end);
  }
  return out;
}

/** Compresses per-byte status codes into spans. */
export function compressStatus(codes: Uint8Array): StatusSpan[] {
  const spans: StatusSpan[] = [];
  let start = 0;
  for (let i = 1; i <= codes.length; i++) {
    if (i === codes.length || codes[i] !== codes[start]) {
      spans.push({ offset: start, length: i - start, status: BYTE_STATUSES[codes[start]!]! });
      start = i;
    }
  }
  return spans;
}

export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
  }
  return Uint8Array.from(out);
}

/** Strict UTF-8 decode; undefined when the bytes are not valid UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xf5 ? -1 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 ? 1 : -1;
    if (need < 0) return undefined;
    if (i + need >= bytes.length) return undefined; // truncated sequence
    let cp = need === 0 ? b : b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 63);
    }
    const min = [0, 0x80, 0x800, 0x10000][need]!;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return out;
}

/** Decodes base64 (padding optional, whitespace ignored); throws on a malformed string. */
export function decodeBase64(text: string): Uint8Array {
  // Linear time: trailing padding and whitespace are cut by a scan (a `[\s=]+$` regex is
  // quadratic on a long run of '=' followed by anything else).
  let end = text.length;
  for (; end > 0; end--) {
    const c = text.charCodeAt(end - 1);
    if (c !== 61 /* = */ && c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) break;
  }
  const clean = /\s/.test(text) ? text.slice(0, end).replace(/\s+/g, '') : text.slice(0, end);
  if (clean.length % 4 === 1) throw new Error('base64: truncated input');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const v = code < 128 ? B64_INDEX[code]! : -1;
    if (v < 0) throw new Error(`base64: bad character at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
