/**
 * Scanner for `.board` text. A small object in the style of jsonc-parser: `scan()` advances and
 * returns the token kind; offsets, lengths and errors of the current token are read with getters.
 * Keywords are contextual (the parser compares identifier text), so a region may be called `ram`.
 * The scanner never throws: bad characters become `Unknown` tokens with an error.
 */

export const enum TokenKind {
  EOF,
  Identifier,
  Number,
  String,
  LineComment,
  BlockComment,
  Whitespace,
  OpenBrace,
  CloseBrace,
  OpenBracket,
  CloseBracket,
  OpenParen,
  CloseParen,
  Comma,
  Colon,
  Equals,
  At,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  ShiftLeft,
  ShiftRight,
  Ampersand,
  Pipe,
  Tilde,
  Caret,
  Arrow,
  Unknown,
}

export const enum ScanError {
  None,
  UnterminatedString,
  UnterminatedComment,
  InvalidNumber,
  InvalidCharacter,
  InvalidEscape,
}

export interface Scanner {
  /** Read the next token (skipping nothing: trivia are tokens too). Returns its kind. */
  scan(): TokenKind;
  getToken(): TokenKind;
  getTokenOffset(): number;
  getTokenLength(): number;
  getTokenEnd(): number;
  getTokenError(): ScanError;
  /** Identifier text, unquoted string value, or number text without `_`. */
  getTokenValue(): string;
  /** True when a line break was crossed since the previous non-trivia token. */
  hadLineBreakBefore(): boolean;
  /** Value of a Number token (undefined when malformed). */
  getTokenNumber(): bigint | undefined;
}

const enum Ch {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Quote = 34,
  Hash = 35,
  Percent = 37,
  Amp = 38,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  At = 64,
  UpperA = 65,
  UpperZ = 90,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  LowerA = 97,
  LowerZ = 122,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Tilde = 126,
}

export function isIdentStart(c: number): boolean {
  return (
    (c >= Ch.LowerA && c <= Ch.LowerZ) || (c >= Ch.UpperA && c <= Ch.UpperZ) || c === Ch.Underscore
  );
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= Ch.Zero && c <= Ch.Nine);
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*$/;

/** True when `name` can be written without quotes. */
export function isPlainIdentifier(name: string): boolean {
  return IDENT_RE.test(name);
}

