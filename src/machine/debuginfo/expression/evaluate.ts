/**
 * DWARF expression evaluator (DWARF 5 §2.5-2.6) for location descriptions: the stack machine
 * (literals, constants, stack and arithmetic ops, branches, dereference), register and memory
 * locations (DW_OP_reg*, breg*, fbreg, addr/addrx, call_frame_cfa), composites (DW_OP_piece,
 * bit_piece), DW_OP_stack_value, DW_OP_implicit_value and DW_OP_entry_value (answered by the
 * caller's call-site information when it has it, else unavailable). Arithmetic is on the
 * address-sized generic type, as the standard says.
 */
import { DwarfCursor, DwarfError } from '../dwarfReader';
import type { Location, LocationPart, LocationPiece } from './location';

export interface ExpressionContext {
  readonly addressSize: number;
  /** A register's value in this frame; undefined when it is not known (not saved). */
  readRegister(register: number): number | undefined;
  /** `size` bytes of memory as a little-endian number; undefined when unreadable. */
  readMemory(address: number, size: number): bigint | undefined;
  /** DW_AT_frame_base of the enclosing function, evaluated (for DW_OP_fbreg). */
  frameBase?(): number | undefined;
  /** The frame's canonical frame address (DW_OP_call_frame_cfa). */
  callFrameAddress?(): number | undefined;
  /** Entry `index` of the unit's .debug_addr (DW_OP_addrx, constx). */
  addressAt?(index: number): number;
  /** The value the expression had on entry to the function (DW_OP_entry_value). */
  entryValue?(expression: Uint8Array): bigint | undefined;
  /** Size of .debug_info offsets in this unit (DW_OP_implicit_pointer's operand); default 4. */
  readonly offsetSize?: 4 | 8;
  /** The base type DIE at a unit-relative offset (typed operations: DW_OP_convert, …). */
  baseType?(unitOffset: number): StackType | undefined;
}

/** The type of a typed DWARF stack entry (DWARF 5 §2.5.1); untyped entries are generic. */
export interface StackType {
  readonly size: number;
  readonly signed: boolean;
  readonly float: boolean;
}

/** Raised inside evaluation when a value the expression needs is not available at this pc. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

export type EvaluationResult =
  | { readonly kind: 'location'; readonly location: Location }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'error'; readonly error: DwarfError };

export interface ExpressionSource {
  readonly bytes: Uint8Array;
  /** Section and offset of the first byte, for error messages. */
  readonly section: string;
  readonly offset: number;
}

/** Evaluates a location expression; never throws for bad bytes (an 'error' result instead). */
export function evaluateLocation(
  source: ExpressionSource,
  context: ExpressionContext,
  initialStack: readonly bigint[] = [],
): EvaluationResult {
  try {
    return { kind: 'location', location: run(source, context, initialStack) };
  } catch (e) {
    if (e instanceof UnavailableError) return { kind: 'unavailable', reason: e.message };
    if (e instanceof DwarfError) return { kind: 'error', error: e };
    throw e;
  }
}

/** Evaluates an expression for its value (the top of the stack), e.g. DW_AT_frame_base. */
export function evaluateValue(source: ExpressionSource, context: ExpressionContext): bigint {
  const location = run(source, context, []);
  const only = location[0]?.part;
  if (location.length === 1 && only) {
    if (only.kind === 'memory') return BigInt(only.address);
    if (only.kind === 'value') return only.value;
    if (only.kind === 'register') {
      const value = context.readRegister(only.register);
      if (value === undefined) throw new UnavailableError(`register ${only.register} is not saved`);
      return BigInt(value);
    }
  }
  throw new UnavailableError('the expression does not compute a value');
}

function run(
  source: ExpressionSource,
  context: ExpressionContext,
  initial: readonly bigint[],
): Location {
  try {
    return runInPlace(source, context, initial);
  } catch (e) {
    // The cursor reads the expression on its own: make its offsets section offsets.
    if (e instanceof DwarfError && e.offset !== undefined && e.section === RELATIVE)
      throw new DwarfError(e.code, source.section, source.offset + e.offset, e.detail);
    throw e;
  }
}

const RELATIVE = '<expression>';

