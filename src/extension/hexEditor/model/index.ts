/**
 * The hex editor's host side without vscode: the page's HTML, the memory client over DAP
 * custom requests, export to binary and Intel HEX, and reading adapter messages.
 */
export { RESUMING_REQUESTS, interpretAdapterMessage } from './adapterMessages';
export type { DapMessage } from './adapterMessages';
export {
  MAX_EXPORT_BYTES,
  MAX_IHEX_EXPORT_BYTES,
  exportProblem,
  exportRange,
  exportRangeToBytes,
} from './exporter';
export type { ExportProgress } from './exporter';
export { hexEditorHtml, makeNonce } from './html';
export { IntelHexWriter, toIntelHex } from './intelHex';
export { MemoryClient, regionList, regionsFromFlatView } from './memoryClient';
export type { DapRequest } from './memoryClient';
