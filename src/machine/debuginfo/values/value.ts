/**
 * Typed values: where a value lives (memory, registers, computed bytes, pieces of those), its
 * bytes with per-byte availability, and the values inside it (struct members, array elements,
 * pointer targets). Memory is read through an injected reader, so the caller decides how MMIO is
 * treated; reads are lazy and cached per value.
 */
import type { Location } from '../expression';
import { type DwarfType, type Member, stripType } from '../types';

/** What a memory read returns: bytes, and per byte a non-zero status when it was unreadable. */
export interface MemoryBytes {
  readonly data: Uint8Array;
  readonly status?: Uint8Array;
}

/** Reads `length` bytes at `address` of the target (the adapter decides about MMIO). */
export type ReadMemory = (address: number, length: number) => MemoryBytes;

/** Per-byte state of a value's contents. */
export const BYTE_OK = 0;
export const BYTE_OPTIMIZED_OUT = 1;
export const BYTE_UNREADABLE = 2;
export const BYTE_NOT_SAVED = 3;
/** The bytes of a pointer that exists only in the debug info (DW_OP_implicit_pointer). */
export const BYTE_SYNTHETIC = 4;

export interface Contents {
  readonly bytes: Uint8Array;
  /** BYTE_* per byte. */
  readonly status: Uint8Array;
  /** For BYTE_UNREADABLE: the first address that could not be read. */
  readonly unreadableAt?: number;
}

/** Values larger than this are not read whole (arrays are paged by the caller). */
export const MAX_VALUE_BYTES = 1 << 20;

export type ValueSource =
  | { readonly kind: 'memory'; readonly address: number }
  | { readonly kind: 'contents'; readonly contents: Contents }
  | { readonly kind: 'error'; readonly message: string };

export class Value {
  private cached?: Contents;

  constructor(
    readonly type: DwarfType,
    readonly source: ValueSource,
    readonly readMemory: ReadMemory,
    /** Where the value came from, for writing it back (registers, pieces). */
    readonly location?: Location,
    /** For a bitfield: its offset and width in bits from the start of `source`. */
    readonly bitfield?: { readonly bitOffset: number; readonly bitSize: number },
  ) {}

  /** The address of a value that lives in memory (for DAP memoryReference and `&x`). */
  get address(): number | undefined {
    return this.source.kind === 'memory' ? this.source.address : undefined;
  }

  get size(): number {
    return this.type.size;
  }

  get error(): string | undefined {
    return this.source.kind === 'error' ? this.source.message : undefined;
  }

  /** The value's bytes (for a bitfield: the bytes that hold it). */
  contents(): Contents {
    if (this.cached) return this.cached;
    const length = this.bitfield
      ? Math.ceil((this.bitfield.bitOffset + this.bitfield.bitSize) / 8)
      : this.type.size;
    this.cached = this.read(Math.min(length, MAX_VALUE_BYTES));
    return this.cached;
  }

  private read(length: number): Contents {
    const source = this.source;
    if (source.kind === 'contents') return source.contents;
    if (source.kind === 'error')
      return {
        bytes: new Uint8Array(length),
        status: new Uint8Array(length).fill(BYTE_UNREADABLE),
      };
    return readMemoryContents(this.readMemory, source.address, length);
  }

  /** A member of a struct or union value. */
  member(member: Member): Value {
    const byteOffset = Math.floor(member.bitOffset / 8);
    const bitfield =
      member.bitSize !== undefined
        ? { bitOffset: member.bitOffset - byteOffset * 8, bitSize: member.bitSize }
        : undefined;
    const size = bitfield
      ? Math.ceil((bitfield.bitOffset + bitfield.bitSize) / 8)
      : member.type.size;
    return this.slice(member.type, byteOffset, size, bitfield);
  }

  /** Element `index` (0-based from the array's first element) of an array value. */
  element(index: number): Value {
    const array = stripType(this.type);
    if (array.kind !== 'array') throw new Error('element() of a non-array value');
    return this.slice(array.element, index * array.element.size, array.element.size);
  }

