/**
 * What the run and step loops (runLoop.ts, stepLoop.ts) use of a Machine: its state, options and
 * parts, and the @internal hooks they drive. Machine (machine.ts) implements it; the loops take
 * it instead of the class so that machine.ts, which imports them, is not imported back (no import
 * cycle, not even a type-only one). Types only: the loops are handed the Machine itself.
 */
import type { AddressSpace, WatchHit } from '../../engine';
import type { Cpu, RunResult } from '../cpu';
import type { Clint, MmioAccess } from '../devices';
import type { MachineExit, MachineOptions, MachineState, MachineStop } from './machineTypes';

export interface LoopTarget {
  readonly state: MachineState;
  readonly exitInfo: MachineExit | undefined;
  readonly pc: number;
  readonly cpu: Cpu;
  /** The hart's address space. */
  readonly space: AddressSpace;
  readonly options: MachineOptions;
  /** While set, run() executes one instruction per batch. */
  readonly mmioTrace: ((access: MmioAccess) => void) | undefined;
  readonly clintDevice: Clint | undefined;
  readonly watchHit: WatchHit | undefined;
  readonly resetRequested: boolean;
  readonly exitPending: boolean;

  /** System reset from the host's side (see Machine.reset). */
  reset(): void;
  /** The reset itself (for the finisher's reset code). */
  resetState(): void;
  setRunning(): void;
  /** Runs a batch of at most `budget` instructions on the hart. */
  runBatch(budget: number, stepOverBreakpoint: boolean): RunResult;
  /** One instruction, as a batch of its own. */
  stepOne(): RunResult;
  /** Ends a run or step with `reason`, firing onStopped. */
  stop(reason: MachineStop['reason'], message?: string): MachineStop;
  finishExit(): MachineStop;
  /** Ticks until the earliest timed device event (an armed RTC alarm); Infinity when none. */
  nextDeviceEventTicks(): number;
  /** Device time after a batch: MTIP against mtime, then RTC alarms and the like. */
  updateDeviceTime(): void;
}
