/** What an expression can see and change: names, types, registers and memory of one frame. */
import type { SourceVariable } from '../scope';
import type { DwarfType, EnumType } from '../types';
import type { ReadMemory, Value } from '../values';

export interface RegisterAccess {
  /** A register by gdb name (`pc`, `sp`, `a0`, `x10`, `mstatus`), with gdb's type for it. */
  read(name: string): { readonly value: number; readonly type: DwarfType } | undefined;
  /** Writes a register by gdb name; false when it cannot be written. */
  write?(name: string, value: number): boolean;
  /** Writes a register by DWARF number (variables that live in registers). */
  writeDwarf?(register: number, value: number): boolean;
}

export interface ExpressionScope {
  readonly readMemory: ReadMemory;
  /** A variable visible from the frame (locals, arguments, statics, globals). */
  lookup(name: string): SourceVariable | undefined;
  /** gdb's `function::name`: a variable declared in that function (statics need no frame). */
  variableInFunction?(
    functionName: string,
    name: string,
  ): SourceVariable | 'no function' | 'no variable' | 'no frame';
  functionNamed?(name: string): { readonly address: number; readonly type: DwarfType } | undefined;
  enumerator?(name: string): { readonly type: EnumType; readonly value: bigint } | undefined;
  /** A program type: `struct x`, `union x`, `enum x`, a typedef or base type name. */
  typeNamed?(name: string): DwarfType | undefined;
  isTypedef?(name: string): boolean;
  readonly registers?: RegisterAccess;
  /** `*p` when p is a `<synthetic pointer>` (DW_OP_implicit_pointer to `die` + `offset`). */
  implicitPointerTarget?(die: number, offset: number, type: DwarfType): Value | undefined;
  /** Writes target memory as a CPU store would; returns an error message, or undefined. */
  writeMemory?(address: number, bytes: Uint8Array): string | undefined;
}
