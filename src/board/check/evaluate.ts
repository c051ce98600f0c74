/**
 * Integer expressions over bigint: constants, `+ - * / % << >> & | ~`, `^` (power) and
 * parentheses. Evaluation is exact (no wrapping); division truncates toward zero like C.
 */
import type { Expr, Name } from '../syntax';

export interface EvalProblem {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  /** The name could not be resolved (as opposed to an arithmetic problem). */
  readonly unknownName?: boolean;
}

/** Resolves a name to a value; undefined = unknown name, null = known but has no value. */
export type NameLookup = (name: Name) => bigint | null | undefined;

/** Largest exponent or shift accepted, so a typo cannot allocate a gigantic bigint. */
const MAX_BITS = 4096n;

export function evaluate(
  expr: Expr,
  lookup: NameLookup,
  report: (p: EvalProblem) => void,
): bigint | undefined {
  switch (expr.type) {
    case 'number':
      // a malformed literal was reported by the scanner; evaluate to nothing, quietly
      return expr.invalid ? undefined : expr.value;
    case 'paren':
      return evaluate(expr.inner, lookup, report);
    case 'ref': {
      const v = lookup(expr.name);
      if (v === undefined) {
        report({
          offset: expr.offset,
          length: expr.length,
          message: `Unknown constant '${expr.name.text}'`,
          unknownName: true,
        });
        return undefined;
      }
      return v ?? undefined;
    }
    case 'unary': {
      const v = evaluate(expr.operand, lookup, report);
      if (v === undefined) return undefined;
      return expr.op === '-' ? -v : ~v;
    }
    case 'binary': {
      const l = evaluate(expr.left, lookup, report);
      const r = evaluate(expr.right, lookup, report);
      if (l === undefined || r === undefined) return undefined;
      const bad = (message: string): undefined => {
        report({ offset: expr.offset, length: expr.length, message });
        return undefined;
      };
      switch (expr.op) {
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '/':
          return r === 0n ? bad('Division by zero') : l / r;
        case '%':
          return r === 0n ? bad('Division by zero') : l % r;
        case '<<':
          if (r < 0n || r > MAX_BITS) return bad(`Shift count ${r} out of range (0…${MAX_BITS})`);
          return l << r;
        case '>>':
          if (r < 0n || r > MAX_BITS) return bad(`Shift count ${r} out of range (0…${MAX_BITS})`);
          return l >> r;
        case '&':
          return l & r;
        case '|':
          return l | r;
        case '^':
          if (r < 0n) return bad('Negative exponent');
          if (l !== 0n && l !== 1n && l !== -1n && r > MAX_BITS) {
            return bad(`Exponent ${r} too large`);
          }
          return l ** r;
      }
    }
  }
  return undefined;
}

/** Every name an expression refers to. */
export function exprNames(expr: Expr | undefined, out: Name[] = []): Name[] {
  if (!expr) return out;
  switch (expr.type) {
    case 'ref':
      out.push(expr.name);
      break;
    case 'paren':
      exprNames(expr.inner, out);
      break;
    case 'unary':
      exprNames(expr.operand, out);
      break;
    case 'binary':
      exprNames(expr.left, out);
      exprNames(expr.right, out);
      break;
  }
  return out;
}
