/**
 * The Boardmap debug adapter (DAP), one folder per concept: session, run, inspect, breakpoints,
 * memory, disassembly, expression. The extension hosts the session inline; `adapterMain.ts` runs
 * it as a process (stdio or `--port`).
 */
export { BoardmapDebugSession } from './session';
