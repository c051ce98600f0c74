/**
 * A cursor over one DWARF section: fixed-size little-endian fields, LEB128 and strings, every
 * read bounds-checked against a limit (the section end, or the end of the current unit). Errors
 * are DwarfErrors naming the section and the offset.
 */
import { BinaryFormatError, ByteReader } from '../loader';

export class DwarfError extends BinaryFormatError {
  override readonly name = 'DwarfError';
  constructor(code: string, section: string, offset: number, detail: string) {
    super('DWARF', code, offset, detail, section);
  }
}

export class DwarfCursor {
  private readonly reader: ByteReader;
  /** Reads may not go past this offset (exclusive). */
  limit: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly section: string,
    public offset = 0,
    limit = bytes.length,
  ) {
    this.reader = new ByteReader(
      bytes,
      (code, at, detail) => {
        throw new DwarfError(code, section, at, detail);
      },
      section,
    );
    this.limit = limit;
  }

  fail(detail: string, at = this.offset, code = 'malformed'): never {
    throw new DwarfError(code, this.section, at, detail);
  }

  get atEnd(): boolean {
    return this.offset >= this.limit;
  }

  private take(size: number, what: string): number {
    const at = this.offset;
    if (at + size > this.limit) {
      this.fail(
        `truncated: ${what} needs ${size} byte(s), only ${Math.max(0, this.limit - at)} left in the unit`,
        at,
        'truncated',
      );
    }
    this.offset += size;
    return at;
  }

  u8(what: string): number {
    return this.reader.u8(this.take(1, what), what);
  }
  i8(what: string): number {
    return this.reader.i8(this.take(1, what), what);
  }
  u16(what: string): number {
    return this.reader.u16(this.take(2, what), what);
  }
  u32(what: string): number {
    return this.reader.u32(this.take(4, what), what);
  }
  /** A 64-bit field that must fit a JS number exactly (offsets, lengths). */
  u64(what: string): number {
    const at = this.take(8, what);
    const value = this.reader.u64(at, what);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} ${value} is too large`, at);
    return Number(value);
  }
  /** 4 or 8 bytes: a section offset in 32-bit or 64-bit DWARF. */
  offsetField(size: 4 | 8, what: string): number {
    return size === 4 ? this.u32(what) : this.u64(what);
  }
  /** An address of `size` bytes (1, 2, 4 or 8); 8-byte addresses must fit 32 bits here. */
  address(size: number, what: string): number {
    switch (size) {
      case 1:
        return this.u8(what);
      case 2:
        return this.u16(what);
      case 4:
        return this.u32(what);
      case 8: {
        const at = this.offset;
        const value = this.u64(what);
        if (value >= 2 ** 32)
          this.fail(`${what} 0x${value.toString(16)} does not fit the 32-bit address space`, at);
        return value;
      }
      default:
        return this.fail(`${what}: unsupported address size ${size}`);
    }
  }

  uleb(what: string): number {
    const start = this.offset;
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8(what);
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) break;
      scale *= 128;
      if (scale > 2 ** 56) this.fail(`${what}: LEB128 value is too large`, start, 'bad-leb128');
    }
    if (!Number.isSafeInteger(result))
      this.fail(`${what}: LEB128 value is too large`, start, 'bad-leb128');
    return result;
  }

  sleb(what: string): number {
    const start = this.offset;
    let result = 0;
    let scale = 1;
    let byte: number;
    do {
      byte = this.u8(what);
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if (scale > 2 ** 56 && byte & 0x80)
        this.fail(`${what}: LEB128 value is too large`, start, 'bad-leb128');
    } while (byte & 0x80);
    if (byte & 0x40) result -= scale; // sign-extend from the last byte's bit 6
    if (!Number.isSafeInteger(result))
      this.fail(`${what}: LEB128 value is too large`, start, 'bad-leb128');
    return result;
  }

  cstring(what: string): string {
    const { text, end } = this.reader.cstring(this.offset, what, this.limit);
    this.offset = end;
    return text;
  }

  bytesOf(size: number, what: string): Uint8Array {
    const at = this.take(size, what);
    return this.bytes.subarray(at, at + size);
  }

  skip(size: number, what: string): void {
    this.take(size, what);
  }
}

/** The NUL-terminated string at `offset` of a string section (.debug_str, .debug_line_str). */
export function stringAt(
  section: Uint8Array | undefined,
  name: string,
  offset: number,
  from: DwarfCursor,
  what: string,
): string {
  if (!section) from.fail(`${what} refers to ${name}, which the file does not have`);
  if (offset >= section.length)
    from.fail(
      `${what}: offset 0x${offset.toString(16)} is outside ${name} (size 0x${section.length.toString(16)})`,
    );
  const cursor = new DwarfCursor(section, name, offset);
  return cursor.cstring(what);
}
