/**
 * A C expression parser for gdb-style expressions: precedence climbing over C's operators (plus
 * gdb's `@`), casts to program and base types, `sizeof`, registers (`$pc`), literals. Syntax
 * errors are ExpressionErrors worded as gdb's ("A syntax error in expression, near `…'.") with the
 * column of the offending token.
 */
import type { Declarator, Expression, TypeExpression, TypeSpecifier } from './ast';
import { ExpressionError, type Token, decodeQuoted, tokenize } from './lexer';

const BUILTIN_WORDS = new Set([
  'void',
  'char',
  'short',
  'int',
  'long',
  'float',
  'double',
  'signed',
  'unsigned',
  '_Bool',
  'const',
  'volatile',
]);

const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['<<', '>>'],
  ['@'],
  ['+', '-'],
  ['*', '/', '%'],
];

const ASSIGNMENTS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

export interface ParseOptions {
  /** Is `name` a typedef name of the program (so `(name)` starts a cast)? */
  readonly isTypedef?: (name: string) => boolean;
}

/** The text as a type name (`struct x *`, `unsigned char`, a typedef), or undefined. */
export function parseTypeName(
  text: string,
  options: ParseOptions = {},
): TypeExpression | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (e) {
    if (e instanceof ExpressionError) return undefined;
    throw e;
  }
  const parser = new Parser(text, tokens, options);
  return parser.wholeTypeName();
}

export function parseExpression(text: string, options: ParseOptions = {}): Expression {
  const parser = new Parser(text, tokenize(text), options);
  const expression = parser.expression();
  parser.expectEnd();
  return expression;
}