export function createScanner(text: string): Scanner {
  let pos = 0;
  let token = TokenKind.EOF;
  let tokenOffset = 0;
  let tokenError = ScanError.None;
  let tokenValue = '';
  let tokenNumber: bigint | undefined;
  let lineBreak = false;
  let pendingLineBreak = false;
  const len = text.length;

  function scanString(): void {
    // pos is at the opening quote
    pos++;
    let out = '';
    let start = pos;
    for (;;) {
      if (pos >= len) {
        out += text.substring(start, pos);
        tokenError = ScanError.UnterminatedString;
        break;
      }
      const c = text.charCodeAt(pos);
      if (c === Ch.Quote) {
        out += text.substring(start, pos);
        pos++;
        break;
      }
      if (c === Ch.LF || c === Ch.CR) {
        out += text.substring(start, pos);
        tokenError = ScanError.UnterminatedString;
        break;
      }
      if (c === Ch.Backslash) {
        out += text.substring(start, pos);
        pos++;
        const e = pos < len ? text.charCodeAt(pos) : -1;
        if (e === Ch.Quote || e === Ch.Backslash) {
          out += String.fromCharCode(e);
          pos++;
        } else {
          tokenError = ScanError.InvalidEscape;
          out += '\\';
        }
        start = pos;
        continue;
      }
      pos++;
    }
    tokenValue = out;
  }

  function scanNumber(): void {
    const start = pos;
    // digits, `_`, a base prefix, a unit suffix (K, M, G, T, P, E, optionally followed by iB)
    // or any other identifier characters glued to the number: one token, checked by value
    while (pos < len && isIdentPart(text.charCodeAt(pos))) pos++;
    const raw = text.substring(start, pos);
    tokenValue = raw;
    tokenNumber = parseNumberLiteral(raw);
    if (tokenNumber === undefined) tokenError = ScanError.InvalidNumber;
  }

  function scanTrivia(c: number): boolean {
    if (c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR || c === 0xfeff) {
      while (pos < len) {
        const d = text.charCodeAt(pos);
        if (d === Ch.LF) pendingLineBreak = true;
        else if (d !== Ch.Space && d !== Ch.Tab && d !== Ch.CR && d !== 0xfeff) break;
        pos++;
      }
      token = TokenKind.Whitespace;
      return true;
    }
    if (c === Ch.Hash || (c === Ch.Slash && text.charCodeAt(pos + 1) === Ch.Slash)) {
      while (pos < len && text.charCodeAt(pos) !== Ch.LF && text.charCodeAt(pos) !== Ch.CR) pos++;
      token = TokenKind.LineComment;
      return true;
    }
    if (c === Ch.Slash && text.charCodeAt(pos + 1) === Ch.Star) {
      const end = text.indexOf('*/', pos + 2);
      if (end < 0) {
        pos = len;
        tokenError = ScanError.UnterminatedComment;
      } else {
        if (text.substring(pos, end).includes('\n')) pendingLineBreak = true;
        pos = end + 2;
      }
      token = TokenKind.BlockComment;
      return true;
    }
    return false;
  }

  function scan(): TokenKind {
    tokenError = ScanError.None;
    tokenValue = '';
    tokenOffset = pos;
    if (pos >= len) {
      lineBreak = pendingLineBreak;
      return (token = TokenKind.EOF);
    }
    const c = text.charCodeAt(pos);
    if (scanTrivia(c)) return token;
    lineBreak = pendingLineBreak;
    pendingLineBreak = false;
    if (isIdentStart(c)) {
      pos++;
      for (;;) {
        while (pos < len && isIdentPart(text.charCodeAt(pos))) pos++;
        const d = text.charCodeAt(pos);
        if ((d === Ch.Minus || d === Ch.Dot) && isIdentPart(text.charCodeAt(pos + 1))) {
          // `-` is part of a name only when glued between name characters and not `->`
          pos++;
          continue;
        }
        break;
      }
      tokenValue = text.substring(tokenOffset, pos);
      return (token = TokenKind.Identifier);
    }
    if (isDigit(c)) {
      scanNumber();
      return (token = TokenKind.Number);
    }
    if (c === Ch.Quote) {
      scanString();
      return (token = TokenKind.String);
    }
    pos++;
    switch (c) {
      case Ch.LBrace:
        return (token = TokenKind.OpenBrace);
      case Ch.RBrace:
        return (token = TokenKind.CloseBrace);
      case Ch.LBracket:
        return (token = TokenKind.OpenBracket);
      case Ch.RBracket:
        return (token = TokenKind.CloseBracket);
      case Ch.LParen:
        return (token = TokenKind.OpenParen);
      case Ch.RParen:
        return (token = TokenKind.CloseParen);
      case Ch.Comma:
        return (token = TokenKind.Comma);
      case Ch.Colon:
        return (token = TokenKind.Colon);
      case Ch.Eq:
        return (token = TokenKind.Equals);
      case Ch.At:
        return (token = TokenKind.At);
      case Ch.Plus:
        return (token = TokenKind.Plus);
      case Ch.Minus:
        if (text.charCodeAt(pos) === Ch.Gt) {
          pos++;
          return (token = TokenKind.Arrow);
        }
        return (token = TokenKind.Minus);
      case Ch.Star:
        return (token = TokenKind.Star);
      case Ch.Slash:
        return (token = TokenKind.Slash);
      case Ch.Percent:
        return (token = TokenKind.Percent);
      case Ch.Amp:
        return (token = TokenKind.Ampersand);
      case Ch.Pipe:
        return (token = TokenKind.Pipe);
      case Ch.Tilde:
        return (token = TokenKind.Tilde);
      case Ch.Caret:
        return (token = TokenKind.Caret);
      case Ch.Lt:
        if (text.charCodeAt(pos) === Ch.Lt) {
          pos++;
          return (token = TokenKind.ShiftLeft);
        }
        break;
      case Ch.Gt:
        if (text.charCodeAt(pos) === Ch.Gt) {
          pos++;
          return (token = TokenKind.ShiftRight);
        }
        break;
    }
    // Consume a whole UTF-16 surrogate pair so a diagnostic never splits a character.
    if (c >= 0xd800 && c <= 0xdbff && pos < len) pos++;
    tokenError = ScanError.InvalidCharacter;
    return (token = TokenKind.Unknown);
  }

  return {
    scan,
    getToken: () => token,
    getTokenOffset: () => tokenOffset,
    getTokenLength: () => pos - tokenOffset,
    getTokenEnd: () => pos,
    getTokenError: () => tokenError,
    getTokenValue: () => tokenValue,
    hadLineBreakBefore: () => lineBreak,
    getTokenNumber: () => tokenNumber,
  };
}

const UNITS: Record<string, bigint> = {
  K: 1n << 10n,
  M: 1n << 20n,
  G: 1n << 30n,
  T: 1n << 40n,
  P: 1n << 50n,
  E: 1n << 60n,
};

/**
 * Value of a number literal: decimal, `0x` hex, `0b` binary, `0o` octal, `_` separators, and for
 * decimals an optional unit (`K`, `M`, `G`, `T`, `P`, `E`, optionally written `KiB` …).
 * Returns undefined when the text is not a valid literal.
 */
export function parseNumberLiteral(raw: string): bigint | undefined {
  // fast paths: plain decimal and plain hex (most literals)
  if (raw.length < 16 && /^(?:0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(raw)) return BigInt(raw);
  const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)([KMGTPE](?:iB)?)?$/.exec(
    raw,
  );
  if (!m) return undefined;
  const body = m[1]!;
  if (body.endsWith('_') || body.includes('__')) return undefined;
  const prefixed = /^0[xXbBoO]/.test(body);
  if (prefixed && (body[2] === '_' || body.length === 2)) return undefined;
  if (prefixed && m[2]) return undefined;
  const digits = body.replace(/_/g, '');
  let value: bigint;
  if (prefixed) value = BigInt('0' + digits[1]!.toLowerCase() + digits.slice(2));
  else value = BigInt(digits);
  if (m[2]) value *= UNITS[m[2][0]!]!;
  return value;
}
