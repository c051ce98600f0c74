/**
 * Breakpoint bookkeeping: source lines through the DWARF line table, functions through ELF
 * symbols, instruction and data breakpoints, conditions, hit counts and logpoints, and the
 * positions a source range can bind (`breakpointLocations`).
 */
export { breakpointLocations } from './breakpointLocations';
export { Breakpoints, formatDataId, parseDataId, parseHitCondition } from './breakpoints';
export type { ConditionEvaluator } from './breakpoints';
