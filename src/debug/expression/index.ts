/**
 * The Debug Console's expression language (registers, symbols, memory dereferences,
 * arithmetic), shared by evaluate, watches, breakpoint conditions and setExpression.
 */
export { ExpressionError, evaluateExpression } from './expression';
export type { EvaluationResult, ExpressionContext, LValue } from './expression';
