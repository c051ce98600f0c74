/**
 * The expression scope of a frame: names through SourceFrame.lookup (blocks, then the unit's
 * statics and globals, then other units), functions, enumerators and types from the DWARF,
 * RISC-V registers with gdb's types ($pc and $ra `void (*)()`, $sp/$gp/$tp/$fp `void *`, the
 * rest and CSRs `long`) from the frame's recovered registers and an injected CSR reader.
 */
import type { SourceFrame, SourceSymbols } from '../scope';
import { BUILTIN, CODE_POINTER, DATA_POINTER } from './builtinTypes';
import type { ExpressionScope, RegisterAccess } from './scope';
import type { DwarfType } from '../types';
import type { ReadMemory } from '../values';
import type { FrameState } from '../scope';
import { ABI_NAMES } from '../../riscv';

/** x-register number of a gdb register name (`a0`, `x10`, `fp`), or undefined. */
export function riscvRegisterNumber(name: string): number | undefined {
  if (name === 'fp') return 8;
  const abi = ABI_NAMES.indexOf(name);
  if (abi >= 0) return abi;
  const m = /^x([0-9]|[12][0-9]|3[01])$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function registerType(n: number): DwarfType {
  if (n === 1) return CODE_POINTER;
  if (n === 2 || n === 3 || n === 4 || n === 8) return DATA_POINTER;
  return BUILTIN.long;
}

export interface ExpressionTarget {
  readonly readMemory: ReadMemory;
  /** A CPU-like store (MMIO runs device callbacks); an error message, or undefined. */
  readonly writeMemory?: (address: number, bytes: Uint8Array) => string | undefined;
  /** A CSR (or other non-x register) by gdb name. */
  readonly readOtherRegister?: (name: string) => number | undefined;
  /** Writes a register of this frame by gdb name (usually allowed in frame 0 only). */
  readonly writeRegister?: (name: string, value: number) => boolean;
}

/** Register access for one frame (its recovered x registers and pc). */
export function riscvRegisterAccess(frame: FrameState, target: ExpressionTarget): RegisterAccess {
  // Registers written through this scope read back their new values (the frame is a snapshot).
  const written = new Map<string, number>();
  const write = target.writeRegister
    ? (name: string, value: number) => {
        const ok = target.writeRegister!(name, value);
        const n = riscvRegisterNumber(name);
        if (ok) written.set(n === undefined ? name : `x${n}`, value >>> 0);
        return ok;
      }
    : undefined;
  return {
    read: (name) => {
      const n = riscvRegisterNumber(name);
      const overlay = written.get(n === undefined ? name : `x${n}`);
      if (name === 'pc') return { value: overlay ?? frame.pc, type: CODE_POINTER };
      if (n !== undefined) {
        const value = n === 0 ? 0 : (overlay ?? frame.registers[n]);
        return value === undefined ? undefined : { value, type: registerType(n) };
      }
      const other = overlay ?? target.readOtherRegister?.(name);
      return other === undefined ? undefined : { value: other, type: BUILTIN.long };
    },
    write,
    writeDwarf: write ? (n, value) => n < 32 && write(ABI_NAMES[n]!, value) : undefined,
  };
}

/** The scope C expressions see in `frame` (or at file scope of `pc` when no frame). */
export function frameExpressionScope(
  symbols: SourceSymbols,
  frame: SourceFrame | undefined,
  target: ExpressionTarget,
  pc?: number,
): ExpressionScope {
  const where = frame
    ? frame.physical.level === 0
      ? frame.physical.pc
      : frame.physical.pc - 1
    : pc;
  return {
    readMemory: target.readMemory,
    lookup: (name) =>
      frame ? frame.lookup(name) : symbols.lookupGlobal(name, target.readMemory, where),
    variableInFunction: (fn, name) => {
      // A frame of that function in the stack would be gdb's choice; statics need none.
      const inFrame = frame && frame.functionName === fn ? frame.lookup(name) : undefined;
      return inFrame ?? symbols.variableInFunction(fn, name, target.readMemory, where);
    },
    functionNamed: (name) => {
      const fn = symbols.functionNamed(name, where);
      return fn ? { address: fn.address, type: symbols.functionType(fn.die) } : undefined;
    },
    enumerator: (name) => symbols.enumeratorNamed(name, where),
    typeNamed: (name) => symbols.typeNamed(name, where),
    isTypedef: (name) => symbols.isTypeName(name, where),
    registers: frame ? riscvRegisterAccess(frame.physical, target) : undefined,
    implicitPointerTarget: frame
      ? (die, offset, type) => frame.implicitPointerTarget(die, offset, type)
      : undefined,
    writeMemory: target.writeMemory,
  };
}
