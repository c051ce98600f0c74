/**
 * gdb's `whatis` and `ptype` for an expression or a type name: `whatis` names the type (a type
 * name given directly loses one level of typedef, as in gdb), `ptype` writes it out with
 * typedefs resolved and the struct/union/enum body expanded.
 */
import { ptypeText, typeName } from '../types';
import { evaluateExpression, resolveTypeExpression } from './evaluator';
import { ExpressionError } from './lexer';
import { parseTypeName } from './parser';
import type { ExpressionScope } from './scope';

export type TypeQueryResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string; readonly column: number };

export function typeQuery(
  kind: 'whatis' | 'ptype',
  text: string,
  scope: ExpressionScope,
): TypeQueryResult {
  try {
    const asType = parseTypeName(text, { isTypedef: (n) => scope.isTypedef?.(n) ?? false });
    if (asType) {
      let type = resolveTypeExpression(asType, scope);
      if (kind === 'whatis' && type.kind === 'typedef' && asType.declarators.length === 0)
        type = type.target;
      return { ok: true, text: `type = ${kind === 'whatis' ? typeName(type) : ptypeText(type)}` };
    }
    const value = evaluateExpression(text, scope);
    return {
      ok: true,
      text: `type = ${kind === 'whatis' ? typeName(value.type) : ptypeText(value.type)}`,
    };
  } catch (e) {
    if (e instanceof ExpressionError) return { ok: false, message: e.message, column: e.column };
    throw e;
  }
}