function runInPlace(
  source: ExpressionSource,
  context: ExpressionContext,
  initial: readonly bigint[],
): Location {
  const bytes = source.bytes;
  const cursor = new DwarfCursor(bytes, RELATIVE, 0);
  const fail = (detail: string, at: number, code = 'malformed'): never => {
    throw new DwarfError(code, RELATIVE, at, detail);
  };
  const bits = BigInt(context.addressSize * 8);
  const wrap = (v: bigint) => BigInt.asUintN(Number(bits), v);
  const signed = (v: bigint) => BigInt.asIntN(Number(bits), v);
  const stack: bigint[] = initial.map(wrap);
  // Types of the stack entries (undefined = the generic type), kept beside the values.
  const types: (StackType | undefined)[] = [];
  const typeAt = (depth: number) => types[stack.length - 1 - depth];
  const setTop = (t: StackType | undefined) => {
    types.length = stack.length;
    types[stack.length - 1] = t;
  };
  const stackType = (at: number): StackType | undefined => {
    const offset = cursor.uleb('type offset');
    if (offset === 0) return undefined;
    const t = context.baseType?.(offset);
    if (!t)
      fail(`typed DWARF operation names 0x${offset.toString(16)}, which is not a base type`, at);
    if (t!.float) throw new UnavailableError('floating-point DWARF stack values are not supported');
    return t;
  };
  const fit = (v: bigint, t: StackType | undefined) =>
    t ? (t.signed ? BigInt.asIntN(t.size * 8, v) : BigInt.asUintN(t.size * 8, v)) : wrap(v);
  const pieces: LocationPiece[] = [];
  let pending: LocationPart | undefined; // a register/implicit location waiting for a piece op
  let steps = 0;
  const pop = (at: number): bigint => {
    const v = stack.pop();
    if (v === undefined) fail('DWARF expression stack underflow', at);
    return v!;
  };
  const register = (n: number, at: number): number => {
    const v = context.readRegister(n);
    if (v === undefined) throw new UnavailableError(`register ${n} is not available in this frame`);
    void at;
    return v;
  };
  const memory = (address: bigint, size: number): bigint => {
    const v = context.readMemory(Number(address), size);
    if (v === undefined)
      throw new UnavailableError(`cannot read memory at 0x${address.toString(16)}`);
    return v;
  };
  const uleb = (what: string) => BigInt(cursor.uleb(what));
  const sleb = (what: string) => BigInt(cursor.sleb(what));
  while (cursor.offset < bytes.length) {
    if (++steps > 100_000) fail('DWARF expression does not terminate', cursor.offset);
    const at = cursor.offset;
    types.length = stack.length;
    const op = cursor.u8('DW_OP');
    if (pending && op !== 0x93 && op !== 0x9d)
      fail(`DW_OP 0x${op.toString(16)} after a register or implicit location`, at);
    if (op >= 0x30 && op <= 0x4f) {
      stack.push(BigInt(op - 0x30));
      continue;
    }
    if (op >= 0x50 && op <= 0x6f) {
      pending = { kind: 'register', register: op - 0x50 };
      continue;
    }
    if (op >= 0x70 && op <= 0x8f) {
      stack.push(wrap(BigInt(register(op - 0x70, at)) + sleb('DW_OP_breg offset')));
      continue;
    }
    switch (op) {
      case 0x03:
        stack.push(BigInt(cursor.address(context.addressSize, 'DW_OP_addr')));
        break;
      case 0x06:
        stack.push(memory(pop(at), context.addressSize));
        break;
      case 0x08:
        stack.push(BigInt(cursor.u8('DW_OP_const1u')));
        break;
      case 0x09:
        stack.push(wrap(BigInt(cursor.i8('DW_OP_const1s'))));
        break;
      case 0x0a:
        stack.push(BigInt(cursor.u16('DW_OP_const2u')));
        break;
      case 0x0b:
        stack.push(wrap(BigInt((cursor.u16('DW_OP_const2s') << 16) >> 16)));
        break;
      case 0x0c:
        stack.push(BigInt(cursor.u32('DW_OP_const4u')));
        break;
      case 0x0d:
        stack.push(wrap(BigInt(cursor.u32('DW_OP_const4s') | 0)));
        break;
      case 0x0e:
      case 0x0f: {
        const low = BigInt(cursor.u32('DW_OP_const8'));
        const high = BigInt(cursor.u32('DW_OP_const8'));
        stack.push(wrap((high << 32n) | low));
        break;
      }
      case 0x10:
        stack.push(wrap(uleb('DW_OP_constu')));
        break;
      case 0x11:
        stack.push(wrap(sleb('DW_OP_consts')));
        break;
      case 0x12: {
        const t = typeAt(0);
        const v = pop(at);
        stack.push(v, v);
        setTop(t);
        types[stack.length - 2] = t;
        break;
      }
      case 0x13:
        pop(at);
        break;
      case 0x14:
        if (stack.length < 2) fail('DW_OP_over needs two entries', at);
        stack.push(stack[stack.length - 2]!);
        setTop(typeAt(2));
        break;
      case 0x15: {
        const index = cursor.u8('DW_OP_pick index');
        if (index >= stack.length) fail(`DW_OP_pick ${index} beyond the stack`, at);
        stack.push(stack[stack.length - 1 - index]!);
        setTop(typeAt(index + 1));
        break;
      }
      case 0x16: {
        const [ta, tb] = [typeAt(0), typeAt(1)];
        const a = pop(at);
        const b = pop(at);
        stack.push(a, b);
        types.length = stack.length;
        types[stack.length - 2] = ta;
        types[stack.length - 1] = tb;
        break;
      }
      case 0x17: {
        const [ta, tb, tc] = [typeAt(0), typeAt(1), typeAt(2)];
        const a = pop(at);
        const b = pop(at);
        const c = pop(at);
        stack.push(a, c, b);
        types.length = stack.length;
        types[stack.length - 3] = ta;
        types[stack.length - 2] = tc;
        types[stack.length - 1] = tb;
        break;
      }
      case 0x19: {
        const v = signed(pop(at));
        stack.push(wrap(v < 0n ? -v : v));
        break;
      }
      case 0x1a:
      case 0x1b:
      case 0x1c:
      case 0x1d:
      case 0x1e:
      case 0x21:
      case 0x22:
      case 0x24:
      case 0x25:
      case 0x26:
      case 0x27:
      case 0x29:
      case 0x2a:
      case 0x2b:
      case 0x2c:
      case 0x2d:
      case 0x2e: {
        const t = typeAt(1);
        const b = pop(at);
        const a = pop(at);
        const tBits = t ? BigInt(t.size * 8) : bits;
        const tWrap = (v: bigint) => BigInt.asUintN(Number(tBits), v);
        const tSigned = (v: bigint) => BigInt.asIntN(Number(tBits), v);
        const r = binary(op, tWrap(a), tWrap(b), tWrap, tSigned, tBits, () =>
          fail('division by zero', at),
        );
        stack.push(op >= 0x29 && op <= 0x2e ? r : fit(r, t));
        setTop(op >= 0x29 && op <= 0x2e ? undefined : t);
        break;
      }
      case 0x1f: {
        const t = typeAt(0);
        stack.push(fit(-pop(at), t));
        setTop(t);
        break;
      }
      case 0x20: {
        const t = typeAt(0);
        stack.push(fit(~pop(at), t));
        setTop(t);
        break;
      }
      case 0xa4:
      case 0xf4: {
        const t = stackType(at);
        const size = cursor.u8('DW_OP_const_type size');
        const raw = cursor.bytesOf(size, 'DW_OP_const_type value');
        let v = 0n;
        for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]!);
        stack.push(fit(v, t));
        setTop(t);
        break;
      }
      case 0xa5:
      case 0xf5: {
        const reg = cursor.uleb('DW_OP_regval_type register');
        const t = stackType(at);
        stack.push(fit(BigInt(register(reg, at)), t));
        setTop(t);
        break;
      }
      case 0xa6:
      case 0xf6: {
        const size = cursor.u8('DW_OP_deref_type size');
        const t = stackType(at);
        stack.push(fit(memory(pop(at), size), t));
        setTop(t);
        break;
      }
      case 0xa8:
      case 0xf7:
      case 0xa9:
      case 0xf9: {
        const from = typeAt(0);
        const t = stackType(at);
        const v = pop(at);
        // convert keeps the number (sign-extending from a signed source); reinterpret the bits.
        const source =
          from && from.signed && (op === 0xa8 || op === 0xf7) ? BigInt.asIntN(from.size * 8, v) : v;
        stack.push(fit(source, t));
        setTop(t);
        break;
      }
      case 0x23:
        stack.push(wrap(pop(at) + uleb('DW_OP_plus_uconst')));
        break;
      case 0x28: {
        const delta = (cursor.u16('DW_OP_bra') << 16) >> 16;
        if (pop(at) !== 0n) jump(cursor, delta, bytes.length, at, fail);
        break;
      }
      case 0x2f:
        jump(cursor, (cursor.u16('DW_OP_skip') << 16) >> 16, bytes.length, at, fail);
        break;
      case 0x90:
        pending = { kind: 'register', register: cursor.uleb('DW_OP_regx') };
        break;
      case 0x91: {
        const offset = sleb('DW_OP_fbreg offset');
        const frameBase = context.frameBase?.();
        if (frameBase === undefined) throw new UnavailableError('the frame base is not known');
        stack.push(wrap(BigInt(frameBase) + offset));
        break;
      }
      case 0x92: {
        const reg = cursor.uleb('DW_OP_bregx register');
        stack.push(wrap(BigInt(register(reg, at)) + sleb('DW_OP_bregx offset')));
        break;
      }
      case 0x93:
      case 0x9d: {
        const size = cursor.uleb('DW_OP_piece size');
        const bitSize = op === 0x93 ? size * 8 : size;
        const bitOffset = op === 0x9d ? cursor.uleb('DW_OP_bit_piece offset') : undefined;
        let part: LocationPart;
        if (pending) part = pending;
        else if (stack.length > 0) part = { kind: 'memory', address: Number(pop(at)) };
        else part = { kind: 'optimized-out' };
        pieces.push({ part, bitSize, bitOffset });
        pending = undefined;
        stack.length = 0;
        break;
      }
      case 0x94: {
        const size = cursor.u8('DW_OP_deref_size size');
        if (size < 1 || size > 8) fail(`DW_OP_deref_size ${size}`, at);
        stack.push(memory(pop(at), size));
        break;
      }
      case 0x96:
        break;
      case 0x9c: {
        const cfa = context.callFrameAddress?.();
        if (cfa === undefined) throw new UnavailableError('the call frame address is not known');
        stack.push(BigInt(cfa));
        break;
      }
      case 0x9e: {
        const length = cursor.uleb('DW_OP_implicit_value length');
        pending = { kind: 'bytes', bytes: cursor.bytesOf(length, 'DW_OP_implicit_value') };
        break;
      }
      case 0x9f:
        pending = { kind: 'value', value: pop(at) };
        break;
      case 0xa1:
      case 0xa2:
      case 0xfb:
      case 0xfc: {
        const index = cursor.uleb('DW_OP_addrx index');
        if (!context.addressAt) fail('DW_OP_addrx without a .debug_addr table', at);
        stack.push(BigInt(context.addressAt!(index)));
        break;
      }
      case 0xa3:
      case 0xf3: {
        const length = cursor.uleb('DW_OP_entry_value length');
        const inner = cursor.bytesOf(length, 'DW_OP_entry_value expression');
        const value = context.entryValue?.(inner);
        if (value === undefined)
          throw new UnavailableError('the value on entry to the function is not known');
        stack.push(wrap(value));
        break;
      }
      case 0xa0:
      case 0xf2: {
        // DWARF 5: the DIE reference is offset-sized (address-sized in DWARF 2).
        const die = cursor.offsetField(context.offsetSize ?? 4, 'DW_OP_implicit_pointer DIE');
        pending = {
          kind: 'implicit-pointer',
          die,
          offset: cursor.sleb('DW_OP_implicit_pointer offset'),
        };
        break;
      }
      case 0xf0: // DW_OP_GNU_uninit: the value may be uninitialised; no effect on the location
        break;
      default:
        fail(`DW_OP 0x${op.toString(16)} is not supported`, at, 'unsupported-opcode');
    }
  }
  if (pieces.length > 0) {
    if (pending || stack.length > 0)
      fail('DWARF expression has data after its last piece', bytes.length);
    return pieces;
  }
  if (pending) return [{ part: pending }];
  if (stack.length === 0) return [{ part: { kind: 'optimized-out' } }];
  return [{ part: { kind: 'memory', address: Number(stack[stack.length - 1]!) } }];
}

