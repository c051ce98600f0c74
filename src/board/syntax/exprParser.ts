/**
 * Token-cursor helpers shared by the board parser, and the expression grammar:
 *   or  := and ('|' and)*          and := shift ('&' shift)*
 *   shift := add (('<<'|'>>') add)*  add := mul (('+'|'-') mul)*
 *   mul := unary (('*'|'/'|'%') unary)*   unary := ('-'|'~') unary | power
 *   power := primary ('^' unary)?  (right-associative: 2^4^2 = 2^(4^2))
 *   primary := number | name | '(' or ')'
 */
import type { BinaryOp, Expr, Flag, Name, Span } from './ast';
import { DiagnosticCode, DiagnosticSink, Severity, type DiagnosticCodeValue } from './diagnostics';
import { TokenKind } from './scanner';
import { tokenDescription, type TokenStream } from './tokens';

/** Binding strength of binary operators by token kind (0 = not a binary operator). */
const BINARY_PRECEDENCE: Partial<Record<TokenKind, number>> = {
  [TokenKind.Pipe]: 1,
  [TokenKind.Ampersand]: 2,
  [TokenKind.ShiftLeft]: 3,
  [TokenKind.ShiftRight]: 3,
  [TokenKind.Plus]: 4,
  [TokenKind.Minus]: 4,
  [TokenKind.Star]: 5,
  [TokenKind.Slash]: 5,
  [TokenKind.Percent]: 5,
};

const BINARY_OP: Partial<Record<TokenKind, BinaryOp>> = {
  [TokenKind.Pipe]: '|',
  [TokenKind.Ampersand]: '&',
  [TokenKind.ShiftLeft]: '<<',
  [TokenKind.ShiftRight]: '>>',
  [TokenKind.Plus]: '+',
  [TokenKind.Minus]: '-',
  [TokenKind.Star]: '*',
  [TokenKind.Slash]: '/',
  [TokenKind.Percent]: '%',
};

/**
 * How deep blocks (`{ … }` of regions, registers, actions, `if`) and value lists may nest. Deeper
 * input is reported ("nesting deeper than …") and skipped, so every later stage — checker,
 * builder, formatter, service — walks trees of bounded depth and cannot overflow the stack.
 */
export const MAX_BLOCK_NESTING = 256;
/**
 * How deep an expression tree may be: parentheses, unary operators and `^` chains, and the
 * left-leaning tree of a long chain of binary operators (a 600-term sum is 599 levels deep).
 */
export const MAX_EXPR_DEPTH = 512;

export class ExprParser {
  pos = 0;
  /** Blocks (and lists) open around the current token. */
  blockDepth = 0;
  /** Expression parsing frames open around the current token (parens, unary, `^`). */
  private exprNesting = 0;
  /** Depth of the expression tree the last parse function returned (leaves: 1). */
  private lastDepth = 1;

  constructor(
    protected readonly text: string,
    protected readonly tokens: TokenStream,
    protected readonly sink: DiagnosticSink,
  ) {}

  kind(): TokenKind {
    return this.tokens.kinds[this.pos]!;
  }
  peekKind(n: number): TokenKind {
    return this.tokens.kinds[Math.min(this.pos + n, this.tokens.kinds.length - 1)]!;
  }
  value(): string {
    return this.tokens.values[this.pos]!;
  }
  /** The value of the token @n ahead, and whether a line break precedes it. */
  peekValue(n: number): string {
    return this.tokens.values[Math.min(this.pos + n, this.tokens.values.length - 1)]!;
  }
  peekLineStart(n: number): boolean {
    return this.tokens.lineStart[Math.min(this.pos + n, this.tokens.lineStart.length - 1)]!;
  }
  offset(): number {
    return this.tokens.offsets[this.pos]!;
  }
  length(): number {
    return this.tokens.lengths[this.pos]!;
  }
  lineStart(): boolean {
    return this.tokens.lineStart[this.pos]!;
  }
  advance(): void {
    if (this.kind() !== TokenKind.EOF) this.pos++;
  }
  prevEnd(): number {
    if (this.pos === 0) return 0;
    return this.tokens.offsets[this.pos - 1]! + this.tokens.lengths[this.pos - 1]!;
  }
  spanFrom(start: number): Span {
    return { offset: start, length: Math.max(0, this.prevEnd() - start) };
  }

