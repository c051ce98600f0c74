/**
 * The value of a variable or parameter DIE in a frame: DW_AT_location (an expression, or a
 * location list chosen by the frame's pc), DW_AT_const_value, or nothing (optimised out). The
 * frame base is the enclosing subprogram's DW_AT_frame_base (DW_OP_call_frame_cfa → the frame's
 * CFA); DW_OP_entry_value is answered from the caller's DW_TAG_call_site parameters.
 */
import { DW_AT, DW_FORM, DW_TAG } from '../dwarf';
import type { Die, DieAttribute } from '../dwarf';
import { findAttributeOn } from '../dwarf';
import type { LocationList } from '../dwarf';
import { DwarfError } from '../dwarfReader';
import {
  type EvaluationResult,
  type ExpressionContext,
  type ExpressionSource,
  UnavailableError,
  evaluateLocation,
  evaluateValue,
} from '../expression';
import type { Location } from '../expression';
import type { TypeReader } from '../types';
import type { DwarfType } from '../types';
import {
  BYTE_NOT_SAVED,
  BYTE_SYNTHETIC,
  BYTE_OPTIMIZED_OUT,
  type Contents,
  type ReadMemory,
  Value,
  integerBytes,
  readMemoryContents,
} from '../values';
import { type FrameState, lookupPc } from './frameState';
import { containsPc } from './blocks';

export interface VariableEnvironment {
  readonly readMemory: ReadMemory;
  readonly types: TypeReader;
  /** The CFA of a frame when the frame state does not carry it (frame 0 from CFI rows). */
  readonly cfaOf?: (frame: FrameState) => number | undefined;
  /** The subprogram DIE containing a pc (for the caller's call sites). */
  readonly functionAt?: (pc: number) => Die | undefined;
}

/** Everything needed to evaluate expressions of one function in one frame. */
export class FrameEvaluator {
  private frameBaseCache?: { value: number | undefined };

  constructor(
    readonly frame: FrameState | undefined,
    /** The subprogram (not an inlined instance) whose DW_AT_frame_base applies. */
    readonly subprogram: Die | undefined,
    readonly env: VariableEnvironment,
  ) {}

  context(unit: Die['unit']): ExpressionContext {
    const frame = this.frame;
    return {
      addressSize: unit.addressSize,
      offsetSize: unit.offsetSize,
      readRegister: (n) => (frame && n < 32 ? (n === 0 ? 0 : frame.registers[n]) : undefined),
      readMemory: (address, size) => {
        const c = readMemoryContents(this.env.readMemory, address, size);
        if (c.status.some((s) => s !== 0)) return undefined;
        let v = 0n;
        for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(c.bytes[i]!);
        return v;
      },
      frameBase: () => this.frameBase(),
      callFrameAddress: () => (frame ? (frame.cfa ?? this.env.cfaOf?.(frame)) : undefined),
      addressAt: (index) => unit.addressAt(index),
      entryValue: (expression) => this.entryValue(expression),
      baseType: (offset) => {
        const die = unit.dieAt(unit.header.offset + offset);
        if (!die || die.tag !== DW_TAG.base_type) return undefined;
        const size = die.attribute(DW_AT.byte_size)?.value;
        const encoding = die.attribute(DW_AT.encoding)?.value;
        if (typeof size !== 'number' || typeof encoding !== 'number') return undefined;
        return { size, signed: encoding === 0x05 || encoding === 0x06, float: encoding === 0x04 };
      },
    };
  }

  private frameBase(): number | undefined {
    if (this.frameBaseCache) return this.frameBaseCache.value;
    this.frameBaseCache = { value: undefined };
    const sub = this.subprogram;
    const found = sub ? findAttributeOn(sub, DW_AT.frame_base) : undefined;
    if (!found || !this.frame) return undefined;
    const source = this.expressionFor(found.die, found.attribute);
    if (!source) return undefined;
    try {
      const v = evaluateValue(source, this.context(found.die.unit));
      this.frameBaseCache.value = Number(BigInt.asUintN(32, v));
    } catch (e) {
      if (!(e instanceof UnavailableError) && !(e instanceof DwarfError)) throw e;
    }
    return this.frameBaseCache.value;
  }

