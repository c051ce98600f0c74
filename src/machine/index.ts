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
