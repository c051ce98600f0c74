/**
 * The board-map language service: plain functions over (uri, text) — diagnostics, hover,
 * outline, folding, definition, references, rename, completion — on one shared analysis.
 */
export { ANALYSIS_BUILD_OPTIONS, analyze } from './analysis';
export type { Analysis, Placement } from './analysis';
export { getBoardMapService } from './service';
export type {
  BoardMapService,
  CompletionItem,
  Location,
  OutlineSymbol,
  Position,
  Range,
  ServiceDiagnostic,
  TextEdit,
} from './service';
export { LineIndex, escapeMarkdown, markdownCode } from './text';
