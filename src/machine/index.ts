/**
 * Public API of the machine layer, one folder per concept: system (the Machine, its types and
 * events, loading, the run loop), cpu (the arch-neutral CPU interface), bus, riscv (the hart),
 * devices, loader (ELF, raw), debuginfo (DWARF) and boards (the built-in ones).
 */
export * from './system';
export type * from './cpu';
export type { CpuBus } from './bus';
export { BUILTIN_BOARDS, findBuiltinBoard, resetVectorWords, type BuiltinBoard } from './boards';
export type { MachineDevice, MmioAccess, OutputStream, DeviceEnv } from './devices';
export * as devices from './devices';
export { DebugInfo, pathsMatch } from './debuginfo';
// Source-level debugging for the adapter: frames, variables, typed values, C expressions.
export {
  ExpressionError as SourceExpressionError,
  addressAfterPrologue,
  availability,
  cannotAccess,
  childrenOf,
  evaluateExpression as evaluateSourceExpression,
  formatTopLevel,
  formatValue as formatSourceValue,
  frameExpressionScope,
  hasChildren,
  indexedCount,
  integerOf,
  riscvRegisterNumber,
  stripType,
  typeName,
  type ExpressionScope,
  type ExpressionTarget,
  type FrameState,
  type SourceFrame,
  type SourceSymbols,
  type SourceVariable,
  type Value as SourceValue,
} from './debuginfo';
