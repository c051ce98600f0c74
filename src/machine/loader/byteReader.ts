/**
 * Bounds-checked little-endian reads over a Uint8Array. Every read names what it is reading, so a
 * short or corrupt input becomes a typed error ("truncated: program header 2 p_offset needs 4
 * bytes at 0x64, the file has 0x60") instead of a RangeError from DataView.
 */

/** Raises the caller's typed error; never returns. */
export type FailFn = (code: string, offset: number, detail: string) => never;

export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: FailFn,
    /** Describes the whole input in messages, e.g. 'the file' or '.debug_line'. */
    private readonly inputName = 'the input',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws 'truncated' unless [offset, offset + size) lies inside the input. */
  need(offset: number, size: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0) {
      this.fail('truncated', Math.max(0, offset | 0), `${what}: invalid range`);
    }
    if (offset + size > this.bytes.length) {
      this.fail(
        'truncated',
        offset,
        `truncated: ${what} needs ${size} byte${size === 1 ? '' : 's'} at 0x${offset.toString(16)}, ` +
          `${this.inputName} has 0x${this.bytes.length.toString(16)}`,
      );
    }
  }

  u8(offset: number, what: string): number {
    this.need(offset, 1, what);
    return this.bytes[offset]!;
  }

  u16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getUint32(offset, true);
  }

  i8(offset: number, what: string): number {
    this.need(offset, 1, what);
    return this.view.getInt8(offset);
  }

  i16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.view.getInt16(offset, true);
  }

  i32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getInt32(offset, true);
  }

  /** 64-bit unsigned, as a bigint (exact). */
  u64(offset: number, what: string): bigint {
    this.need(offset, 8, what);
    return this.view.getBigUint64(offset, true);
  }

  /** A view of [offset, offset + size), no copy. */
  slice(offset: number, size: number, what: string): Uint8Array {
    this.need(offset, size, what);
    return this.bytes.subarray(offset, offset + size);
  }

  /** The NUL-terminated string starting at `offset` and ending before `limit` (exclusive). */
  cstring(offset: number, what: string, limit = this.bytes.length): { text: string; end: number } {
    const end = Math.min(limit, this.bytes.length);
    if (offset < 0 || offset >= end) {
      this.fail(
        'truncated',
        Math.max(0, offset),
        `${what}: string offset 0x${offset.toString(16)} is outside ${this.inputName}`,
      );
    }
    let nul = offset;
    while (nul < end && this.bytes[nul] !== 0) nul++;
    if (nul >= end) {
      this.fail(
        'truncated',
        offset,
        `${what}: string is not NUL-terminated before 0x${end.toString(16)}`,
      );
    }
    return { text: decodeUtf8(this.bytes, offset, nul), end: nul + 1 };
  }
}

/** UTF-8 to string without TextDecoder (not in the ES2022 lib); invalid sequences become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  let i = start;
  while (i < end) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    const extra = b0 >= 0xf0 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc2 ? 1 : -1;
    let code = b0 & (0x3f >> extra);
    let valid = extra > 0 && i + extra < end;
    for (let k = 1; valid && k <= extra; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) valid = false;
      code = (code << 6) | (b & 0x3f);
    }
    const minimum = extra === 1 ? 0x80 : extra === 2 ? 0x800 : 0x10000;
    if (!valid || code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      out += '\ufffd';
      i++;
      continue;
    }
    out += String.fromCodePoint(code);
    i += extra + 1;
  }
  return out;
}
