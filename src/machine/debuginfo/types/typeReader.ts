/**
 * Builds the type model from DWARF type DIEs, one object per DIE (cached), with lazy links so
 * recursive types terminate. A DIE that cannot be understood becomes an UnsupportedType that says
 * why (with the DIE offset), so only the values of that type are affected.
 */
import { DwarfError } from '../dwarfReader';
import { DW_AT, DW_ATE, DW_TAG } from '../dwarf';
import type { Die } from '../dwarf';
import { constantOf, dieName } from '../dwarf';
import {
  type ArrayType,
  type BaseEncoding,
  type DwarfType,
  type Enumerator,
  type FunctionType,
  type Member,
  type RecordType,
  VOID,
} from './types';

const ENCODINGS: Record<number, BaseEncoding> = {
  [DW_ATE.address]: 'address',
  [DW_ATE.boolean]: 'boolean',
  [DW_ATE.complex_float]: 'complex-float',
  [DW_ATE.float]: 'float',
  [DW_ATE.signed]: 'signed',
  [DW_ATE.signed_char]: 'signed-char',
  [DW_ATE.unsigned]: 'unsigned',
  [DW_ATE.unsigned_char]: 'unsigned-char',
  [DW_ATE.UTF]: 'utf',
};

const hex = (n: number) => `0x${n.toString(16)}`;

export class TypeReader {
  private readonly cache = new Map<Die, DwarfType>();

  /** The type a DIE's DW_AT_type names (void when it has none). */
  typeOfEntity(die: Die): DwarfType {
    const a = die.attribute(DW_AT.type);
    if (!a) return VOID;
    const target = die.unit.reference(a);
    if (!target)
      return {
        kind: 'unsupported',
        size: 0,
        reason: `DIE ${hex(die.offset)} refers to a type at ${hex(Number(a.value))} that cannot be read`,
      };
    return this.typeOf(target);
  }

  /** The type described by a type DIE. */
  typeOf(die: Die): DwarfType {
    let type = this.cache.get(die);
    if (!type) {
      try {
        type = this.build(die);
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        type = { kind: 'unsupported', size: 0, reason: e.message };
      }
      this.cache.set(die, type);
    }
    return type;
  }

  private build(die: Die): DwarfType {
    const size = constantOf(die.attribute(DW_AT.byte_size));
    const lazyTarget = () => {
      let target: DwarfType | undefined;
      return () => (target ??= this.typeOfEntity(die));
    };
    switch (die.tag) {
      case DW_TAG.base_type: {
        const encoding = ENCODINGS[constantOf(die.attribute(DW_AT.encoding)) ?? -1];
        if (!encoding || size === undefined)
          return {
            kind: 'unsupported',
            size: size ?? 0,
            reason: `base type DIE ${hex(die.offset)} has an unknown encoding`,
          };
        return { kind: 'base', name: dieName(die) ?? '?', size, encoding };
      }
      case DW_TAG.pointer_type:
      case DW_TAG.reference_type: {
        const target = lazyTarget();
        return {
          kind: 'pointer',
          size: size ?? die.unit.addressSize,
          get target() {
            return target();
          },
        };
      }
      case DW_TAG.const_type:
      case DW_TAG.volatile_type:
      case DW_TAG.restrict_type:
      case DW_TAG.atomic_type: {
        const target = lazyTarget();
        const qualifier =
          die.tag === DW_TAG.const_type
            ? 'const'
            : die.tag === DW_TAG.volatile_type
              ? 'volatile'
              : die.tag === DW_TAG.restrict_type
                ? 'restrict'
                : 'atomic';
        return {
          kind: 'qualified',
          qualifier,
          get size() {
            return target().size;
          },
          get target() {
            return target();
          },
        };
      }
      case DW_TAG.typedef: {
        const target = lazyTarget();
        return {
          kind: 'typedef',
          name: dieName(die) ?? '?',
          get size() {
            return target().size;
          },
          get target() {
            return target();
          },
        };
      }
      case DW_TAG.array_type:
        return this.array(die);
      case DW_TAG.structure_type:
      case DW_TAG.class_type:
      case DW_TAG.union_type:
        return this.record(die, size);
      case DW_TAG.enumeration_type:
        return this.enumeration(die, size);
      case DW_TAG.subroutine_type:
      case DW_TAG.subprogram:
        return this.functionType(die);
      default:
        return {
          kind: 'unsupported',
          size: size ?? 0,
          reason: `DIE ${hex(die.offset)} with tag ${hex(die.tag)} is not a type this reader knows`,
        };
    }
  }

