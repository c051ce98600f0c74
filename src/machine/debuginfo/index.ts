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
export { DwarfProgram } from './dwarf/program';
export { CompileUnit, readUnitHeader, type UnitHeader } from './dwarf/unit';
export { Die, type DieAttribute } from './dwarf/die';
export { dwarfSectionsOf, type DwarfSections } from './dwarf/sections';
export { DW_AT, DW_TAG, DW_FORM } from './dwarf/constants';
export { TypeReader } from './types/typeReader';
export { typeName } from './types/typeName';
export * from './types/types';
export {
  evaluateLocation,
  evaluateValue,
  type ExpressionContext,
  type EvaluationResult,
} from './expression/evaluate';
export type { Location, LocationPart, LocationPiece } from './expression/location';
export {
  Value,
  type ReadMemory,
  type MemoryBytes,
  type Contents,
  valueFromInteger,
  valueFromBytes,
} from './values/value';
export { formatValue, formatTopLevel, formatFloat, type FormatOptions } from './values/format';
export { elfSymbolizer } from './values/symbolize';
export { type FrameState, lookupPc } from './scope/frameState';
export {
  SourceSymbols,
  entryPc,
  type SourceFrame,
  type SourceVariable,
  type VariableKind,
} from './scope/sourceSymbols';
export { parseExpression } from './cexpr/parser';
export { ExpressionError } from './cexpr/lexer';
export type { Expression, TypeExpression } from './cexpr/ast';
export { evaluateExpression, printExpression } from './cexpr/evaluator';
export type { ExpressionScope, RegisterAccess } from './cexpr/scope';
export {
  frameExpressionScope,
  riscvRegisterAccess,
  riscvRegisterNumber,
  type ExpressionTarget,
} from './cexpr/frameScope';
