/** Public types of the Machine (machine.ts): options, host services, stops and events. */
import type { CompiledBoard } from '../../board';
import type { WatchHit } from '../../engine';
import type { TrapInfo } from '../cpu';
import type { OutputStream } from '../devices';

/** Services the host (extension, adapter, CLI, tests) gives a machine; the layer has no timers. */
export interface MachineHost {
  /**
   * Lets the host run between instruction batches (Node: `() => new Promise(r => setImmediate(r))`).
   * Default: a resolved promise (microtask), which keeps run() asynchronous but does not let
   * I/O or timers in — pass a real one wherever pause must be prompt.
   */
  readonly yieldToHost?: () => Promise<void>;
  /**
   * Waits while the hart sleeps in wfi with nothing to wake it (whenIdle 'wait'), so an idle
   * machine does not spin the host: e.g. `() => new Promise(r => setTimeout(r, 5))`. Default:
   * yieldToHost.
   */
  readonly idleWait?: () => Promise<void>;
  /** Host clock in ms deciding when to yield (default Date.now); never affects the guest. */
  readonly now?: () => number;
}

export interface MachineOptions {
  readonly host?: MachineHost;
  /** Instructions per batch (default 25 000; bounded to 1 … 10 000 000); part of determinism. */
  readonly batchSize?: number;
  /** Host time between yields to the host, in ms (default 8). */
  readonly yieldIntervalMs?: number;
  /** The hart's block compiler: false = pure interpreter (see RiscvHartOptions.jit). */
  readonly jit?: false | { readonly threshold?: number };
  /** Deterministic time base: instructions per mtime tick (default 10: 100 MIPS at 10 MHz). */
  readonly instructionsPerTick?: number;
  /** Host clock in mtime ticks; replaces the deterministic time base (runs are then not reproducible). */
  readonly clock?: () => number;
  /**
   * What to do when the hart sleeps in wfi and nothing can wake it (no timer armed, no input
   * queued): 'stop' (default; a stop with reason 'idle') or 'wait' (keep yielding to the host
   * until input arrives or pause() — for interactive sessions).
   */
  readonly whenIdle?: 'stop' | 'wait';
}

/**
 * Why the machine stopped.
 * - `entry`: after reset/load, before the first instruction (reported by the adapter, not run()).
 * - `breakpoint`: pc is at an armed breakpoint, not yet executed.
 * - `step`: step() finished.
 * - `pause`: pause() was called.
 * - `budget`: run()'s maxInstructions were executed.
 * - `watchpoint`: a data watchpoint was hit (`watch`); the accessing instruction has completed.
 * - `ebreak`: an ebreak the debugger claims (no semihosting sequence, debugger attached).
 * - `exited`: the firmware exited (finisher, tohost, semihosting); `exitCode` is set.
 * - `fault`: the hart is stuck in a trap loop (e.g. jumped where nothing is executable and
 *   mtvec points there too); `message` says where.
 * - `idle`: asleep in wfi with nothing that could wake it (whenIdle 'stop').
 * - `exception`: the trap filter (Machine.trapFilter) claimed a trap; pc is at the handler's
 *   first instruction (not executed), the trap registers are set, `trap` says which.
 */
export type MachineStopReason =
  | 'entry'
  | 'breakpoint'
  | 'step'
  | 'pause'
  | 'budget'
  | 'watchpoint'
  | 'ebreak'
  | 'exited'
  | 'fault'
  | 'idle'
  | 'exception';

export interface MachineStop {
  readonly reason: MachineStopReason;
  readonly pc: number;
  /** Instructions executed since reset. */
  readonly instructionCount: number;
  readonly exitCode?: number;
  readonly watch?: WatchHit;
  readonly message?: string;
  /** The claimed trap (reason 'exception'). */
  readonly trap?: TrapInfo;
}

export type MachineState = 'stopped' | 'running' | 'exited';

export interface MachineOutput {
  readonly stream: OutputStream;
  /** One character per byte (latin1): write it with Buffer.from(text, 'latin1'). */
  readonly text: string;
}

export interface MachineExit {
  readonly code: number;
  /** Which device ended the run and how (`finisher: finisher pass (0x5555)`). */
  readonly how: string;
}

/** A run of guest-visible memory a debugger or the loader changed. */
export interface MemoryRange {
  readonly address: number;
  readonly length: number;
}

export interface MachineRunOptions {
  /** Stop with reason 'budget' after this many instructions (default: no limit). */
  readonly maxInstructions?: number;
}

/** A board that failed to load or build; `compiled` carries the diagnostics (with their program). */
export class MachineError extends Error {
  override readonly name = 'MachineError';
  constructor(
    message: string,
    readonly compiled?: CompiledBoard,
  ) {
    super(message);
  }
}
