/**
 * Building a checked board into engine objects: regions, address spaces, devices for the machine
 * layer, register banks and memory-controller actions; `compileBoard`-style one-call entries.
 */
export { runActions } from './actions';
export type { ActionContext, ActionEffect, ActionValues } from './actions';
export { BoardEventNotifier } from './buildEngineFeatures';
export type { BuiltIoeventfd } from './buildEngineFeatures';
export { BuildError, boardRegisterSpec, buildBoard, placeholderOps } from './builder';
export type {
  BuildContext,
  BuildOptions,
  BuiltBoard,
  BuiltDevice,
  CpuDescription,
  DeviceDescription,
  DeviceFactory,
  DeviceRegions,
} from './builder';
export { compileBoard, compileBoardAsync, compileProgram } from './compile';
export type { CompiledBoard } from './compile';
