/** Debug information from ELF files: DWARF line tables (and the symbol table via the loader). */
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
export { DwarfProgram } from './dwarf';
export { CompileUnit, readUnitHeader, type UnitHeader } from './dwarf';
export { Die, type DieAttribute } from './dwarf';
export { dwarfSectionsOf, type DwarfSections } from './dwarf';
export { DW_AT, DW_TAG, DW_FORM } from './dwarf';
export { TypeReader } from './types';
export { typeName } from './types';
export * from './types';
export {
  evaluateLocation,
  evaluateValue,
  type ExpressionContext,
  type EvaluationResult,
} from './expression';
export type { Location, LocationPart, LocationPiece } from './expression';
export {
  Value,
  type ReadMemory,
  type MemoryBytes,
  type Contents,
  valueFromInteger,
  valueFromBytes,
} from './values';
export { formatValue, formatTopLevel, formatFloat, type FormatOptions } from './values';
export { elfSymbolizer } from './values';
export { type FrameState, lookupPc } from './scope';
export {
  SourceSymbols,
  entryPc,
  type SourceFrame,
  type SourceVariable,
  type VariableKind,
} from './scope';
export { parseExpression } from './cexpr';
export { ExpressionError } from './cexpr';
export type { Expression, TypeExpression } from './cexpr';
export { evaluateExpression, printExpression } from './cexpr';
export type { ExpressionScope, RegisterAccess } from './cexpr';
export {
  frameExpressionScope,
  riscvRegisterAccess,
  riscvRegisterNumber,
  type ExpressionTarget,
} from './cexpr';
