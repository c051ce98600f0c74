/**
 * Looking at a stopped machine: call stacks, scopes and variables (registers, CSRs,
 * peripherals, memory map), `evaluate` and `setExpression`, and the QEMU-monitor commands.
 */
export { dataInfoForExpression, evaluate, expressionContext } from './evaluate';
export { formatMemoryDump, isMonitorCommand } from './monitor';
export { completions } from './completions';
export { setExpression } from './setExpression';
export { backtrace, toStackFrame, unwindingNote } from './stack';
export type { Frame } from './stack';
export { Variables, registerBanks } from './variables';
export { SourceStop, sourceErrors, locatedMessage, type WrittenRange } from './sourceVariables';
