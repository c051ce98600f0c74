/**
 * Messages and custom DAP requests/events shared by the debug adapter, the extension host and the
 * webviews. Plain data only: no vscode, no Node, no DOM.
 */

/** Bumped whenever a message shape below changes incompatibly. */
export const PROTOCOL_VERSION = 1;

export * from './rpc';
export * from './rpcEndpoint';
export * from './topology';
export * from './hex';
export * from './topologyIndex';
export * from './resolveAddress';
export * from './flatView';
export { HEX_EDITOR_VIEW_TYPE, HexEditorCommand } from './hexEditor';
export type {
  ExportFormat,
  HexEditorInit,
  HexEditorViewState,
  HexHostContract,
  HexWebviewContract,
  OpenHexEditorArgs,
  PageReadResult,
  RegionListEntry,
  RevealTarget,
  SessionInfo,
  SessionState,
  WriteResult,
} from './hexEditor';
export {
  HEX_LINK_LAUNCH_ARGUMENT,
  HEX_LINK_PATH,
  formatHexLink,
  isHexLinkBase,
  parseHexLinkQuery,
} from './hexLink';
export type { HexLinkTarget } from './hexLink';
export {
  BYTE_STATUSES,
  MAX_READ_EX_BYTES,
  MemoryRequest,
  compressStatus,
  decodeBase64,
  encodeBase64,
  expandStatus,
  formatMemoryReference,
  parseMemoryReference,
  parseRangeArguments,
  resolveMemoryReference,
  utf8Decode,
  utf8Encode,
} from './memory';
export type {
  ReadMemoryExArguments,
  ReadMemoryExResponse,
  RegionSpan,
  RegisterInfo,
  RegisterInfoArguments,
  RegisterInfoResponse,
} from './memory';
export { RpcHandlerError } from './rpc';
export type { RpcContract, RpcMessage } from './rpc';
export { RpcEndpoint } from './rpcEndpoint';
export { DAP_TOPOLOGY_CHANGED_EVENT, DAP_TOPOLOGY_REQUEST } from './topology';
export type {
  AddressSpaceInfo,
  FlatRangeInfo,
  MtreeType,
  RegionInfo,
  RegionKind,
  TopologyResponseBody,
  TopologySnapshot,
} from './topology';
