/**
 * The board-map language's syntax: scanner, token stream, parser (AST with source offsets and
 * error recovery; never throws on bad text), diagnostics with stable codes, and the formatter.
 */
export * from './ast';
export { ACCESS_KEYWORDS, REGION_FLAGS } from './ast';
export type {
  Access,
  Action,
  ActionBlock,
  CoalescedDecl,
  ConstDecl,
  CpuDecl,
  Expr,
  FieldDecl,
  Flag,
  IncludeDecl,
  IoeventfdDecl,
  Item,
  Member,
  Name,
  Param,
  RegDecl,
  RegionDecl,
  RegionKind,
  SpaceDecl,
  Value,
} from './ast';
export { DiagnosticCode, DiagnosticSink, Severity, severityName } from './diagnostics';
export type { BoardDiagnostic, DiagnosticCodeValue } from './diagnostics';
export { COALESCED_ATTRIBUTES, IOEVENTFD_ATTRIBUTES } from './engineFeatureParser';
export { formatBoard, formatExpr, formatName } from './formatter';
export { ENGINE_MEMBER_KEYWORDS, parseBoard } from './parser';
export type { ParseResult } from './parser';
export { ACTION_KEYWORDS } from './registerParser';
export {
  ScanError,
  TokenKind,
  createScanner,
  isPlainIdentifier,
  parseNumberLiteral,
} from './scanner';