  /** The expression of a location-class attribute that applies at this frame's pc. */
  expressionFor(die: Die, a: DieAttribute): ExpressionSource | undefined {
    if (a.value instanceof Uint8Array) {
      const info = die.unit.sections.info;
      return {
        bytes: a.value,
        section: '.debug_info',
        offset: a.value.byteOffset - info.byteOffset,
      };
    }
    if (!this.frame) return undefined;
    const list: LocationList = die.unit.locationList(a);
    const pc = lookupPc(this.frame);
    const entry = list.entries.find((e) => pc >= e.start && pc < e.end) ?? list.fallback;
    return entry
      ? { bytes: entry.expression, section: list.section, offset: entry.expressionOffset }
      : undefined;
  }

  /** DW_OP_entry_value(DW_OP_regN): the caller's DW_TAG_call_site_parameter for register N. */
  private entryValue(expression: Uint8Array): bigint | undefined {
    const frame = this.frame;
    const caller = frame?.caller;
    if (!frame || !caller || expression.length !== 1) return undefined;
    const op = expression[0]!;
    if (op < 0x50 || op > 0x6f) return undefined;
    const register = op - 0x50;
    const callerFunction = this.env.functionAt?.(lookupPc(caller));
    if (!callerFunction) return undefined;
    const site = findCallSite(callerFunction, caller.pc);
    if (!site) return undefined;
    for (const parameter of site.children) {
      if (parameter.tag !== DW_TAG.call_site_parameter && parameter.tag !== 0x410a) continue;
      const location = parameter.attribute(DW_AT.location);
      if (!(location?.value instanceof Uint8Array) || location.value.length !== 1) continue;
      if (location.value[0] !== 0x50 + register) continue;
      const value = parameter.attribute(0x7e) ?? parameter.attribute(0x2111); // call_value, GNU_call_site_value
      if (!(value?.value instanceof Uint8Array)) return undefined;
      const evaluator = new FrameEvaluator(caller, callerFunction, this.env);
      const info = parameter.unit.sections.info;
      try {
        return evaluateValue(
          {
            bytes: value.value,
            section: '.debug_info',
            offset: value.value.byteOffset - info.byteOffset,
          },
          evaluator.context(parameter.unit),
        );
      } catch (e) {
        if (e instanceof UnavailableError || e instanceof DwarfError) return undefined;
        throw e;
      }
    }
    return undefined;
  }
}

/** The call site in `fn` whose return address is `returnPc` (DWARF 5 or GNU call sites). */
function findCallSite(fn: Die, returnPc: number): Die | undefined {
  const stack: Die[] = [fn];
  while (stack.length > 0) {
    const die = stack.pop()!;
    for (const child of die.children) {
      if (child.tag === DW_TAG.call_site || child.tag === DW_TAG.GNU_call_site) {
        const a = child.attribute(0x7d) ?? child.attribute(DW_AT.low_pc); // call_return_pc
        if (a && child.unit.address(a) === returnPc) return child;
      } else if (child.tag === DW_TAG.lexical_block || child.tag === DW_TAG.inlined_subroutine) {
        if (containsPc(child, returnPc - 1)) stack.push(child);
      }
    }
  }
  return undefined;
}

