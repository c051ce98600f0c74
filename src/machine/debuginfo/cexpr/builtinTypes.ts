/** gdb's built-in C types for an ILP32 target (literals, casts to keywords, arithmetic results). */
import {
  type BaseType,
  type DwarfType,
  type FunctionType,
  VOID,
  baseType,
  pointerTo,
} from '../types';

const B = (name: string, size: number, encoding: BaseType['encoding']) =>
  baseType(name, size, encoding);

export const BUILTIN = {
  void: VOID,
  char: B('char', 1, 'signed-char'),
  'signed char': B('signed char', 1, 'signed-char'),
  'unsigned char': B('unsigned char', 1, 'unsigned-char'),
  short: B('short', 2, 'signed'),
  'unsigned short': B('unsigned short', 2, 'unsigned'),
  int: B('int', 4, 'signed'),
  'unsigned int': B('unsigned int', 4, 'unsigned'),
  long: B('long', 4, 'signed'),
  'unsigned long': B('unsigned long', 4, 'unsigned'),
  'long long': B('long long', 8, 'signed'),
  'unsigned long long': B('unsigned long long', 8, 'unsigned'),
  float: B('float', 4, 'float'),
  double: B('double', 8, 'float'),
  _Bool: B('_Bool', 1, 'boolean'),
} as const satisfies Record<string, DwarfType>;

export type BuiltinName = keyof typeof BUILTIN;

/** `void (*)()`, gdb's type of $pc. */
export const CODE_POINTER = pointerTo({
  kind: 'function',
  returnType: VOID,
  parameters: [],
  prototyped: false,
  variadic: false,
  size: 1,
} satisfies FunctionType);

/** `void *`, gdb's type of $sp. */
export const DATA_POINTER = pointerTo(VOID);

/** The built-in type spelled by C keywords (`unsigned`, `long int`, `short unsigned`), or undefined. */
export function builtinFromWords(words: readonly string[]): DwarfType | undefined {
  const count = (w: string) => words.filter((x) => x === w).length;
  const unsigned = count('unsigned') > 0;
  const signed = count('signed') > 0;
  const longs = count('long');
  if (count('void')) return words.length === 1 ? VOID : undefined;
  if (count('_Bool')) return BUILTIN._Bool;
  if (count('float')) return BUILTIN.float;
  if (count('double')) return longs ? undefined : BUILTIN.double;
  if (count('char'))
    return unsigned ? BUILTIN['unsigned char'] : signed ? BUILTIN['signed char'] : BUILTIN.char;
  if (count('short')) return unsigned ? BUILTIN['unsigned short'] : BUILTIN.short;
  if (longs >= 2) return unsigned ? BUILTIN['unsigned long long'] : BUILTIN['long long'];
  if (longs === 1) return unsigned ? BUILTIN['unsigned long'] : BUILTIN.long;
  if (count('int') || unsigned || signed) return unsigned ? BUILTIN['unsigned int'] : BUILTIN.int;
  return undefined;
}
