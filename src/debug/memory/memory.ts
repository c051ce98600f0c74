/**
 * DAP memory requests answered through the address space (src/protocol/memory.ts is the
 * contract): readMemory and boardmap/readMemoryEx peek without side effects (MMIO through the
 * device's peek, holes reported, never invented), boardmap/readWithSideEffects runs the device
 * read callbacks on request, writeMemory stores like the CPU (MMIO callbacks run) but refuses
 * ROM and holes with a message naming the region.
 */
import { debugRead, MEMTX_NOT_PEEKABLE, type AddressSpace, type FlatRange } from '../../engine';
import {
  compressStatus,
  decodeBase64,
  toHex,
  formatMemoryReference,
  parseRangeArguments,
  BYTE_STATUSES,
  MAX_READ_EX_BYTES,
  type ReadMemoryExResponse,
  type RegionSpan,
} from '../../protocol';
import type { Machine } from '../../machine';
import { AdapterError, AdapterErrorCode } from '../errors';

/** Largest DAP readMemory the adapter answers in one response (VS Code asks for ≤ 128 KiB). */
export const MAX_READ_BYTES = 1 << 20;
/** Largest DAP writeMemory. */
export const MAX_WRITE_BYTES = 1 << 20;
/** The longest base64 text of a writeMemory (MAX_WRITE_BYTES encoded, plus slack for padding). */
export const MAX_WRITE_BASE64 = Math.ceil(MAX_WRITE_BYTES / 3) * 4 + 4;

/** Where debugger writes go: the Machine (its writeMemory is the only way to write memory). */
export type MemoryWriter = Pick<Machine, 'writeMemory'>;

/** A memory request's argument error: BadAddress for references, else BadArgument. */
function rangeError(message: string): AdapterError {
  if (/^memoryReference|pass 2\^64|address space/.test(message))
    return new AdapterError(AdapterErrorCode.BadAddress, message);
  return new AdapterError(AdapterErrorCode.BadArgument, message);
}

/** A count that is a valid integer but more than the adapter answers at once: TooLarge. */
function checkCount(args: unknown, max: number): void {
  const count = (args as { count?: unknown } | null)?.count;
  if (typeof count === 'number' && Number.isSafeInteger(count) && count > max)
    throw new AdapterError(
      AdapterErrorCode.TooLarge,
      `count: ${count} bytes is more than the ${max} answered in one request`,
    );
}

export interface SpaceLookup {
  /** The address space a reference names (by topology id); undefined when there is none. */
  space(id: string): AddressSpace | undefined;
  /** Whether a region has register metadata (for RegionSpan.hasRegisters). */
  hasRegisters?(range: FlatRange): boolean;
}

function spaceOf(lookup: SpaceLookup, id: string): AddressSpace {
  const space = lookup.space(id);
  if (!space)
    throw new AdapterError(
      AdapterErrorCode.BadAddress,
      `memoryReference: no address space '${id}'`,
    );
  return space;
}

export interface ReadMemoryBody {
  address: string;
  data?: string;
  unreadableBytes?: number;
}

/**
 * DAP readMemory: the readable prefix of the range (peeked), then `unreadableBytes` for the rest
 * from the first hole or unpeekable byte on (VS Code and its hex editor treat that as the end).
 */
export function readMemory(lookup: SpaceLookup, args: unknown): ReadMemoryBody {
  checkCount(args, MAX_READ_BYTES);
  const parsed = parseRangeArguments(args, MAX_READ_BYTES);
  if (!parsed.ok) throw rangeError(parsed.error);
  const { space: id, address, count } = parsed.value;
  const space = spaceOf(lookup, id);
  const { data, status } = debugRead(space, address, count);
  let readable = status.findIndex((s) => s !== 0);
  if (readable < 0) readable = count;
  const body: ReadMemoryBody = { address: toHex(address) };
  if (readable > 0)
    body.data = Buffer.from(data.buffer, data.byteOffset, readable).toString('base64');
  else body.data = '';
  if (readable < count) body.unreadableBytes = count - readable;
  return body;
}

/** boardmap/readMemoryEx and boardmap/readWithSideEffects: every byte with its status. */
export function readMemoryEx(
  lookup: SpaceLookup,
  args: unknown,
  runCallbacks: boolean,
): ReadMemoryExResponse {
  checkCount(args, MAX_READ_EX_BYTES);
  const parsed = parseRangeArguments(args);
  if (!parsed.ok) throw rangeError(parsed.error);
  const { space: id, address, count } = parsed.value;
  const space = spaceOf(lookup, id);
  const { data, status } = debugRead(space, address, count, { runCallbacks });
  const codes = new Uint8Array(count);
  const regions: RegionSpan[] = [];
  const end = address + BigInt(count);
  const ranges = overlapping(space, address, end);
  const mapped = new Uint8Array(count);
  for (const fr of ranges) {
    const from = fr.start > address ? fr.start : address;
    const to = fr.end < end ? fr.end : end;
    mapped.fill(1, Number(from - address), Number(to - address));
    const mr = fr.mr;
    regions.push({
      start: toHex(from),
      last: toHex(to - 1n),
      name: mr.name,
      offsetInRegion: toHex(fr.offsetInRegion + (from - fr.start)),
      kind: mr.kind,
      readonly: isWriteProtected(fr),
      ...(lookup.hasRegisters?.(fr) ? { hasRegisters: true } : {}),
    });
  }
  const OK = BYTE_STATUSES.indexOf('ok');
  const UNMAPPED = BYTE_STATUSES.indexOf('unmapped');
  const UNPEEKABLE = BYTE_STATUSES.indexOf('unpeekable');
  const ERROR = BYTE_STATUSES.indexOf('error');
  for (let i = 0; i < count; i++) {
    const s = status[i]!;
    if (s === 0) codes[i] = OK;
    else if (!mapped[i]) codes[i] = UNMAPPED;
    else if (s & MEMTX_NOT_PEEKABLE) codes[i] = UNPEEKABLE;
    else codes[i] = ERROR;
    if (s !== 0) data[i] = 0;
  }
  return {
    address: toHex(address),
    data: Buffer.from(data.buffer, data.byteOffset, data.length).toString('base64'),
    status: count === 0 ? [] : compressStatus(codes),
    regions,
  };
}

