/**
 * Public API of the machine layer: the Machine (machine.ts), its types and events, device models,
 * built-in boards, loaders and the CPU interface.
 */
export { Machine } from './machine';
export * from './machineTypes';
export { Emitter, type Event, type Disposable } from './emitter';
export { faultLoopMessage, DEFAULT_BATCH } from './runLoop';
export {
  loadProgramInto,
  whyNotLoadable,
  ProgramLoadError,
  type ProgramLoadOptions,
} from './programLoader';
export { BUILTIN_BOARDS, findBuiltinBoard, resetVectorWords, type BuiltinBoard } from './boards';
export type { MachineDevice, MmioAccess, OutputStream, DeviceEnv } from './devices';
export * as devices from './devices';
export type * from './cpu';
export type { CpuBus } from './bus';
