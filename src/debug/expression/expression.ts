/**
 * The small expression language of the Debug Console, watches and breakpoint conditions:
 * numbers (`42`, `0x80000000`, `0b101`), registers (`$pc`, `a0`, `$x5`, `$mstatus`), ELF
 * symbols (a data object of 1, 2 or 4 bytes reads its value, a function gives its address;
 * `&name` is always the address), memory (`*ADDR` reads 32 bits, `*(u8*)ADDR`, `*(u16*)`,
 * `*(u32*)`), C operators with C precedence, and `a ? b : c`. Arithmetic is 64-bit unsigned
 * (BigInt); comparisons and logic give 0 or 1. Memory is read side-effect free: an unreadable
 * address is an error, never a made-up value.
 */
import { UINT64_MAX } from '../../engine';
import { AdapterError, AdapterErrorCode } from '../errors';

export interface ExpressionContext {
  /** A register by name (with or without `$`), or undefined. */
  register(name: string): number | undefined;
  /** A symbol: its address, kind and size. */
  symbol(
    name: string,
  ): { address: number; kind: 'func' | 'object' | 'other'; size: number } | undefined;
  /** Reads `size` bytes little-endian without side effects; undefined when unreadable. */
  read(address: bigint, size: 1 | 2 | 4 | 8): bigint | undefined;
}

export interface EvaluationResult {
  readonly value: bigint;
  /** The address the value came from or names (symbol, `&x`, dereference), for memoryReference. */
  readonly address?: bigint;
  /** Where the value lives when the expression can be assigned (setExpression). */
  readonly lvalue?: LValue;
}

/** An assignable place: a register, or 1–8 bytes of memory (a data symbol, `*(type*)addr`). */
export type LValue =
  | { readonly kind: 'register'; readonly name: string }
  | { readonly kind: 'memory'; readonly address: bigint; readonly size: 1 | 2 | 4 | 8 };

export class ExpressionError extends AdapterError {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(AdapterErrorCode.BadExpression, `${message} (at column ${column + 1})`);
  }
}

/** Deepest nesting of parentheses, prefix operators and `?:` an expression may have. */
export const MAX_NESTING = 256;

type Token =
  | { kind: 'num'; value: bigint; at: number }
  | { kind: 'id'; text: string; at: number }
  | { kind: 'op'; text: string; at: number };

