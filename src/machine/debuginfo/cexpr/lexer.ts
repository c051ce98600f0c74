/** Tokens of C expressions as gdb's C parser reads them (with the column of each token). */

export type TokenKind =
  'identifier' | 'register' | 'integer' | 'float' | 'char' | 'string' | 'punct' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 0-based column of the token's first character. */
  readonly column: number;
}

/** An expression error with the column it refers to (gdb's message, our column). */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

const PUNCTUATORS = [
  '->',
  '::',
  '<<=',
  '>>=',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '(',
  ')',
  '[',
  ']',
  '.',
  '*',
  '&',
  '+',
  '-',
  '~',
  '!',
  '/',
  '%',
  '<',
  '>',
  '^',
  '|',
  '?',
  ':',
  '=',
  ',',
  '@',
  '{',
  '}',
];

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      tokens.push({ kind: 'identifier', text: text.slice(start, i), column: start });
      continue;
    }
    if (c === '$') {
      i++;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      tokens.push({ kind: 'register', text: text.slice(start + 1, i), column: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?)([uUlLfF]*)/.exec(
        text.slice(i),
      )!;
      const body = m[1]!;
      const isFloat = !/^0[xX]/.test(body) && /[.eE]/.test(body);
      i += m[0].length;
      if (i < text.length && /[A-Za-z0-9_.]/.test(text[i]!))
        throw new ExpressionError('Invalid number "' + text.slice(start, i + 1) + '".', start);
      tokens.push({ kind: isFloat ? 'float' : 'integer', text: m[0], column: start });
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length)
        throw new ExpressionError(
          c === "'" ? 'Unmatched single quote.' : 'Unterminated string in expression.',
          start,
        );
      i++;
      tokens.push({
        kind: c === "'" ? 'char' : 'string',
        text: text.slice(start, i),
        column: start,
      });
      continue;
    }
    const punct = PUNCTUATORS.find((p) => text.startsWith(p, i));
    if (!punct) throw new ExpressionError(`Invalid character '${c}' in expression.`, start);
    tokens.push({ kind: 'punct', text: punct, column: start });
    i += punct.length;
  }
  tokens.push({ kind: 'end', text: '', column: text.length });
  return tokens;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10,
  t: 9,
  r: 13,
  a: 7,
  b: 8,
  f: 12,
  v: 11,
  e: 27,
  '\\': 92,
  "'": 39,
  '"': 34,
  '?': 63,
};

/** The character codes of a quoted literal's body (escapes decoded). */
export function decodeQuoted(token: Token): number[] {
  const body = token.text.slice(1, -1);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const next = body[++i] ?? '';
    if (next in SIMPLE_ESCAPES) out.push(SIMPLE_ESCAPES[next]!);
    else if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) digits += body[++i];
      out.push(parseInt(digits, 8) & 0xff);
    } else if (next === 'x') {
      let digits = '';
      while (/[0-9a-fA-F]/.test(body[i + 1] ?? '')) digits += body[++i];
      out.push(parseInt(digits || '0', 16) & 0xff);
    } else out.push(next.charCodeAt(0));
  }
  return out;
}
