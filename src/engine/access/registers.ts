/*
 * Access path: register tables. A device declares its registers (name, offset, width, access
 * rule, reset value, fields with their own rules, optional hooks) and gets a RegisterBank that
 * generates MemoryRegionOps — reads and writes with the rules applied, plus a side-effect-free
 * peek — and exposes the metadata for the debugger's peripheral view and the hex editor's hover.
 *
 * Rules per bit (a field's rule, else the register's):
 *   rw   read/write                       ro   writes ignored
 *   wo   reads as 0                       w1c  writing 1 clears, 0 keeps
 *   w1s  writing 1 sets, 0 keeps          rc   clear on read (writes ignored)
 *   rwc  read/write, cleared on read
 * Registers are 1, 2 or 4 bytes wide and little-endian unless the bank says otherwise; an
 * access may cover part of a register or several registers (byte lanes are merged, and only
 * the written lanes take part in the write rules).
 */
import {
  type MemoryRegion,
  type AccessSize,
  type MemoryRegionOps,
  type ReadValueSlot,
  MEMTX_DECODE_ERROR,
  MEMTX_OK,
  type Endianness,
  type MemTxAttrs,
  type MemTxResult,
} from '../core';
import { reportGuestError } from './access';

/** Access rule of a register or of a field (see the file header). */
export type RegisterAccessRule = 'rw' | 'ro' | 'wo' | 'w1c' | 'w1s' | 'rc' | 'rwc';

const RULES: readonly RegisterAccessRule[] = ['rw', 'ro', 'wo', 'w1c', 'w1s', 'rc', 'rwc'];

/** A bit field of a register. */
export interface FieldSpec {
  readonly name: string;
  /** Lowest bit of the field. */
  readonly lsb: number;
  /** Width in bits (default 1). */
  readonly width?: number;
  /** Rule for these bits (default: the register's rule). */
  readonly access?: RegisterAccessRule;
  /** Reset value of the field (field-relative; overrides the register's reset bits). */
  readonly reset?: number;
  readonly description?: string;
  /** Named values, e.g. { 0: 'disabled', 1: 'enabled' }, for views. */
  readonly enumValues?: Readonly<Record<number, string>>;
}

/** Live-value hook: returns the register's current value (may have side effects). */
export type RegisterReadHook = (bank: RegisterBank, region: MemoryRegion | null) => number;
/** Called after a guest write was applied: @value is the new stored value. */
export type RegisterWriteHook = (
  bank: RegisterBank,
  value: number,
  oldValue: number,
  written: number,
  region: MemoryRegion | null,
) => void;

/** One register of a table. */
export interface RegisterSpec {
  readonly name: string;
  /** Byte offset inside the bank's region. */
  readonly offset: number;
  /** Width in bytes: 1, 2 or 4 (default 4). */
  readonly width?: 1 | 2 | 4;
  /** Rule for bits not covered by a field (default 'rw'). */
  readonly access?: RegisterAccessRule;
  /** Reset value (default 0). */
  readonly reset?: number;
  readonly fields?: readonly FieldSpec[];
  readonly description?: string;
  /**
   * Supplies the value a guest read sees instead of the stored one (e.g. a FIFO pop). A
   * register with onRead is only peekable if it also has onPeek.
   */
  readonly onRead?: RegisterReadHook;
  /** Side-effect-free variant of onRead, used by debug peeks. */
  readonly onPeek?: (bank: RegisterBank, region: MemoryRegion | null) => number;
  /** Runs after each guest write to this register. */
  readonly onWrite?: RegisterWriteHook;
}

/** Options of a register bank. */
export interface RegisterBankOptions {
  /** Byte order of multi-byte registers (default 'little'). */
  readonly endianness?: Endianness;
  /** Accepted access sizes (default 1..4). */
  readonly minAccessSize?: 1 | 2 | 4;
  readonly maxAccessSize?: 1 | 2 | 4;
  /** Accept unaligned accesses (default false). */
  readonly unaligned?: boolean;
  /**
   * What an access that touches no register does: 'ignore' reads 0 and drops writes (logged as
   * a guest error), 'error' also fails with MEMTX_DECODE_ERROR (default 'ignore').
   */
  readonly unmapped?: 'ignore' | 'error';
}

/** Metadata of a field, for views. */
export interface FieldInfo {
  readonly name: string;
  readonly lsb: number;
  readonly width: number;
  readonly access: RegisterAccessRule;
  readonly reset: number;
  readonly description?: string;
  readonly enumValues?: Readonly<Record<number, string>>;
}