  private array(die: Die): DwarfType {
    const dimensions: { count: number | undefined; lower: number }[] = [];
    for (const child of die.children) {
      if (child.tag !== DW_TAG.subrange_type) continue;
      const lower = constantOf(child.attribute(DW_AT.lower_bound)) ?? 0;
      const countAttr = child.attribute(DW_AT.count);
      const upperAttr = child.attribute(DW_AT.upper_bound);
      let count: number | undefined;
      if (countAttr && typeof countAttr.value === 'number') count = countAttr.value;
      else if (
        upperAttr &&
        (typeof upperAttr.value === 'number' || typeof upperAttr.value === 'bigint')
      ) {
        // An upper bound of -1 (all ones in data forms) is GCC's zero-length array.
        const upper = BigInt.asIntN(32, BigInt(upperAttr.value));
        count = Number(upper) - lower + 1;
        if (count < 0) count = 0;
      }
      dimensions.push({ count, lower });
    }
    if (dimensions.length === 0) dimensions.push({ count: undefined, lower: 0 });
    let element = this.typeOfEntity(die);
    for (let i = dimensions.length - 1; i >= 0; i--) {
      const { count, lower } = dimensions[i]!;
      const inner = element;
      const array: ArrayType = {
        kind: 'array',
        element: inner,
        count,
        lowerBound: lower,
        size: count === undefined ? 0 : count * inner.size,
      };
      element = array;
    }
    return element;
  }

  private record(die: Die, size: number | undefined): RecordType {
    let members: Member[] | undefined;
    const readMembers = () => (members ??= this.members(die));
    return {
      kind: die.tag === DW_TAG.union_type ? 'union' : 'struct',
      name: dieName(die),
      size: size ?? 0,
      incomplete: die.attribute(DW_AT.declaration)?.value === true,
      get members() {
        return readMembers();
      },
    };
  }

  private members(die: Die): Member[] {
    const members: Member[] = [];
    for (const child of die.children) {
      if (child.tag !== DW_TAG.member) continue;
      const type = this.typeOfEntity(child);
      const name = dieName(child);
      const location = child.attribute(DW_AT.data_member_location);
      let byteOffset = 0;
      if (location) {
        if (location.value instanceof Uint8Array) {
          // DWARF 2 style: DW_OP_plus_uconst N
          const bytes = location.value;
          if (bytes[0] === 0x23) {
            let v = 0;
            let scale = 1;
            for (let i = 1; i < bytes.length; i++) {
              v += (bytes[i]! & 0x7f) * scale;
              scale *= 128;
              if (!(bytes[i]! & 0x80)) break;
            }
            byteOffset = v;
          }
        } else byteOffset = constantOf(location) ?? 0;
      }
      const bitSize = constantOf(child.attribute(DW_AT.bit_size));
      const dataBitOffset = constantOf(child.attribute(DW_AT.data_bit_offset));
      if (bitSize === undefined) {
        members.push({ name, type, bitOffset: byteOffset * 8 });
      } else if (dataBitOffset !== undefined) {
        members.push({ name, type, bitOffset: dataBitOffset, bitSize });
      } else {
        // DWARF 2-4: DW_AT_bit_offset counts from the most significant bit of a storage unit of
        // DW_AT_byte_size bytes at data_member_location (little-endian target).
        const storage = constantOf(child.attribute(DW_AT.byte_size)) ?? type.size;
        const fromMsb = constantOf(child.attribute(DW_AT.bit_offset)) ?? 0;
        members.push({
          name,
          type,
          bitOffset: byteOffset * 8 + storage * 8 - fromMsb - bitSize,
          bitSize,
        });
      }
    }
    return members;
  }

  private enumeration(die: Die, size: number | undefined): DwarfType {
    const enumerators: Enumerator[] = [];
    let negative = false;
    let isFlag = true;
    let mask = 0n;
    for (const child of die.children) {
      if (child.tag !== DW_TAG.enumerator) continue;
      const a = child.attribute(DW_AT.const_value);
      const raw = a?.value;
      let value: bigint;
      if (typeof raw === 'number' || typeof raw === 'bigint') value = BigInt(raw);
      else continue;
      enumerators.push({ name: dieName(child) ?? '?', value });
      if (value < 0n) {
        negative = true;
        isFlag = false;
      } else {
        let bits = 0;
        for (let v = value; v > 0n; v >>= 1n) if (v & 1n) bits++;
        if (bits >= 2 || (mask & value) !== 0n) isFlag = false;
        else mask |= value;
      }
    }
    const underlying = die.attribute(DW_AT.type) ? this.typeOfEntity(die) : undefined;
    let isSigned = negative;
    if (underlying) {
      let u = underlying;
      while (u.kind === 'typedef' || u.kind === 'qualified') u = u.target;
      if (u.kind === 'base') isSigned = u.encoding === 'signed' || u.encoding === 'signed-char';
    }
    // A size-less enum (declaration) gets int's size, as in C.
    return {
      kind: 'enum',
      name: dieName(die),
      size: size ?? underlying?.size ?? 4,
      enumerators,
      isSigned,
      isFlag,
    };
  }

  private functionType(die: Die): FunctionType {
    const parameters: DwarfType[] = [];
    let variadic = false;
    for (const child of die.children) {
      if (child.tag === DW_TAG.formal_parameter) parameters.push(this.typeOfEntity(child));
      else if (child.tag === DW_TAG.unspecified_parameters) variadic = true;
    }
    return {
      kind: 'function',
      returnType: this.typeOfEntity(die),
      parameters,
      prototyped: die.attribute(DW_AT.prototyped)?.value === true,
      variadic,
      size: 1,
    };
  }
}
