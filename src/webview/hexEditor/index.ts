/**
 * The hex editor webview: page cache and decoding, scrolling over the 64-bit space, selection,
 * editing with undo, find, the data inspector, formatting and saved view state.
 */
export { UNAVAILABLE, inspect } from './dataInspector';
export { EditHistory, HexTyping, asciiKeyToByte } from './editModel';
export type { MemoryWriter } from './editModel';
export { FailedWriteMarks } from './failedWrites';
export {
  addressDigits,
  asciiGlyph,
  copyAsHex,
  formatAddress,
  groupOrder,
  hexByte,
  parseAddressInput,
} from './format';
export { PageCache, STATUS_OK, STATUS_UNMAPPED, STATUS_UNPEEKABLE } from './pageCache';
export type { PageContent } from './pageCache';
export { decodePage } from './pageDecode';
export { PAGE_SIZE_N, ScrollModel, pageSpan } from './scrollModel';
export { findInMemory, parseFindPattern, parseSearchRange } from './search';
export type { FindRequest, FindResult } from './search';
export { Selection, navigate } from './selection';
export { ViewStateSaver } from './viewState';