/** Metadata of a register, for views (debugger peripheral view, hex hover). */
export interface RegisterInfo {
  readonly name: string;
  readonly offset: number;
  readonly width: number;
  readonly access: RegisterAccessRule;
  readonly reset: number;
  readonly fields: readonly FieldInfo[];
  readonly description?: string;
  /** False when reading it has side effects and no onPeek exists. */
  readonly peekable: boolean;
}

/** Bit masks derived from a register's rules. */
interface Compiled {
  readonly spec: RegisterSpec;
  readonly info: RegisterInfo;
  readonly width: number;
  readonly widthMask: number;
  /** Bits a plain write replaces (rw, wo, rwc). */
  readonly writeMask: number;
  readonly w1cMask: number;
  readonly w1sMask: number;
  /** Bits cleared by a read (rc, rwc). */
  readonly clearOnReadMask: number;
  /** Bits that read as 0 (wo). */
  readonly readZeroMask: number;
  readonly reset: number;
}

function bitsMask(lsb: number, width: number): number {
  return width >= 32 ? 0xffffffff : (((1 << width) - 1) << lsb) >>> 0;
}

function compileRegister(spec: RegisterSpec, bankName: string): Compiled {
  const width = spec.width ?? 4;
  const where = `register '${spec.name}' of '${bankName}'`;
  if (width !== 1 && width !== 2 && width !== 4)
    throw new RangeError(`${where}: width must be 1, 2 or 4 bytes`);
  if (!Number.isSafeInteger(spec.offset) || spec.offset < 0)
    throw new RangeError(`${where}: bad offset ${spec.offset}`);
  const widthMask = bitsMask(0, width * 8);
  const regRule = spec.access ?? 'rw';
  if (!RULES.includes(regRule)) throw new Error(`${where}: unknown access rule '${regRule}'`);
  const ruleMasks = new Map<RegisterAccessRule, number>(RULES.map((r) => [r, 0]));
  let covered = 0;
  let reset = (spec.reset ?? 0) >>> 0;
  if ((reset & ~widthMask) !== 0)
    throw new RangeError(`${where}: reset value wider than the register`);
  const fields: FieldInfo[] = [];
  for (const f of spec.fields ?? []) {
    const fw = f.width ?? 1;
    const fieldWhere = `field '${f.name}' of ${where}`;
    if (
      !Number.isInteger(f.lsb) ||
      f.lsb < 0 ||
      !Number.isInteger(fw) ||
      fw < 1 ||
      f.lsb + fw > width * 8
    ) {
      throw new RangeError(
        `${fieldWhere}: bits [${f.lsb + fw - 1}:${f.lsb}] outside the ${width * 8}-bit register`,
      );
    }
    const m = bitsMask(f.lsb, fw);
    if ((covered & m) !== 0) throw new Error(`${fieldWhere}: overlaps another field`);
    covered |= m;
    const rule = f.access ?? regRule;
    if (!RULES.includes(rule)) throw new Error(`${fieldWhere}: unknown access rule '${rule}'`);
    ruleMasks.set(rule, (ruleMasks.get(rule)! | m) >>> 0);
    if (f.reset !== undefined) {
      if (f.reset < 0 || f.reset > (fw >= 32 ? 0xffffffff : (1 << fw) - 1)) {
        throw new RangeError(`${fieldWhere}: reset value does not fit ${fw} bits`);
      }
      reset = ((reset & ~m) | ((f.reset << f.lsb) & m)) >>> 0;
    }
    fields.push({
      name: f.name,
      lsb: f.lsb,
      width: fw,
      access: rule,
      reset: (reset & m) >>> f.lsb,
      ...(f.description !== undefined ? { description: f.description } : {}),
      ...(f.enumValues !== undefined ? { enumValues: f.enumValues } : {}),
    });
  }
  const rest = (widthMask & ~covered) >>> 0;
  ruleMasks.set(regRule, (ruleMasks.get(regRule)! | rest) >>> 0);
  const m = (r: RegisterAccessRule): number => ruleMasks.get(r)!;
  const peekable = spec.onRead === undefined || spec.onPeek !== undefined;
  return {
    spec,
    width,
    widthMask,
    writeMask: (m('rw') | m('wo') | m('rwc')) >>> 0,
    w1cMask: m('w1c'),
    w1sMask: m('w1s'),
    clearOnReadMask: (m('rc') | m('rwc')) >>> 0,
    readZeroMask: m('wo'),
    reset,
    info: {
      name: spec.name,
      offset: spec.offset,
      width,
      access: regRule,
      reset,
      fields,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      peekable,
    },
  };
}

