/**
 * The C type model built from DWARF type DIEs: base types of every encoding and width,
 * qualifiers, typedefs, pointers, arrays (one level per dimension, as C and gdb see them),
 * structs, unions, enums, bitfield members and function types. Built lazily (a pointer's target
 * is read when first asked for), so recursive types (a list node pointing to itself) are fine.
 */

export type BaseEncoding =
  | 'signed'
  | 'unsigned'
  | 'signed-char'
  | 'unsigned-char'
  | 'boolean'
  | 'float'
  | 'complex-float'
  | 'address'
  | 'utf';

export interface VoidType {
  readonly kind: 'void';
  readonly size: 0;
}

export interface BaseType {
  readonly kind: 'base';
  readonly name: string;
  readonly size: number;
  readonly encoding: BaseEncoding;
}

export interface PointerType {
  readonly kind: 'pointer';
  readonly size: number;
  readonly target: DwarfType;
}

export type Qualifier = 'const' | 'volatile' | 'restrict' | 'atomic';

export interface QualifiedType {
  readonly kind: 'qualified';
  readonly qualifier: Qualifier;
  readonly size: number;
  readonly target: DwarfType;
}

export interface TypedefType {
  readonly kind: 'typedef';
  readonly name: string;
  readonly size: number;
  readonly target: DwarfType;
}

export interface ArrayType {
  readonly kind: 'array';
  readonly element: DwarfType;
  /** Number of elements; undefined for an unknown bound (`int x[]`, a flexible member). */
  readonly count: number | undefined;
  readonly lowerBound: number;
  readonly size: number;
}

export interface Member {
  /** Undefined for an anonymous struct/union member or an unnamed bitfield. */
  readonly name: string | undefined;
  readonly type: DwarfType;
  /** Offset of the member's first bit from the start of the enclosing object. */
  readonly bitOffset: number;
  /** Set for bitfields: the width in bits. */
  readonly bitSize?: number;
}

export interface RecordType {
  readonly kind: 'struct' | 'union';
  readonly name: string | undefined;
  readonly size: number;
  readonly members: readonly Member[];
  /** A declaration without a definition (`struct opaque;`). */
  readonly incomplete: boolean;
}

export interface Enumerator {
  readonly name: string;
  readonly value: bigint;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly name: string | undefined;
  readonly size: number;
  readonly enumerators: readonly Enumerator[];
  readonly isSigned: boolean;
  /** gdb's "flag enum": values are disjoint single bits (or 0); printed as `(A | B)`. */
  readonly isFlag: boolean;
}

export interface FunctionType {
  readonly kind: 'function';
  readonly returnType: DwarfType;
  readonly parameters: readonly DwarfType[];
  readonly prototyped: boolean;
  readonly variadic: boolean;
  readonly size: 1;
}

/** A type the reader could not build (bad DIE): values of it cannot be shown, says why. */
export interface UnsupportedType {
  readonly kind: 'unsupported';
  readonly size: number;
  readonly reason: string;
}

export type DwarfType =
  | VoidType
  | BaseType
  | PointerType
  | QualifiedType
  | TypedefType
  | ArrayType
  | RecordType
  | EnumType
  | FunctionType
  | UnsupportedType;

export const VOID: VoidType = { kind: 'void', size: 0 };

/** The type without typedefs and qualifiers (what C's operators look at). */
export function stripType(type: DwarfType): DwarfType {
  let t = type;
  for (let depth = 0; depth < 64 && (t.kind === 'typedef' || t.kind === 'qualified'); depth++)
    t = t.target;
  return t;
}

export function baseType(name: string, size: number, encoding: BaseEncoding): BaseType {
  return { kind: 'base', name, size, encoding };
}

export function pointerTo(target: DwarfType, size = 4): PointerType {
  return { kind: 'pointer', size, target };
}

export function arrayOf(element: DwarfType, count: number | undefined): ArrayType {
  return {
    kind: 'array',
    element,
    count,
    lowerBound: 0,
    size: count === undefined ? 0 : count * element.size,
  };
}

/** True for integer-like base types (not float), enums and bool/char. */
export function isIntegral(type: DwarfType): boolean {
  const t = stripType(type);
  return (
    (t.kind === 'base' && t.encoding !== 'float' && t.encoding !== 'complex-float') ||
    t.kind === 'enum'
  );
}

export function isSignedType(type: DwarfType): boolean {
  const t = stripType(type);
  if (t.kind === 'enum') return t.isSigned;
  return t.kind === 'base' && (t.encoding === 'signed' || t.encoding === 'signed-char');
}

export function isCharType(type: DwarfType): boolean {
  const t = stripType(type);
  return (
    t.kind === 'base' &&
    t.size === 1 &&
    (t.encoding === 'signed-char' || t.encoding === 'unsigned-char')
  );
}

export function isScalar(type: DwarfType): boolean {
  const t = stripType(type);
  return t.kind === 'base' || t.kind === 'enum' || t.kind === 'pointer';
}