function jump(
  cursor: DwarfCursor,
  delta: number,
  length: number,
  at: number,
  fail: (detail: string, at: number) => never,
): void {
  const target = cursor.offset + delta;
  if (target < 0 || target > length) fail(`branch to ${target} outside the expression`, at);
  cursor.offset = target;
}

function binary(
  op: number,
  a: bigint,
  b: bigint,
  wrap: (v: bigint) => bigint,
  signed: (v: bigint) => bigint,
  bits: bigint,
  divideByZero: () => never,
): bigint {
  switch (op) {
    case 0x1a:
      return a & b;
    case 0x1b:
      if (b === 0n) divideByZero();
      return wrap(signed(a) / signed(b));
    case 0x1c:
      return wrap(a - b);
    case 0x1d:
      if (b === 0n) divideByZero();
      return wrap(a % b);
    case 0x1e:
      return wrap(a * b);
    case 0x21:
      return a | b;
    case 0x22:
      return wrap(a + b);
    case 0x24:
      return b >= bits ? 0n : wrap(a << b);
    case 0x25:
      return b >= bits ? 0n : a >> b;
    case 0x26:
      return wrap(signed(a) >> (b >= bits ? bits - 1n : b));
    case 0x27:
      return a ^ b;
    case 0x29:
      return signed(a) === signed(b) ? 1n : 0n;
    case 0x2a:
      return signed(a) >= signed(b) ? 1n : 0n;
    case 0x2b:
      return signed(a) > signed(b) ? 1n : 0n;
    case 0x2c:
      return signed(a) <= signed(b) ? 1n : 0n;
    case 0x2d:
      return signed(a) < signed(b) ? 1n : 0n;
    default:
      return signed(a) !== signed(b) ? 1n : 0n;
  }
}
