/**
 * Run control on the Machine: continue, pause, stepping by line and instruction, step out,
 * exception filters and the stop reports they produce.
 */
export { EXCEPTION_FILTERS, RunControl } from './runControl';
export type { RunOutcome, StopReport } from './runControl';
