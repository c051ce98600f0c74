// Hand-made DWARF for unit tests: byte writers, abbreviation tables and unit headers, so tests
// can build exactly the forms, lists and faults they are about.

export class Bytes {
  readonly out: number[] = [];
  get length(): number {
    return this.out.length;
  }
  u8(...values: number[]): this {
    for (const v of values) this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v, v >> 8);
  }
  u32(v: number): this {
    return this.u8(v, v >> 8, v >> 16, v >>> 24);
  }
  uleb(v: number): this {
    do {
      let byte = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) byte |= 0x80;
      this.out.push(byte);
    } while (v !== 0);
    return this;
  }
  sleb(v: number): this {
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
      this.out.push(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  cstr(text: string): this {
    for (const c of text) this.out.push(c.charCodeAt(0));
    return this.u8(0);
  }
  bytes(data: ArrayLike<number>): this {
    for (let i = 0; i < data.length; i++) this.out.push(data[i]!);
    return this;
  }
  toArray(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export type AbbrevSpec = {
  code: number;
  tag: number;
  children: boolean;
  attributes: readonly (readonly [name: number, form: number, implicitConst?: number])[];
};

export function abbreviationTable(specs: readonly AbbrevSpec[]): Bytes {
  const b = new Bytes();
  for (const s of specs) {
    b.uleb(s.code)
      .uleb(s.tag)
      .u8(s.children ? 1 : 0);
    for (const [name, form, implicit] of s.attributes) {
      b.uleb(name).uleb(form);
      if (form === 0x21) b.sleb(implicit ?? 0);
    }
    b.u8(0, 0);
  }
  return b.u8(0);
}

/** A unit: header (v4 or v5 compile unit, 32-bit DWARF, address size 4) + DIE bytes. */
export function unit(version: 4 | 5, dies: Bytes, abbrevOffset = 0): Bytes {
  const header = new Bytes().u16(version);
  if (version === 5) header.u8(0x01, 4).u32(abbrevOffset);
  else header.u32(abbrevOffset).u8(4);
  return new Bytes()
    .u32(header.length + dies.length)
    .bytes(header.out)
    .bytes(dies.out);
}

/** Offset of the first DIE from the unit start. */
export const dieStart = (version: 4 | 5): number => (version === 5 ? 12 : 11);