  error(code: DiagnosticCodeValue, message: string, offset: number, length: number): void {
    this.sink.report(code, message, offset, length, Severity.Error);
  }

  /** Reports "expected X" at the current token (or just after the previous one at a line end). */
  expected(what: string, code: DiagnosticCodeValue = DiagnosticCode.UnexpectedToken): void {
    const k = this.kind();
    const desc = tokenDescription(k, this.value());
    if (k === TokenKind.EOF || this.lineStart()) {
      const at = this.pos > 0 ? this.prevEnd() : 0;
      const prevStart = this.pos > 0 ? this.tokens.offsets[this.pos - 1]! : 0;
      // put a zero-width error back onto the previous token so it is visible
      this.error(code, `Expected ${what}`, prevStart, at - prevStart);
      return;
    }
    this.error(code, `Expected ${what} but found ${desc}`, this.offset(), this.length());
  }

  unexpected(what: string): void {
    const desc = tokenDescription(this.kind(), this.value());
    this.error(
      DiagnosticCode.UnexpectedToken,
      `Unexpected ${desc}; expected ${what}`,
      this.offset(),
      this.length(),
    );
  }

  /** Consumes the token if it has the kind; otherwise reports "expected". */
  expect(kind: TokenKind, what: string): boolean {
    if (this.kind() === kind) {
      this.pos++;
      return true;
    }
    this.expected(what);
    return false;
  }

  /**
   * Skips to a synchronisation point: a token that starts a line, a `}` (not consumed) or the
   * end. Always consumes at least one token unless already at `}` or the end; skips `{…}` whole.
   */
  recover(_inBlock: boolean): void {
    let first = true;
    for (;;) {
      const k = this.kind();
      if (k === TokenKind.EOF || k === TokenKind.CloseBrace) return;
      if (!first && this.lineStart()) return;
      first = false;
      if (k === TokenKind.OpenBrace) this.skipBalanced();
      else this.pos++;
    }
  }

  /** Skips from an opening token to just past its matching closing token (or the end). */
  skipBalanced(
    open: TokenKind = TokenKind.OpenBrace,
    close: TokenKind = TokenKind.CloseBrace,
  ): void {
    let depth = 0;
    while (this.kind() !== TokenKind.EOF) {
      const k = this.kind();
      this.pos++;
      if (k === open) depth++;
      else if (k === close && --depth === 0) return;
    }
  }

  /** Reports input nested deeper than @limit at the current token. */
  tooDeep(what: string, limit: number): void {
    this.error(
      DiagnosticCode.TooDeep,
      `${what} nested deeper than ${limit} levels; simplify it`,
      this.offset(),
      this.length(),
    );
  }

  /** @e, one level above children of depth @below (sets `lastDepth`). */
  private made<T extends Expr>(e: T, below: number): T {
    this.lastDepth = below + 1;
    return e;
  }

  /** A placeholder for an expression that was reported and skipped (evaluates to nothing). */
  private skipped(start: number): Expr {
    return { type: 'number', value: 0n, raw: '', invalid: true, ...this.spanFrom(start) };
  }

  takeName(): Name {
    const n: Name = {
      text: this.value(),
      quoted: this.kind() === TokenKind.String,
      offset: this.offset(),
      length: this.length(),
    };
    this.pos++;
    return n;
  }

  /** A name (identifier or quoted string); on error reports and returns an empty name. */
  parseName(what: string): Name {
    const k = this.kind();
    if (k === TokenKind.Identifier || k === TokenKind.String) return this.takeName();
    this.expected(`${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`, DiagnosticCode.MissingName);
    return { text: '', quoted: false, offset: this.prevEnd(), length: 0 };
  }

  parseExpr(): Expr | undefined {
    return this.parseBinary(1);
  }