/** Flat ranges overlapping [start, end), in address order. */
export function overlapping(space: AddressSpace, start: bigint, end: bigint): FlatRange[] {
  const out: FlatRange[] = [];
  for (const fr of space.flatView.ranges) {
    if (fr.end <= start) continue;
    if (fr.start >= end) break;
    out.push(fr);
  }
  return out;
}

/** ROM (and read-only RAM) is refused for debugger writes: the user should know, not be surprised. */
function isWriteProtected(fr: FlatRange): boolean {
  return fr.readonly || fr.mr.kind === 'rom';
}

export interface WriteMemoryOutcome {
  body: { offset: number; bytesWritten: number };
  /** Absolute range actually written, for memory events. */
  written: { space: string; address: bigint; length: number } | undefined;
}

/**
 * DAP writeMemory: checks the whole range first (holes and ROM end it), writes through the
 * address space as a store (MMIO callbacks run), reports how far it got. Without allowPartial a
 * range that is not entirely writable is refused before anything is written.
 */
export function writeMemory(
  lookup: SpaceLookup,
  writer: MemoryWriter,
  args: unknown,
): WriteMemoryOutcome {
  const bad = (message: string) => new AdapterError(AdapterErrorCode.BadArgument, message);
  if (typeof args !== 'object' || args === null) throw bad('arguments: expected an object');
  const a = args as Record<string, unknown>;
  if (typeof a.data !== 'string') throw bad('data: expected a base64 string');
  if (a.allowPartial !== undefined && typeof a.allowPartial !== 'boolean') {
    throw bad('allowPartial: expected true or false');
  }
  // Sizes first, before any decoding: the text alone says how many bytes it can hold.
  if (a.data.length > MAX_WRITE_BASE64) {
    throw new AdapterError(
      AdapterErrorCode.TooLarge,
      `data: ${a.data.length} base64 characters is more than ${MAX_WRITE_BYTES} bytes in one write`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(a.data);
  } catch (e) {
    throw bad(`data: ${(e as Error).message}`);
  }
  if (bytes.length > MAX_WRITE_BYTES) {
    throw new AdapterError(
      AdapterErrorCode.TooLarge,
      `data: ${bytes.length} bytes is more than ${MAX_WRITE_BYTES} in one write`,
    );
  }
  const parsed = parseRangeArguments({ ...a, count: bytes.length }, MAX_WRITE_BYTES);
  if (!parsed.ok) throw rangeError(parsed.error);
  const { space: id, address } = parsed.value;
  const space = spaceOf(lookup, id);
  const { writable, reason, readOnly } = writablePrefix(space, address, bytes.length);
  if (writable < bytes.length && (a.allowPartial !== true || writable === 0)) {
    throw new AdapterError(
      readOnly ? AdapterErrorCode.RomWrite : AdapterErrorCode.UnreadableMemory,
      `writeMemory: ${reason}; nothing written`,
    );
  }
  const { status } = writer.writeMemory(address, bytes.subarray(0, writable), space);
  let done = status.findIndex((s) => s !== 0);
  if (done < 0) done = writable;
  if (done === 0 && bytes.length > 0) {
    throw new AdapterError(
      AdapterErrorCode.UnreadableMemory,
      `writeMemory: the device refused the write at ${toHex(address)}`,
    );
  }
  return {
    body: { offset: (a.offset as number | undefined) ?? 0, bytesWritten: done },
    written: done > 0 ? { space: id, address, length: done } : undefined,
  };
}

/** How many bytes from `address` can be written, and why the rest cannot. */
export function writablePrefix(
  space: AddressSpace,
  address: bigint,
  length: number,
): { writable: number; reason: string; readOnly?: boolean } {
  let at = address;
  const end = address + BigInt(length);
  while (at < end) {
    const fr = space.flatView.lookup(at);
    if (!fr)
      return {
        writable: Number(at - address),
        reason: `nothing is mapped at ${toHex(at)}`,
      };
    if (isWriteProtected(fr)) {
      return {
        writable: Number(at - address),
        readOnly: true,
        reason: `${toHex(at)} is in read-only region '${fr.mr.name}' (${fr.mr.kind === 'rom' ? 'ROM' : 'read-only'})`,
      };
    }
    at = fr.end;
  }
  return { writable: length, reason: '' };
}

/** Canonical reference for an address of a space (see protocol/memory.ts). */
export function memoryReference(spaceId: string, address: bigint | number): string {
  return formatMemoryReference(spaceId, BigInt(address));
}