/** A value built from an evaluated location. */
export function valueAtLocation(
  type: DwarfType,
  location: Location,
  frame: FrameState | undefined,
  readMemory: ReadMemory,
): Value {
  if (
    location.length === 1 &&
    location[0]!.part.kind === 'memory' &&
    location[0]!.bitSize === undefined
  )
    return new Value(
      type,
      { kind: 'memory', address: location[0]!.part.address },
      readMemory,
      location,
    );
  const size = type.size;
  const bytes = new Uint8Array(size);
  const status = new Uint8Array(size).fill(BYTE_OPTIMIZED_OUT);
  let unreadableAt: number | undefined;
  let at = 0;
  for (const piece of location) {
    const length = piece.bitSize === undefined ? size - at : Math.ceil(piece.bitSize / 8);
    const fill = (source: Contents) => {
      for (let i = 0; i < length && at + i < size; i++) {
        bytes[at + i] = source.bytes[i] ?? 0;
        status[at + i] = source.status[i] ?? BYTE_OPTIMIZED_OUT;
      }
      unreadableAt ??= source.unreadableAt;
    };
    const part = piece.part;
    switch (part.kind) {
      case 'memory':
        fill(readMemoryContents(readMemory, part.address, length));
        break;
      case 'register': {
        // A value wider than a register continues in the next registers (as gdb reads it).
        const regBytes = new Uint8Array(length);
        const regStatus = new Uint8Array(length);
        for (let i = 0; i < length; i += 4) {
          const n = part.register + i / 4;
          const v = n === 0 ? 0 : n < 32 ? frame?.registers[n] : undefined;
          for (let k = 0; k < 4 && i + k < length; k++) {
            regBytes[i + k] = v === undefined ? 0 : (v >>> (8 * k)) & 0xff;
            regStatus[i + k] = v === undefined ? BYTE_NOT_SAVED : 0;
          }
        }
        fill({ bytes: regBytes, status: regStatus });
        break;
      }
      case 'value':
        fill({ bytes: integerBytes(part.value, length), status: new Uint8Array(length) });
        break;
      case 'bytes':
        fill({ bytes: part.bytes, status: new Uint8Array(part.bytes.length) });
        break;
      case 'implicit-pointer':
        fill({
          bytes: new Uint8Array(length),
          status: new Uint8Array(length).fill(BYTE_SYNTHETIC),
        });
        break;
      case 'optimized-out':
        break;
    }
    at += length;
  }
  return new Value(
    type,
    { kind: 'contents', contents: { bytes, status, unreadableAt } },
    readMemory,
    location,
  );
}

/** The value of a variable/parameter DIE (following abstract origins for its type). */
export function variableValue(die: Die, evaluator: FrameEvaluator): Value {
  const types = evaluator.env.types;
  const typeHolder = findAttributeOn(die, DW_AT.type);
  const type = typeHolder ? types.typeOfEntity(typeHolder.die) : types.typeOfEntity(die);
  const readMemory = evaluator.env.readMemory;
  const optimizedOut = () =>
    new Value(
      type,
      {
        kind: 'contents',
        contents: {
          bytes: new Uint8Array(type.size),
          status: new Uint8Array(type.size).fill(BYTE_OPTIMIZED_OUT),
        },
      },
      readMemory,
    );
  try {
    const location = findAttributeOn(die, DW_AT.location);
    if (location) {
      const source = evaluator.expressionFor(location.die, location.attribute);
      if (!source) return optimizedOut();
      const result: EvaluationResult = evaluateLocation(
        source,
        evaluator.context(location.die.unit),
      );
      if (result.kind === 'unavailable') return optimizedOut();
      if (result.kind === 'error')
        return new Value(type, { kind: 'error', message: result.error.message }, readMemory);
      return valueAtLocation(type, result.location, evaluator.frame, readMemory);
    }
    const constant = findAttributeOn(die, DW_AT.const_value);
    if (constant) return constantValue(type, constant.attribute, readMemory);
    return optimizedOut();
  } catch (e) {
    if (!(e instanceof DwarfError)) throw e;
    return new Value(type, { kind: 'error', message: e.message }, readMemory);
  }
}

function constantValue(type: DwarfType, a: DieAttribute, readMemory: ReadMemory): Value {
  let bytes: Uint8Array;
  if (a.value instanceof Uint8Array) bytes = a.value;
  else if (typeof a.value === 'string') bytes = Uint8Array.from(a.value, (c) => c.charCodeAt(0));
  else if (typeof a.value === 'number' || typeof a.value === 'bigint')
    bytes = integerBytes(BigInt(a.value), type.size);
  else bytes = new Uint8Array(type.size);
  const padded = new Uint8Array(type.size);
  padded.set(bytes.subarray(0, type.size));
  void DW_FORM;
  return new Value(
    type,
    { kind: 'contents', contents: { bytes: padded, status: new Uint8Array(type.size) } },
    readMemory,
    [{ part: { kind: 'bytes', bytes: padded } }],
  );
}