/**
 * RegisterBank: the state and generated ops of one register table. Create with
 * `new RegisterBank(name, specs, options)`, map with `createIo(system, name, size, bank.ops)`.
 */
export class RegisterBank {
  /** The generated MemoryRegionOps (readWithAttrs, writeWithAttrs, peek). */
  readonly ops: MemoryRegionOps;
  private readonly regs: Compiled[];
  private readonly values: Uint32Array;
  private readonly byName = new Map<string, number>();
  private readonly bigEndian: boolean;
  private readonly unmappedIsError: boolean;

  constructor(
    readonly name: string,
    specs: readonly RegisterSpec[],
    options: RegisterBankOptions = {},
  ) {
    this.regs = specs
      .map((s) => compileRegister(s, name))
      .sort((a, b) => a.spec.offset - b.spec.offset);
    for (let i = 0; i < this.regs.length; i++) {
      const r = this.regs[i]!;
      if (this.byName.has(r.spec.name))
        throw new Error(`register bank '${name}': duplicate register '${r.spec.name}'`);
      this.byName.set(r.spec.name, i);
      const next = this.regs[i + 1];
      if (next && r.spec.offset + r.width > next.spec.offset) {
        throw new Error(`register bank '${name}': '${r.spec.name}' overlaps '${next.spec.name}'`);
      }
    }
    this.values = new Uint32Array(this.regs.length);
    this.bigEndian = options.endianness === 'big';
    this.unmappedIsError = options.unmapped === 'error';
    this.reset();
    const unaligned = options.unaligned ?? false;
    // The generated callbacks work on byte lanes themselves, so they take any 1..4-byte access
    // and the bank's byte order is applied here (the ops are declared little-endian).
    this.ops = {
      readWithAttrs: (region, offset, size, _attrs: MemTxAttrs, out: ReadValueSlot) =>
        this.access(region, offset, size, false, 0, out, false),
      writeWithAttrs: (region, offset, value, size) =>
        this.access(region, offset, size, true, value, null, false),
      peek: (region, offset, size) => {
        const slot = { value: 0, value64: 0n };
        return this.access(region, offset, size, false, 0, slot, true) === MEMTX_OK
          ? slot.value
          : undefined;
      },
      // A debugger reads each register whole, so clear-on-read registers clear once.
      debugAccessSize: (_region, offset) => this.registerAt(offset)?.width,
      endianness: 'little',
      valid: {
        minAccessSize: options.minAccessSize ?? 1,
        maxAccessSize: options.maxAccessSize ?? 4,
        unaligned,
      },
      impl: { minAccessSize: 1, maxAccessSize: 4, unaligned },
    };
  }

  /** Sets every register to its reset value (no hooks run). */
  reset(): void {
    for (let i = 0; i < this.regs.length; i++) this.values[i] = this.regs[i]!.reset;
  }

  /** Metadata of every register, sorted by offset. */
  describe(): readonly RegisterInfo[] {
    return this.regs.map((r) => r.info);
  }

  /** Metadata of the register covering byte @offset, or null. */
  registerAt(offset: number): RegisterInfo | null {
    const i = this.indexAt(offset);
    return i < 0 ? null : this.regs[i]!.info;
  }

  /** Stored value of register @name (device-side; no rules, no hooks). */
  get(name: string): number {
    return this.values[this.index(name)]!;
  }

  /** Sets the stored value of register @name (device-side; no rules, no hooks). */
  set(name: string, value: number): void {
    const i = this.index(name);
    this.values[i] = (value & this.regs[i]!.widthMask) >>> 0;
  }

  /** Stored value of field @field of register @name. */
  getField(name: string, field: string): number {
    const f = this.field(name, field);
    return (this.get(name) & bitsMask(f.lsb, f.width)) >>> f.lsb;
  }

  /** Sets field @field of register @name (device-side, no rules). */
  setField(name: string, field: string, value: number): void {
    const f = this.field(name, field);
    const m = bitsMask(f.lsb, f.width);
    this.set(name, ((this.get(name) & ~m) | ((value << f.lsb) & m)) >>> 0);
  }