class Parser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly options: ParseOptions,
  ) {}

  private get token(): Token {
    return this.tokens[this.index]!;
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private is(text: string): boolean {
    const t = this.token;
    return (t.kind === 'punct' || t.kind === 'identifier') && t.text === text;
  }

  private next(): Token {
    const t = this.token;
    if (t.kind !== 'end') this.index++;
    return t;
  }

  syntaxError(at: Token = this.token): never {
    throw new ExpressionError(
      `A syntax error in expression, near \`${this.text.slice(at.column)}'.`,
      at.column,
    );
  }

  private expect(text: string): Token {
    if (!this.is(text)) this.syntaxError();
    return this.next();
  }

  wholeTypeName(): TypeExpression | undefined {
    if (!this.startsType(this.token)) return undefined;
    try {
      const type = this.typeExpression();
      return this.token.kind === 'end' ? type : undefined;
    } catch (e) {
      if (e instanceof ExpressionError) return undefined;
      throw e;
    }
  }

  expectEnd(): void {
    if (this.token.kind !== 'end') this.syntaxError();
  }

  expression(): Expression {
    const left = this.conditional();
    if (this.token.kind === 'punct' && ASSIGNMENTS.has(this.token.text)) {
      const op = this.next();
      const value = this.expression();
      return {
        kind: 'assign',
        operator: op.text === '=' ? '=' : op.text.slice(0, -1),
        target: left,
        value,
        column: op.column,
      };
    }
    return left;
  }

  private conditional(): Expression {
    const test = this.binary(0);
    if (!this.is('?')) return test;
    const q = this.next();
    const whenTrue = this.expression();
    this.expect(':');
    const whenFalse = this.conditional();
    return { kind: 'conditional', test, whenTrue, whenFalse, column: q.column };
  }

  private binary(level: number): Expression {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (this.token.kind === 'punct' && BINARY_LEVELS[level]!.includes(this.token.text)) {
      const op = this.next();
      const right = this.binary(level + 1);
      left = { kind: 'binary', operator: op.text, left, right, column: op.column };
    }
    return left;
  }

  private unary(): Expression {
    const t = this.token;
    if (t.kind === 'punct' && ['-', '+', '!', '~', '*', '&'].includes(t.text)) {
      this.next();
      const operand = this.unary();
      return { kind: 'unary', operator: t.text as '-', operand, column: t.column };
    }
    if (t.kind === 'identifier' && t.text === 'sizeof') {
      this.next();
      if (this.is('(') && this.startsType(this.peek())) {
        this.next();
        const type = this.typeExpression();
        this.expect(')');
        return { kind: 'sizeofType', type, column: t.column };
      }
      return { kind: 'sizeofExpression', operand: this.unary(), column: t.column };
    }
    if (this.is('(') && this.startsType(this.peek())) {
      this.next();
      const type = this.typeExpression();
      this.expect(')');
      const operand = this.unary();
      return { kind: 'cast', type, operand, column: t.column };
    }
    return this.postfix(this.primary());
  }

  private startsType(t: Token): boolean {
    if (t.kind !== 'identifier') return false;
    if (BUILTIN_WORDS.has(t.text) || t.text === 'struct' || t.text === 'union' || t.text === 'enum')
      return true;
    return this.options.isTypedef?.(t.text) ?? false;
  }

  private typeExpression(): TypeExpression {
    const column = this.token.column;
    const words: string[] = [];
    let specifier: TypeSpecifier | undefined;
    for (;;) {
      const t = this.token;
      if (t.kind !== 'identifier') break;
      if (t.text === 'const' || t.text === 'volatile') {
        this.next();
        continue;
      }
      if (BUILTIN_WORDS.has(t.text) && !specifier) {
        words.push(this.next().text);
        continue;
      }
      if (
        (t.text === 'struct' || t.text === 'union' || t.text === 'enum') &&
        !specifier &&
        words.length === 0
      ) {
        this.next();
        const name = this.next();
        if (name.kind !== 'identifier') this.syntaxError(name);
        specifier = { kind: 'tagged', tag: t.text, name: name.text };
        continue;
      }
      if (!specifier && words.length === 0 && this.options.isTypedef?.(t.text)) {
        this.next();
        specifier = { kind: 'typedef', name: t.text };
        continue;
      }
      break;
    }
    specifier ??= { kind: 'builtin', words };
    if (specifier.kind === 'builtin' && specifier.words.length === 0) this.syntaxError();
    const declarators: Declarator[] = [];
    while (this.is('*') || this.is('const') || this.is('volatile')) {
      if (this.next().text === '*') declarators.push({ kind: 'pointer' });
    }
    // `(*)[N]`: a pointer to an array.
    let pointerToArray = false;
    if (this.is('(') && this.peek().text === '*' && this.peek(2).text === ')') {
      this.next();
      this.next();
      this.next();
      pointerToArray = true;
    }
    const arrays: Declarator[] = [];
    while (this.is('[')) {
      this.next();
      let count: number | undefined;
      if (this.token.kind === 'integer') count = Number(parseInteger(this.next()).value);
      this.expect(']');
      arrays.push({ kind: 'array', count });
    }
    // C reads `int [3][4]` as array 3 of array 4: apply the last dimension first.
    declarators.push(...arrays.reverse());
    if (pointerToArray) declarators.push({ kind: 'pointer' });
    return { specifier, declarators, column };
  }

  private postfix(expression: Expression): Expression {
    let e = expression;
    for (;;) {
      const t = this.token;
      if (this.is('[')) {
        this.next();
        const index = this.expression();
        this.expect(']');
        e = { kind: 'index', object: e, index, column: t.column };
      } else if (this.is('.') || this.is('->')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'identifier') this.syntaxError(name);
        e = {
          kind: 'member',
          object: e,
          name: name.text,
          arrow: t.text === '->',
          column: t.column,
        };
      } else return e;
    }
  }

  private primary(): Expression {
    const t = this.next();
    switch (t.kind) {
      case 'identifier':
        if (BUILTIN_WORDS.has(t.text) || t.text === 'sizeof') this.syntaxError(t);
        if (this.is('::')) {
          this.next();
          const name = this.next();
          if (name.kind !== 'identifier') this.syntaxError(name);
          return { kind: 'scoped', function: t.text, name: name.text, column: t.column };
        }
        return { kind: 'identifier', name: t.text, column: t.column };
      case 'register':
        return { kind: 'register', name: t.text, column: t.column };
      case 'integer': {
        const { value, type } = parseInteger(t);
        return { kind: 'integer', value, type, column: t.column };
      }
      case 'float': {
        const single = /[fF]$/.test(t.text);
        return {
          kind: 'float',
          value: Number(t.text.replace(/[fFlL]+$/, '')),
          single,
          column: t.column,
        };
      }
      case 'char': {
        const codes = decodeQuoted(t);
        if (codes.length !== 1) throw new ExpressionError('Invalid character constant.', t.column);
        return { kind: 'char', value: codes[0]!, column: t.column };
      }
      case 'string':
        return { kind: 'string', bytes: decodeQuoted(t), column: t.column };
      case 'punct':
        if (t.text === '(') {
          const inner = this.expression();
          this.expect(')');
          return inner;
        }
        return this.syntaxError(t);
      default:
        return this.syntaxError(t);
    }
  }
}

/** An integer literal's value and gdb's type for it (int, unsigned int, long long, …). */
function parseInteger(t: Token): { value: bigint; type: string } {
  const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)$/.exec(t.text);
  if (!m) throw new ExpressionError(`Invalid number "${t.text}".`, t.column);
  const digits = m[1]!;
  const value = /^0[xX]/.test(digits)
    ? BigInt(digits)
    : digits.length > 1 && digits.startsWith('0')
      ? BigInt('0o' + digits.slice(1))
      : BigInt(digits);
  const suffix = m[2]!.toLowerCase();
  const unsigned = suffix.includes('u');
  const longs = (suffix.match(/l/g) ?? []).length;
  if (value >= 1n << 64n) throw new ExpressionError('Numeric constant too large.', t.column);
  // gdb's parse_number (C rules): a decimal literal is int, long or long long; a hex or octal
  // one may also become the unsigned type of a size when its sign bit is set.
  const decimal = !/^0[xX]/.test(digits) && !(digits.length > 1 && digits.startsWith('0'));
  const fits = (bits: number, isUnsigned: boolean) =>
    value < 1n << BigInt(isUnsigned ? bits : bits - 1);
  if (longs < 2) {
    const base = longs === 1 ? 'long' : 'int';
    if (!unsigned && fits(32, false)) return { value, type: base };
    if ((unsigned || !decimal) && fits(32, true)) return { value, type: `unsigned ${base}` };
  }
  if (!unsigned && fits(64, false)) return { value, type: 'long long' };
  return { value, type: 'unsigned long long' };
}