const OPS = [
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '~',
  '!',
  '<',
  '>',
  '(',
  ')',
  '?',
  ':',
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)[uUlL]*/.exec(
      text.slice(i),
    );
    if (num) {
      const digits = num[1]!.replace(/_/g, '');
      let value: bigint;
      try {
        value = /^0[oO]/.test(digits) ? BigInt(`0o${digits.slice(2)}`) : BigInt(digits);
      } catch {
        throw new ExpressionError(`bad number '${num[0]}'`, i);
      }
      tokens.push({ kind: 'num', value: value & UINT64_MAX, at: i });
      i += num[0].length;
      continue;
    }
    const id = /^\$?[A-Za-z_.][A-Za-z0-9_.$]*/.exec(text.slice(i));
    if (id) {
      tokens.push({ kind: 'id', text: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character '${ch}'`, i);
    tokens.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  return tokens;
}

const BINARY: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

const CASTS: Record<string, 1 | 2 | 4 | 8> = {
  u8: 1,
  uint8_t: 1,
  char: 1,
  i8: 1,
  int8_t: 1,
  u16: 2,
  uint16_t: 2,
  short: 2,
  i16: 2,
  int16_t: 2,
  u32: 4,
  uint32_t: 4,
  int: 4,
  i32: 4,
  int32_t: 4,
  long: 4,
  unsigned: 4,
  u64: 8,
  uint64_t: 8,
  i64: 8,
  int64_t: 8,
};

export interface EvaluateOptions {
  /**
   * For assignment: memory that cannot be read (a hole, a write-only register) still yields its
   * place; only using the value (arithmetic, a condition) fails.
   */
  readonly placeOnly?: boolean;
}

/** Evaluates `text`; throws ExpressionError with a column on a syntax or evaluation error. */
export function evaluateExpression(
  text: string,
  context: ExpressionContext,
  options: EvaluateOptions = {},
): EvaluationResult {
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  /** Runs a recursive step one level deeper; past MAX_NESTING it is the user's expression, not a crash. */
  const nested = <T>(step: () => T): T => {
    if (++depth > MAX_NESTING) {
      depth = 0;
      throw new ExpressionError(`nesting deeper than ${MAX_NESTING} levels`, where());
    }
    try {
      return step();
    } finally {
      if (depth > 0) depth--;
    }
  };
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.text === op;
  const where = () => peek()?.at ?? text.length;
  const expect = (op: string) => {
    if (!isOp(peek(), op)) throw new ExpressionError(`expected '${op}'`, where());
    pos++;
  };
  const readAt = (address: bigint, size: 1 | 2 | 4 | 8, at: number): EvaluationResult => {
    const value = context.read(address, size);
    if (value === undefined) {
      const error = new ExpressionError(
        `cannot read ${size} byte(s) at 0x${address.toString(16)}`,
        at,
      );
      if (!options.placeOnly) throw error;
      return {
        get value(): bigint {
          throw error;
        },
        address,
        lvalue: { kind: 'memory', address, size },
      };
    }
    return { value, address, lvalue: { kind: 'memory', address, size } };
  };

  const ternary = (): EvaluationResult => {
    const cond = binary(0);
    if (!isOp(peek(), '?')) return cond;
    pos++;
    const a = nested(ternary);
    expect(':');
    const b = nested(ternary);
    return cond.value !== 0n ? a : b;
  };

  const binary = (level: number): EvaluationResult => {
    if (level >= BINARY.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op' || !BINARY[level]!.includes(t.text)) return left;
      pos++;
      const right = binary(level + 1);
      left = { value: apply(t.text, left.value, right.value, t.at) };
    }
  };

  const unary = (): EvaluationResult => nested(unaryStep);
  const unaryStep = (): EvaluationResult => {
    const t = peek();
    if (t?.kind === 'op') {
      if (t.text === '-' || t.text === '~' || t.text === '!' || t.text === '+') {
        pos++;
        const v = unary().value;
        const value =
          t.text === '-' ? -v : t.text === '~' ? ~v : t.text === '!' ? (v === 0n ? 1n : 0n) : v;
        return { value: value & UINT64_MAX };
      }
      if (t.text === '&') {
        pos++;
        const name = peek();
        if (name?.kind !== 'id') throw new ExpressionError("'&' needs a symbol name", where());
        pos++;
        const sym = context.symbol(name.text);
        if (!sym) throw new ExpressionError(`no symbol '${name.text}'`, name.at);
        return { value: BigInt(sym.address), address: BigInt(sym.address) };
      }
      if (t.text === '*') {
        pos++;
        let size: 1 | 2 | 4 | 8 = 4;
        const save = pos;
        if (isOp(peek(), '(')) {
          const typeTok = tokens[pos + 1];
          if (
            typeTok?.kind === 'id' &&
            CASTS[typeTok.text] !== undefined &&
            isOp(tokens[pos + 2], '*') &&
            isOp(tokens[pos + 3], ')')
          ) {
            size = CASTS[typeTok.text]!;
            pos += 4;
          } else pos = save;
        }
        const address = unary().value;
        return readAt(address, size, t.at);
      }
    }
    return primary();
  };

  const primary = (): EvaluationResult => {
    const t = peek();
    if (!t) throw new ExpressionError('unexpected end of expression', text.length);
    pos++;
    if (t.kind === 'num') return { value: t.value };
    if (t.kind === 'op') {
      if (t.text === '(') {
        const inner = ternary();
        expect(')');
        return inner;
      }
      throw new ExpressionError(`unexpected '${t.text}'`, t.at);
    }
    const reg = context.register(t.text);
    if (reg !== undefined)
      return {
        value: BigInt(reg >>> 0),
        lvalue: { kind: 'register', name: t.text.replace(/^\$/, '') },
      };
    const name = t.text.startsWith('$') ? t.text.slice(1) : t.text;
    const sym = context.symbol(name);
    if (sym) {
      const address = BigInt(sym.address);
      if (
        sym.kind === 'object' &&
        (sym.size === 1 || sym.size === 2 || sym.size === 4 || sym.size === 8)
      ) {
        return readAt(address, sym.size, t.at);
      }
      return { value: address, address };
    }
    throw new ExpressionError(`no register or symbol '${t.text}'`, t.at);
  };

  if (tokens.length === 0) throw new ExpressionError('empty expression', 0);
  const result = ternary();
  if (pos < tokens.length)
    throw new ExpressionError('unexpected text after the expression', where());
  return result;
}

function apply(op: string, a: bigint, b: bigint, at: number): bigint {
  const bool = (x: boolean) => (x ? 1n : 0n);
  switch (op) {
    case '||':
      return bool(a !== 0n || b !== 0n);
    case '&&':
      return bool(a !== 0n && b !== 0n);
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&':
      return a & b;
    case '==':
      return bool(a === b);
    case '!=':
      return bool(a !== b);
    case '<':
      return bool(a < b);
    case '<=':
      return bool(a <= b);
    case '>':
      return bool(a > b);
    case '>=':
      return bool(a >= b);
    case '<<':
      return b >= 64n ? 0n : (a << b) & UINT64_MAX;
    case '>>':
      return b >= 64n ? 0n : a >> b;
    case '+':
      return (a + b) & UINT64_MAX;
    case '-':
      return (a - b) & UINT64_MAX;
    case '*':
      return (a * b) & UINT64_MAX;
    case '/':
    case '%':
      if (b === 0n) throw new ExpressionError('division by zero', at);
      return op === '/' ? a / b : a % b;
    default:
      throw new ExpressionError(`unknown operator '${op}'`, at);
  }
}
