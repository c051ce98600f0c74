/**
 * Diagnostics of the board-map language: stable codes grouped by range (BM1xx scanner, BM2xx
 * parser, BM3xx semantic checks, BM4xx includes), severities, and a collector that keeps at most
 * one diagnostic per place (the first one wins, as in vscode-json-languageservice).
 */

export const enum Severity {
  Error = 1,
  Warning = 2,
  Information = 3,
}

export const DiagnosticCode = {
  InvalidCharacter: 'BM101',
  UnterminatedString: 'BM102',
  UnterminatedComment: 'BM103',
  InvalidNumber: 'BM104',
  InvalidEscape: 'BM105',

  UnexpectedToken: 'BM201',
  MissingName: 'BM202',
  DuplicateAttribute: 'BM203',
  UnclosedBlock: 'BM204',
  MisplacedDeclaration: 'BM205',
  UnknownAttribute: 'BM206',
  MissingValue: 'BM207',
  TooDeep: 'BM208',

  UnknownName: 'BM301',
  DuplicateName: 'BM302',
  OutsideContainer: 'BM303',
  AliasOutsideTarget: 'BM304',
  AliasCycle: 'BM305',
  InvalidSize: 'BM306',
  UnknownDeviceModel: 'BM307',
  UnknownParameter: 'BM308',
  EqualPriorityOverlap: 'BM309',
  UnreachableRegion: 'BM310',
  MissingSize: 'BM311',
  MissingAliasTarget: 'BM312',
  ValueOutOfRange: 'BM313',
  ConstantCycle: 'BM314',
  WrongKind: 'BM315',
  MissingParameter: 'BM316',
  InvalidMember: 'BM317',
  RegisterLayout: 'BM318',
  InvalidExpression: 'BM319',
  ParameterType: 'BM320',
  MaxSize: 'BM321',
  NotMmio: 'BM322',
  IoeventfdAccess: 'BM323',
  OutsideRegion: 'BM324',
  ShadowedIoeventfd: 'BM325',

  IncludeCycle: 'BM401',
  IncludeNotFound: 'BM402',
} as const;

export type DiagnosticCodeValue = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export interface BoardDiagnostic {
  readonly offset: number;
  readonly length: number;
  readonly severity: Severity;
  readonly code: DiagnosticCodeValue;
  readonly message: string;
  /** The file the diagnostic belongs to when it comes from an included file. */
  readonly uri?: string;
}

export class DiagnosticSink {
  readonly items: BoardDiagnostic[] = [];
  private readonly seen = new Set<number>();

  constructor(private readonly textLength: number) {}

  /** Reports unless a diagnostic already exists at this offset; clamps the range into the text. */
  report(
    code: DiagnosticCodeValue,
    message: string,
    offset: number,
    length: number,
    severity: Severity = Severity.Error,
  ): void {
    let start = Math.max(0, Math.min(offset, this.textLength));
    let end = Math.max(start, Math.min(offset + Math.max(0, length), this.textLength));
    if (end === start && start === this.textLength && start > 0) {
      // widen a zero-width error at the end of the text onto the last character
      start -= 1;
      end = this.textLength;
    }
    if (this.seen.has(start)) return;
    this.seen.add(start);
    this.items.push({ offset: start, length: end - start, severity, code, message });
  }
}

export function severityName(s: Severity): 'error' | 'warning' | 'info' {
  return s === Severity.Error ? 'error' : s === Severity.Warning ? 'warning' : 'info';
}