  /**
   * The value a guest read of register @name would return, without its side effects
   * (no clear-on-read, onPeek instead of onRead); null when the register is not peekable.
   */
  peekRegister(name: string): number | null {
    const i = this.index(name);
    return this.readRegister(i, null, true);
  }

  private index(name: string): number {
    const i = this.byName.get(name);
    if (i === undefined) throw new Error(`register bank '${this.name}' has no register '${name}'`);
    return i;
  }

  private field(name: string, field: string): FieldInfo {
    const f = this.regs[this.index(name)]!.info.fields.find((x) => x.name === field);
    if (!f) throw new Error(`register '${name}' of '${this.name}' has no field '${field}'`);
    return f;
  }

  /** Index of the register containing byte @offset, or -1 (binary search). */
  private indexAt(offset: number): number {
    let lo = 0;
    let hi = this.regs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.regs[mid]!;
      if (offset < r.spec.offset) hi = mid - 1;
      else if (offset >= r.spec.offset + r.width) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** The register's read value (with read side effects unless @peek); null if not peekable. */
  private readRegister(i: number, region: MemoryRegion | null, peek: boolean): number | null {
    const r = this.regs[i]!;
    let v = this.values[i]!;
    if (r.spec.onRead) {
      if (peek) {
        if (!r.spec.onPeek) return null;
        v = r.spec.onPeek(this, region) >>> 0;
      } else v = r.spec.onRead(this, region) >>> 0;
    }
    v = (v & r.widthMask & ~r.readZeroMask) >>> 0;
    if (!peek && r.clearOnReadMask !== 0)
      this.values[i] = (this.values[i]! & ~r.clearOnReadMask) >>> 0;
    return v;
  }

  /** Applies a guest write of @value to the byte lanes @lanes (bit mask) of register i. */
  private writeRegister(
    i: number,
    value: number,
    lanes: number,
    region: MemoryRegion | null,
  ): void {
    const r = this.regs[i]!;
    const old = this.values[i]!;
    const w = (value & lanes) >>> 0;
    let next = (old & ~(r.writeMask & lanes)) | (w & r.writeMask);
    next &= ~(w & r.w1cMask);
    next |= w & r.w1sMask;
    next = (next & r.widthMask) >>> 0;
    this.values[i] = next;
    if (r.spec.onWrite) r.spec.onWrite(this, next, old, w, region);
  }

  /** Byte @b of a register value @v of @width bytes, in the bank's byte order. */
  private laneByte(v: number, b: number, width: number): number {
    const shift = this.bigEndian ? (width - 1 - b) * 8 : b * 8;
    return (v >>> shift) & 0xff;
  }

  private access(
    region: MemoryRegion | null,
    offset: number,
    size: AccessSize,
    isWrite: boolean,
    value: number,
    out: ReadValueSlot | null,
    peek: boolean,
  ): MemTxResult {
    let result = 0;
    let touched = false;
    const end = offset + size;
    let at = offset;
    while (at < end) {
      const i = this.indexAt(at);
      if (i < 0) {
        at++;
        continue;
      }
      touched = true;
      const r = this.regs[i]!;
      const base = r.spec.offset;
      const from = at - base;
      const to = Math.min(end, base + r.width) - base;
      if (isWrite) {
        let v = 0;
        let lanes = 0;
        for (let b = from; b < to; b++) {
          const byte = (value >>> ((base + b - offset) * 8)) & 0xff;
          const shift = this.bigEndian ? (r.width - 1 - b) * 8 : b * 8;
          v |= byte << shift;
          lanes |= 0xff << shift;
        }
        this.writeRegister(i, v >>> 0, lanes >>> 0, region);
      } else {
        const v = this.readRegister(i, region, peek);
        if (v === null) return MEMTX_DECODE_ERROR;
        for (let b = from; b < to; b++) {
          result = (result | (this.laneByte(v, b, r.width) << ((base + b - offset) * 8))) >>> 0;
        }
      }
      at = base + to;
    }
    if (out) out.value = result >>> 0;
    if (!touched && !peek) {
      if (region) {
        reportGuestError(
          region.system,
          'invalid-access',
          `${isWrite ? 'write' : 'read'} of unimplemented register at offset 0x${offset.toString(16)}, size ${size}, bank '${this.name}'`,
        );
      }
      return this.unmappedIsError ? MEMTX_DECODE_ERROR : MEMTX_OK;
    }
    return MEMTX_OK;
  }
}
