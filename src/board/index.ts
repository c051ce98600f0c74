/**
 * Public API of the board-map language: parse, check, build, format, and the language service.
 * Pure: no Node, no DOM, no vscode. File access for includes goes through `BoardHost`.
 */
export * from './ast';
export {
  createScanner,
  TokenKind,
  ScanError,
  isPlainIdentifier,
  parseNumberLiteral,
} from './scanner';
export { parseBoard, type ParseResult } from './parser';
export {
  DiagnosticCode,
  Severity,
  severityName,
  type BoardDiagnostic,
  type DiagnosticCodeValue,
} from './diagnostics';
export { loadProgram, NO_FILES, type BoardHost, type Program, type SourceFile } from './program';
export { bindProgram } from './bind';
export * from './model';
export * from './deviceCatalog';
export {
  buildBoard,
  boardRegisterSpec,
  BuildError,
  placeholderOps,
  type BuildOptions,
  type BuiltBoard,
  type BuiltDevice,
  type BuildContext,
  type CpuDescription,
  type DeviceDescription,
  type DeviceFactory,
  type DeviceRegions,
} from './builder';
export { BoardEventNotifier, type BuiltIoeventfd } from './buildEngineFeatures';
export { compileBoard, type CompiledBoard } from './compile';
export { topologyToBoard, sizeLiteral, type FromTopologyOptions } from './fromTopology';
export { runActions, type ActionEffect, type ActionContext, type ActionValues } from './actions';
export { formatBoard, formatName, formatExpr } from './formatter';
export { analyze, type Analysis, type Placement } from './service/analysis';
export {
  getBoardMapService,
  type BoardMapService,
  type ServiceDiagnostic,
  type Location,
  type TextEdit,
  type OutlineSymbol,
  type Position,
  type Range,
  type CompletionItem,
} from './service/service';
export { LineIndex, humanSize, hexAddr } from './service/text';
