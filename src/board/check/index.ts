/**
 * Checking a board program: loading the root file and its includes, binding symbols into the
 * semantic model, evaluating constant expressions, the device catalog, and layout checks.
 */
export * from './deviceCatalog';
export * from './model';
export { bindProgram } from './bind';
export { CPU_MODELS, DEVICE_MODELS, findDeviceModel } from './deviceCatalog';
export type { DeviceModel } from './deviceCatalog';
export { evaluate } from './evaluate';
export { formatQomText, sameSymbol } from './model';
export type {
  BoardModel,
  ConstInfo,
  CpuInfo,
  IoeventfdInfo,
  Occurrence,
  ParamValue,
  RegionInfo,
  RegisterInfo,
  SpaceInfo,
} from './model';
export { MAX_BOARD_FILE_BYTES, NO_FILES, loadProgram, loadProgramAsync } from './program';
export type {
  AsyncBoardHost,
  BoardHost,
  BoardReadRefusal,
  BoardReadResult,
  Program,
  SourceFile,
} from './program';
