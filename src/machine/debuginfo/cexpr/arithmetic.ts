/**
 * C's integer arithmetic as gdb performs it: integer promotion, gdb's binop_promote for the
 * common type of two operands (ILP32: int, unsigned int, long long, unsigned long long), results
 * wrapped to the result type, comparisons.
 */
import { type DwarfType, isSignedType, stripType } from '../types';
import { BUILTIN } from './builtinTypes';

/** `value` as the type holds it (two's complement wrap, sign from the type). */
export function wrapTo(value: bigint, type: DwarfType): bigint {
  const bits = stripType(type).size * 8;
  return isSignedType(type) ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
}

/** Integer promotion: anything narrower than int becomes int. */
export function promote(type: DwarfType): DwarfType {
  const t = stripType(type);
  if (t.size < 4) return BUILTIN.int;
  if (t.size === 4) return isSignedType(t) ? BUILTIN.int : BUILTIN['unsigned int'];
  return isSignedType(t) ? BUILTIN['long long'] : BUILTIN['unsigned long long'];
}

/** gdb's binop_promote for two integers. */
export function commonType(a: DwarfType, b: DwarfType): DwarfType {
  const pa = promote(a);
  const pb = promote(b);
  const la = pa.size;
  const lb = pb.size;
  const unsigned =
    la > lb
      ? !isSignedType(pa)
      : lb > la
        ? !isSignedType(pb)
        : !isSignedType(pa) || !isSignedType(pb);
  const size = Math.max(la, lb);
  if (size <= 4) return unsigned ? BUILTIN['unsigned int'] : BUILTIN.int;
  return unsigned ? BUILTIN['unsigned long long'] : BUILTIN['long long'];
}

export function compare(op: string, x: number | bigint, y: number | bigint): boolean {
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    default:
      return x >= y;
  }
}

/**
 * `x op y` on integers already converted to `type` (shift counts are the promoted right
 * operand). 'division by zero' or undefined (not an integer operator) instead of a number.
 */
export function integerOperation(
  op: string,
  x: bigint,
  y: bigint,
  type: DwarfType,
): bigint | 'division by zero' | undefined {
  const bits = BigInt(stripType(type).size * 8);
  switch (op) {
    case '+':
      return wrapTo(x + y, type);
    case '-':
      return wrapTo(x - y, type);
    case '*':
      return wrapTo(x * y, type);
    case '/':
      return y === 0n ? 'division by zero' : wrapTo(x / y, type);
    case '%':
      return y === 0n ? 'division by zero' : wrapTo(x % y, type);
    case '<<':
      return y < 0n || y >= bits ? 0n : wrapTo(x << y, type);
    case '>>':
      return y < 0n || y >= bits ? (x < 0n ? -1n : 0n) : wrapTo(x >> y, type);
    case '&':
      return wrapTo(x & y, type);
    case '|':
      return wrapTo(x | y, type);
    case '^':
      return wrapTo(x ^ y, type);
    default:
      return undefined;
  }
}
