/**
 * Debug information from ELF files: symbols, DWARF line tables and CFI (call stacks), and the
 * source level from .debug_info — what a debugger shows as gdb shows it.
 *
 * For a debug adapter (see each folder's entry for details):
 *  - `new DebugInfo(elf).source` (or `new SourceSymbols(elf, frameTable)`): the unit index,
 *    read lazily; `source.program.problems` lists units that could not be read.
 *  - At a stop: `sourceStack(source, frameTable, { pc, x }, readMemory, { atUserBreakpoint })`
 *    gives the frames (inline frames included, gdb's numbering); each `frame` has
 *    `arguments()`, `locals()` / `localScopes()` and `lookup(name)`, and
 *    `source.globals(pc, readMemory)` lists the unit's globals and statics.
 *  - Values: `variable.value()` → `Value` (`address`, `size`, `type`); `formatValue` (Variables
 *    view, `info locals` text), `formatTopLevel` (Debug Console, `print` text), `typeName`,
 *    `childrenOf(value, start, count)` / `indexedCount` / `hasChildren` (with each child's C
 *    expression for evaluateName).
 *  - Expressions: `frameExpressionScope(source, frame, target, pc)` then `printExpression`,
 *    `evaluateExpression` (assignments write through `target.writeMemory` / `writeRegister`),
 *    `typeQuery('whatis' | 'ptype', …)`; for setVariable, `valueForAssignment(text, value.type,
 *    scope)` then `planAssignment(value, converted)` (the write to make, no side effects).
 *  - Stepping: `source.functionBreakpoint(name, lines)`, `source.enteredFunction(pc, lines)`,
 *    `source.inlinedEntriesAt(pc)`.
 * Memory is always read through the injected `ReadMemory` (the adapter decides about MMIO).
 */
export { DwarfError, DwarfCursor } from './dwarfReader';
export {
  parseDebugLine,
  type DebugLineSections,
  type LineProgram,
  type LineProgramHeader,
  type LineRow,
  type LineFileEntry,
} from './dwarfLine';
export {
  LineTable,
  type SourceLocation,
  type LineRange,
  type LineSequence,
  type LineTableOptions,
} from './lineTable';
export { normalizePath, resolvePath, pathsMatch, isAbsolutePath } from './paths';
export {
  parseDebugFrame,
  frameRows,
  type CfiRow,
  type CfaRule,
  type RegisterRule,
  type CommonInformationEntry,
  type FrameDescriptionEntry,
} from './dwarfFrame';
export {
  FrameTable,
  unwindOne,
  unwindStack,
  RISCV_RA,
  RISCV_SP,
  type FrameRegisters,
  type UnwoundFrame,
  type ReadWord,
} from './unwind';
export { DebugInfo, type StackFrameInfo } from './debugInfo';
// Source-level debugging from .debug_info: each folder's entry file is its public API.
export * from './dwarf';
export * from './types';
export * from './expression';
export * from './values';
export * from './scope';
export * from './cexpr';