  /** Precedence climbing over BINARY_PRECEDENCE (all binary operators are left-associative). */
  private parseBinary(minPrecedence: number): Expr | undefined {
    let left = this.parseUnary();
    if (!left) return undefined;
    let leftDepth = this.lastDepth;
    let reported = false;
    for (;;) {
      const k = this.kind();
      const prec = BINARY_PRECEDENCE[k] ?? 0;
      if (prec < minPrecedence || prec === 0) {
        this.lastDepth = leftDepth;
        return left;
      }
      const opAt = this.pos;
      this.pos++;
      const right = this.parseBinary(prec + 1);
      if (!right) {
        this.lastDepth = leftDepth;
        return left;
      }
      const depth = Math.max(leftDepth, this.lastDepth) + 1;
      if (depth > MAX_EXPR_DEPTH) {
        // a chain this long is not built (nothing downstream walks it); the rest is consumed
        if (!reported) {
          const here = this.pos;
          this.pos = opAt;
          this.tooDeep('Expression', MAX_EXPR_DEPTH);
          this.pos = here;
          reported = true;
        }
        left = this.skipped(left.offset);
        leftDepth = 1;
        continue;
      }
      left = {
        type: 'binary',
        op: BINARY_OP[k]!,
        left,
        right,
        offset: left.offset,
        length: right.offset + right.length - left.offset,
      };
      leftDepth = depth;
    }
  }

  private parseUnary(): Expr | undefined {
    if (this.exprNesting >= MAX_EXPR_DEPTH) return this.skipDeepExpression();
    this.exprNesting++;
    try {
      return this.parseUnaryNested();
    } finally {
      this.exprNesting--;
    }
  }

  /**
   * At the depth limit: reports, then consumes the operand iteratively (prefix operators, a
   * primary with its parentheses skipped whole, `^` chains) without building it.
   */
  private skipDeepExpression(): Expr | undefined {
    const start = this.offset();
    this.tooDeep('Expression', MAX_EXPR_DEPTH);
    for (;;) {
      while (this.kind() === TokenKind.Minus || this.kind() === TokenKind.Tilde) this.pos++;
      const k = this.kind();
      if (k === TokenKind.OpenParen) this.skipBalanced(TokenKind.OpenParen, TokenKind.CloseParen);
      else if (k === TokenKind.Number || k === TokenKind.Identifier) this.pos++;
      else break;
      if (this.kind() !== TokenKind.Caret) break;
      this.pos++;
    }
    this.lastDepth = 1;
    return this.skipped(start);
  }

  private parseUnaryNested(): Expr | undefined {
    const k = this.kind();
    if (k === TokenKind.Minus || k === TokenKind.Tilde) {
      const start = this.offset();
      this.pos++;
      const operand = this.parseUnary();
      if (!operand) return undefined;
      return this.made(
        {
          type: 'unary',
          op: k === TokenKind.Minus ? '-' : '~',
          operand,
          offset: start,
          length: operand.offset + operand.length - start,
        },
        this.lastDepth,
      );
    }
    const base = this.parsePrimary();
    if (!base || this.kind() !== TokenKind.Caret) return base;
    const baseDepth = this.lastDepth;
    this.pos++;
    const exponent = this.parseUnary();
    if (!exponent) {
      this.lastDepth = baseDepth;
      return base;
    }
    return this.made(
      {
        type: 'binary',
        op: '^',
        left: base,
        right: exponent,
        offset: base.offset,
        length: exponent.offset + exponent.length - base.offset,
      },
      Math.max(baseDepth, this.lastDepth),
    );
  }

  private parsePrimary(): Expr | undefined {
    this.lastDepth = 1;
    const k = this.kind();
    const start = this.offset();
    if (k === TokenKind.Number) {
      const raw = this.value();
      this.pos++;
      // invalid literals were reported by the scanner; keep a value so checking continues
      const parsed = this.tokens.numbers[this.pos - 1];
      const length = this.prevEnd() - start;
      if (parsed === undefined) {
        return { type: 'number', value: 0n, raw, invalid: true, offset: start, length };
      }
      return { type: 'number', value: parsed, raw, offset: start, length };
    }
    if (k === TokenKind.Identifier) {
      const name = this.takeName();
      return { type: 'ref', name, offset: name.offset, length: name.length };
    }
    if (k === TokenKind.OpenParen) {
      this.pos++;
      const inner = this.parseExpr();
      this.expect(TokenKind.CloseParen, "')'");
      if (!inner) return undefined;
      return this.made({ type: 'paren', inner, ...this.spanFrom(start) }, this.lastDepth);
    }
    this.expected('an expression');
    return undefined;
  }
}

/**
 * What the member parsers (registers, engine features) need of the board parser beyond
 * expressions: blocks and access flags. BoardParser (parser.ts) implements it; taking the
 * interface keeps those files from importing parser.ts back.
 */
export interface MemberParser extends ExprParser {
  parseBlock<T>(parseOne: (members: T[]) => void): Span & { members: T[] };
  takeAccess(): Flag | undefined;
}
