/**
 * The machine itself: `Machine` (a board's memory system, harts and devices assembled, with typed
 * events), program loading, the run and step loops, and the host I/O and board state a machine
 * carries. The arch-neutral CPU interface it drives lives in ../cpu.
 */
export * from './machineTypes';
export { Emitter } from './emitter';
export type { Disposable, Event } from './emitter';
export { Machine } from './machine';
export type { DebuggerWrite } from './machineEvents';
export { ProgramLoadError, loadProgramInto, whyNotLoadable } from './programLoader';
export type { ProgramLoadOptions } from './programLoader';
export { DEFAULT_BATCH, faultLoopMessage } from './runLoop';