  /** The object of `type` that starts `byteOffset` bytes into this value (same storage). */
  at(byteOffset: number, type: DwarfType): Value {
    return this.slice(type, byteOffset, type.size);
  }

  /** The same storage seen as another type (casts of lvalues, `*(T *)&x`). */
  reinterpret(type: DwarfType): Value {
    return new Value(type, this.source, this.readMemory, this.location);
  }

  private slice(
    type: DwarfType,
    offset: number,
    size: number,
    bitfield?: { bitOffset: number; bitSize: number },
  ): Value {
    const source = this.source;
    if (source.kind === 'memory')
      return new Value(
        type,
        { kind: 'memory', address: (source.address + offset) >>> 0 },
        this.readMemory,
        undefined,
        bitfield,
      );
    if (source.kind === 'error') return new Value(type, source, this.readMemory);
    const whole = this.contents();
    const bytes = new Uint8Array(size);
    const status = new Uint8Array(size).fill(BYTE_OPTIMIZED_OUT);
    for (let i = 0; i < size && offset + i < whole.bytes.length; i++) {
      bytes[i] = whole.bytes[offset + i]!;
      status[i] = whole.status[offset + i]!;
    }
    return new Value(
      type,
      { kind: 'contents', contents: { bytes, status, unreadableAt: whole.unreadableAt } },
      this.readMemory,
      sliceLocation(this.location, offset, size),
      bitfield,
    );
  }
}

/** The part of a composite location covering [offset, offset + size) bytes, when simple. */
function sliceLocation(
  location: Location | undefined,
  offset: number,
  size: number,
): Location | undefined {
  if (!location) return undefined;
  let at = 0;
  for (const piece of location) {
    const pieceBytes = piece.bitSize === undefined ? Infinity : piece.bitSize / 8;
    if (offset >= at && offset + size <= at + pieceBytes && (piece.bitOffset ?? 0) === 0) {
      const part = piece.part;
      if (part.kind === 'memory')
        return [{ part: { kind: 'memory', address: (part.address + offset - at) >>> 0 } }];
      if (part.kind === 'register' && offset === at) return [{ part, bitSize: size * 8 }];
      // Computed or optimised-out parts cannot be stored to (gdb drops such stores).
      if (part.kind !== 'register') return [{ part: { kind: 'optimized-out' } }];
      return undefined;
    }
    at += pieceBytes;
  }
  return undefined;
}

export function readMemoryContents(read: ReadMemory, address: number, length: number): Contents {
  if (length === 0) return { bytes: new Uint8Array(0), status: new Uint8Array(0) };
  const result = read(address, length);
  const bytes = new Uint8Array(length);
  bytes.set(result.data.subarray(0, length));
  const status = new Uint8Array(length);
  let unreadableAt: number | undefined;
  for (let i = 0; i < length; i++) {
    if (i >= result.data.length || (result.status && result.status[i] !== 0)) {
      status[i] = BYTE_UNREADABLE;
      unreadableAt ??= (address + i) >>> 0;
    }
  }
  return { bytes, status, unreadableAt };
}

/** A value with known bytes (literals, results of arithmetic). */
export function valueFromBytes(type: DwarfType, bytes: Uint8Array, readMemory: ReadMemory): Value {
  return new Value(
    type,
    { kind: 'contents', contents: { bytes, status: new Uint8Array(bytes.length) } },
    readMemory,
  );
}

/** A value of `type` holding the integer `n` (little-endian, truncated to the type's size). */
export function valueFromInteger(type: DwarfType, n: bigint, readMemory: ReadMemory): Value {
  return valueFromBytes(type, integerBytes(n, type.size), readMemory);
}

export function integerBytes(n: bigint, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, n);
  for (let i = 0; i < size; i++) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytes;
}

export function errorValue(type: DwarfType, message: string, readMemory: ReadMemory): Value {
  return new Value(type, { kind: 'error', message }, readMemory);
}
