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
// Source-level debugging from .debug_info: each folder's entry file is its public API.
export * from './dwarf';
export * from './types';
export * from './expression';
export * from './values';
export * from './scope';
export * from './cexpr';
