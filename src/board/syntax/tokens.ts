/**
 * The token stream the parser reads: all tokens of a text scanned once into parallel arrays,
 * trivia removed (comments kept aside for the formatter), scan errors reported.
 */
import type { Comment } from './ast';
import { DiagnosticCode, DiagnosticSink } from './diagnostics';
import { createScanner, ScanError, TokenKind } from './scanner';

export interface TokenStream {
  readonly kinds: TokenKind[];
  readonly offsets: number[];
  readonly lengths: number[];
  readonly values: string[];
  /** Values of Number tokens (undefined for other tokens and malformed numbers). */
  readonly numbers: (bigint | undefined)[];
  /** True when a line break precedes the token. */
  readonly lineStart: boolean[];
  readonly comments: Comment[];
}

const SCAN_MESSAGES: Record<number, [string, string]> = {
  [ScanError.UnterminatedString]: [DiagnosticCode.UnterminatedString, 'Unterminated string'],
  [ScanError.UnterminatedComment]: [DiagnosticCode.UnterminatedComment, 'Unterminated comment'],
  [ScanError.InvalidNumber]: [DiagnosticCode.InvalidNumber, 'Invalid number'],
  [ScanError.InvalidCharacter]: [DiagnosticCode.InvalidCharacter, 'Invalid character'],
  [ScanError.InvalidEscape]: [
    DiagnosticCode.InvalidEscape,
    'Invalid escape sequence (only \\" and \\\\ are allowed)',
  ],
};

export function tokenize(text: string, sink: DiagnosticSink): TokenStream {
  const s = createScanner(text);
  const stream: TokenStream = {
    kinds: [],
    offsets: [],
    lengths: [],
    values: [],
    numbers: [],
    lineStart: [],
    comments: [],
  };
  let first = true;
  for (;;) {
    const kind = s.scan();
    const err = s.getTokenError();
    if (err !== ScanError.None) {
      const [code, message] = SCAN_MESSAGES[err]!;
      let msg = message;
      if (err === ScanError.InvalidNumber) msg = `Invalid number '${s.getTokenValue()}'`;
      if (err === ScanError.InvalidCharacter) {
        msg = `Invalid character '${text.substring(s.getTokenOffset(), s.getTokenEnd())}'`;
      }
      sink.report(code as never, msg, s.getTokenOffset(), s.getTokenLength());
    }
    if (kind === TokenKind.Whitespace) continue;
    if (kind === TokenKind.LineComment || kind === TokenKind.BlockComment) {
      stream.comments.push({
        offset: s.getTokenOffset(),
        length: s.getTokenLength(),
        block: kind === TokenKind.BlockComment,
      });
      continue;
    }
    if (kind === TokenKind.Unknown) continue;
    stream.kinds.push(kind);
    stream.offsets.push(s.getTokenOffset());
    stream.lengths.push(s.getTokenLength());
    stream.values.push(s.getTokenValue());
    stream.numbers.push(kind === TokenKind.Number ? s.getTokenNumber() : undefined);
    stream.lineStart.push(first || s.hadLineBreakBefore());
    first = false;
    if (kind === TokenKind.EOF) break;
  }
  return stream;
}

export function tokenDescription(kind: TokenKind, value: string): string {
  switch (kind) {
    case TokenKind.EOF:
      return 'end of file';
    case TokenKind.Identifier:
      return `'${value}'`;
    case TokenKind.Number:
      return `number ${value}`;
    case TokenKind.String:
      return 'string';
    default:
      return `'${TOKEN_TEXT[kind] ?? '?'}'`;
  }
}

export const TOKEN_TEXT: Partial<Record<TokenKind, string>> = {
  [TokenKind.OpenBrace]: '{',
  [TokenKind.CloseBrace]: '}',
  [TokenKind.OpenBracket]: '[',
  [TokenKind.CloseBracket]: ']',
  [TokenKind.OpenParen]: '(',
  [TokenKind.CloseParen]: ')',
  [TokenKind.Comma]: ',',
  [TokenKind.Colon]: ':',
  [TokenKind.Equals]: '=',
  [TokenKind.At]: '@',
  [TokenKind.Plus]: '+',
  [TokenKind.Minus]: '-',
  [TokenKind.Star]: '*',
  [TokenKind.Slash]: '/',
  [TokenKind.Percent]: '%',
  [TokenKind.ShiftLeft]: '<<',
  [TokenKind.ShiftRight]: '>>',
  [TokenKind.Ampersand]: '&',
  [TokenKind.Pipe]: '|',
  [TokenKind.Tilde]: '~',
  [TokenKind.Caret]: '^',
  [TokenKind.Arrow]: '->',
};
