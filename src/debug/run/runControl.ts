/**
 * Run control on the Machine: continue, pause, step by source line (over/into), step out, and
 * instruction steps. Every operation resolves with a StopReport (what the `stopped` event says)
 * or an exit. Breakpoint conditions, hit counts and log points are decided here at each core
 * stop; exception filters are the machine's trap filter: a trap a filter wants stops the run
 * exactly as it is taken, before the handler's first instruction (interrupts never count), and
 * with no filter on the hook is unset and traps cost nothing.
 *
 * Stepping over a line single-steps while pc stays in the line's address range; a call (ra set to
 * the next instruction) runs at full speed to the return address with sp back at its call value;
 * leaving the range into the middle of another line (a return) finishes that line, as GDB does.
 */
import {
  addressAfterPrologue,
  type MachineStop,
  type DebugInfo,
  type Machine,
} from '../../machine';
import type { Breakpoints, ConditionEvaluator } from '../breakpoints';
import { addressHex } from '../../engine';
import { backtrace } from '../inspect';

export interface StopReport {
  readonly reason:
    | 'entry'
    | 'breakpoint'
    | 'step'
    | 'pause'
    | 'exception'
    | 'data breakpoint'
    | 'function breakpoint'
    | 'instruction breakpoint';
  readonly description?: string;
  readonly text?: string;
  readonly hitBreakpointIds?: number[];
  /** The memory the stop is about (a faulting address, a watched access): the console links it. */
  readonly memory?: { readonly address: number; readonly length: number };
}

export type RunOutcome =
  | { readonly kind: 'stopped'; readonly stop: StopReport }
  | { readonly kind: 'exited'; readonly code: number; readonly how: string };

export const EXCEPTION_FILTERS = [
  {
    filter: 'unassigned',
    label: 'Unassigned access',
    description: 'A load, store or fetch where nothing is mapped (access fault on a hole)',
    default: true,
  },
  {
    filter: 'accessError',
    label: 'Access error',
    description: 'A load, store or fetch a mapped region or device refused (access fault)',
    default: true,
  },
  {
    filter: 'illegalInstruction',
    label: 'Illegal instruction',
    description: 'mcause 2',
    default: true,
  },
  {
    filter: 'otherTraps',
    label: 'Other traps',
    description: 'Misaligned accesses, ecall, ebreak and any other synchronous exception',
    default: false,
  },
] as const;

const CAUSE_NAMES: Record<number, string> = {
  0: 'instruction address misaligned',
  1: 'instruction access fault',
  2: 'illegal instruction',
  3: 'breakpoint (ebreak)',
  4: 'load address misaligned',
  5: 'load access fault',
  6: 'store/AMO address misaligned',
  7: 'store/AMO access fault',
  11: 'environment call from M-mode',
};

/** Single steps between yields to the event loop (so pause and other requests get in). */
const STEPS_PER_YIELD = 20_000;

type ExceptionFilter = (typeof EXCEPTION_FILTERS)[number]['filter'];

/** Causes whose mtval is a data or fetch address (misaligned, access faults). */
const MEMORY_FAULT_CAUSES: ReadonlySet<number> = new Set([0, 1, 4, 5, 6, 7]);

/** Which filter a synchronous exception falls under, and how to name it to the user. */
export function classifyException(
  machine: Machine,
  cause: number,
  tval: number,
): { readonly filter: ExceptionFilter; readonly detail: string } {
  const name = CAUSE_NAMES[cause] ?? `exception ${cause}`;
  if (cause === 1 || cause === 5 || cause === 7) {
    const range = machine.space.flatView.lookup(tval);
    return range
      ? {
          filter: 'accessError',
          detail: `${name} at ${addressHex(tval)} (region '${range.mr.name}' refused the access)`,
        }
      : {
          filter: 'unassigned',
          detail: `${name} at ${addressHex(tval)} (nothing is mapped there)`,
        };
  }
  if (cause === 2) return { filter: 'illegalInstruction', detail: `${name} (${addressHex(tval)})` };
  return { filter: 'otherTraps', detail: name };
}

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

type Reached = { readonly kind: 'reached' };

export class RunControl {
  private pauseRequested = false;
  /** Log point output and condition errors. */
  onLog: (text: string) => void = () => undefined;
  running = false;

  constructor(
    private readonly machine: Machine,
    private readonly breakpoints: Breakpoints,
    /** Replaced when the program is reloaded. */
    public debugInfo: DebugInfo | undefined,
    private readonly evaluate: ConditionEvaluator,
  ) {}

  pause(): void {
    this.pauseRequested = true;
    this.machine.pause();
  }

  private reg(n: number): number {
    return (this.machine.cpu.readRegister(n) ?? 0) >>> 0;
  }

  /**
   * Installs the machine's trap filter while any exception filter is on, and removes it when
   * none is (so traps cost nothing). Called when the filters change and before each run.
   */
  updateTrapFilter(): void {
    const filters: ReadonlySet<string> = this.breakpoints.exceptionFilters;
    this.machine.trapFilter =
      filters.size === 0
        ? undefined
        : (cause, tval, _pc, interrupt) =>
            !interrupt && filters.has(classifyException(this.machine, cause, tval).filter);
  }

  /** The stop a claimed trap reports (the `exception` stop of the machine). */
  private exceptionReport(stop: MachineStop): StopReport {
    const trap = stop.trap;
    if (!trap) return { reason: 'exception', description: 'Exception' };
    const { detail } = classifyException(this.machine, trap.cause, trap.tval);
    return {
      reason: 'exception',
      description: `Exception: ${detail}`,
      text: `${detail}; raised by the instruction at ${addressHex(trap.pc)} (mepc), now at the trap handler ${addressHex(stop.pc)}`,
      ...(MEMORY_FAULT_CAUSES.has(trap.cause)
        ? { memory: { address: trap.tval >>> 0, length: 1 } }
        : {}),
    };
  }

  /**
   * Runs until a user-visible stop. `temporary` decides at a temporary breakpoint whether the
   * step that set it is done.
   */
  private async runUntilStop(temporary?: (pc: number) => boolean): Promise<RunOutcome | Reached> {
    this.running = true;
    try {
      this.updateTrapFilter();
      for (;;) {
        if (this.pauseRequested) {
          this.pauseRequested = false;
          return { kind: 'stopped', stop: { reason: 'pause' } };
        }
        const stop: MachineStop = await this.machine.run();
        const outcome = this.interpret(stop, temporary);
        if (outcome) return outcome;
      }
    } finally {
      this.running = false;
    }
  }

  /** One machine stop: a user-visible outcome, or undefined to keep running. */
  private interpret(
    stop: MachineStop,
    temporary?: (pc: number) => boolean,
  ): RunOutcome | Reached | undefined {
    switch (stop.reason) {
      case 'budget':
        return undefined;
      case 'exception':
        return { kind: 'stopped', stop: this.exceptionReport(stop) };
      case 'pause':
        this.pauseRequested = false;
        return { kind: 'stopped', stop: { reason: 'pause' } };
      case 'exited':
        return { kind: 'exited', code: stop.exitCode ?? 0, how: stop.message ?? '' };
      case 'fault':
        return {
          kind: 'stopped',
          stop: {
            reason: 'exception',
            description: 'Exception: the hart is stuck in a trap loop',
            text: stop.message ?? '',
          },
        };
      case 'idle':
        return {
          kind: 'stopped',
          stop: {
            reason: 'pause',
            description: 'Paused: waiting in wfi with nothing to wake the hart',
            ...(stop.message ? { text: stop.message } : {}),
          },
        };
      case 'ebreak':
        return {
          kind: 'stopped',
          stop: { reason: 'breakpoint', description: 'ebreak in the program' },
        };
      case 'watchpoint': {
        if (!stop.watch) return { kind: 'stopped', stop: { reason: 'data breakpoint' } };
        const d = this.breakpoints.decideData(stop.watch, this.evaluate);
        for (const log of d.logs) this.onLog(log);
        if (!d.stop && !d.error) return undefined;
        return {
          kind: 'stopped',
          stop: {
            reason: 'data breakpoint',
            description: this.breakpoints.dataDescription(stop.watch),
            hitBreakpointIds: d.ids,
            memory: { address: stop.watch.address, length: stop.watch.size },
            ...(d.error ? { text: d.error } : {}),
          },
        };
      }
      case 'breakpoint': {
        const pc = stop.pc;
        const d = this.breakpoints.decideCode(pc, this.evaluate);
        for (const log of d.logs) this.onLog(log);
        if (d.error)
          return {
            kind: 'stopped',
            stop: {
              reason: 'breakpoint',
              description: 'Breakpoint condition failed',
              text: d.error,
              hitBreakpointIds: d.ids,
            },
          };
        if (d.ids.length > 0)
          return {
            kind: 'stopped',
            stop: { reason: d.reason ?? 'breakpoint', hitBreakpointIds: d.ids },
          };
        if (temporary && this.breakpoints.isTemporary(pc) && temporary(pc))
          return { kind: 'reached' };
        return undefined;
      }
      default:
        return {
          kind: 'stopped',
          stop: { reason: 'pause', description: `stopped: ${stop.reason}` },
        };
    }
  }

  async continue(): Promise<RunOutcome> {
    this.pauseRequested = false;
    const r = await this.runUntilStop();
    return r.kind === 'reached' ? { kind: 'stopped', stop: { reason: 'step' } } : r;
  }

  /** Runs to `returnAddress` with sp at or above `sp` (the caller's frame); undefined when reached. */
  private async runToReturn(returnAddress: number, sp: number): Promise<RunOutcome | undefined> {
    this.breakpoints.addTemporary(returnAddress);
    try {
      const r = await this.runUntilStop((pc) => pc === returnAddress && this.reg(2) >= sp);
      return r.kind === 'reached' ? undefined : r;
    } finally {
      this.breakpoints.clearTemporaries();
    }
  }

  /** Executes one instruction; a call is followed to its return when `overCalls`. */
  private async stepInstruction(
    overCalls: boolean,
  ): Promise<RunOutcome | { kind: 'stepped'; call: boolean }> {
    const pcBefore = this.machine.pc;
    const spBefore = this.reg(2);
    const stop = this.machine.step(1);
    if (stop.reason === 'exited')
      return { kind: 'exited', code: stop.exitCode ?? 0, how: stop.message ?? '' };
    if (stop.reason !== 'step') {
      const o = this.interpret(stop);
      if (o && o.kind !== 'reached') return o;
    }
    const pc = this.machine.pc;
    const ra = this.reg(1);
    const call = (ra === pcBefore + 4 || ra === pcBefore + 2) && pc !== ra;
    if (call && overCalls) {
      // The call landed on a user breakpoint (a function breakpoint at an entry without a
      // prologue): gdb's next stops there; running on from here would step over it.
      const hit = this.userBreakpointAt(pc);
      if (hit) return hit;
      const r = await this.runToReturn(ra, spBefore);
      if (r) return r;
    }
    return { kind: 'stepped', call };
  }

  async stepInstructionRequest(overCalls: boolean): Promise<RunOutcome> {
    this.pauseRequested = false;
    this.updateTrapFilter();
    const r = await this.stepInstruction(overCalls);
    return r.kind === 'stepped' ? { kind: 'stopped', stop: { reason: 'step' } } : r;
  }

  /** Source-line step: over calls (`next`) or into functions that have line information. */
  async stepLine(into: boolean): Promise<RunOutcome> {
    this.pauseRequested = false;
    const lines = this.debugInfo?.lines;
    let range = lines?.lineRangeAt(this.machine.pc);
    if (!lines || !range) return this.stepInstructionRequest(!into);
    this.updateTrapFilter();
    this.running = true;
    try {
      for (let n = 1; ; n++) {
        if (n % STEPS_PER_YIELD === 0) {
          await yieldNow();
          if (this.pauseRequested) {
            this.pauseRequested = false;
            return { kind: 'stopped', stop: { reason: 'pause' } };
          }
        }
        const target = into ? this.machine.pc : undefined;
        const r = await this.stepInstruction(!into);
        if (r.kind !== 'stepped') return r;
        const pc = this.machine.pc;
        if (into && r.call && target !== undefined) {
          const hit = this.userBreakpointAt(pc);
          if (hit) return hit;
          const inner = lines.lineRangeAt(pc);
          if (!inner) {
            // No line information in the callee (assembly, library): finish it instead.
            const back = await this.runToReturn(this.reg(1), this.reg(2));
            if (back) return back;
            continue;
          }
          // Entered a function with lines: stop where gdb's step does (handle_step_into_function),
          // after the prologue, without entering the calls on the way there.
          const body = this.afterPrologue(pc);
          if (body !== pc) {
            this.breakpoints.addTemporary(body);
            try {
              const spEntry = this.reg(2);
              const reached = await this.runUntilStop((p) => p === body && this.reg(2) <= spEntry);
              if (reached.kind !== 'reached') return reached;
            } finally {
              this.breakpoints.clearTemporaries();
            }
          }
          return { kind: 'stopped', stop: { reason: 'step' } };
        }
        if (pc >= range.start && pc < range.end) continue;
        const next = lines.lineRangeAt(pc);
        if (!next) return { kind: 'stopped', stop: { reason: 'step' } };
        if (
          lines.isStatementStart(pc) &&
          !(next.line === range.line && next.path === range.path && pc > range.start)
        ) {
          return { kind: 'stopped', stop: { reason: 'step' } };
        }
        range = next; // the middle of a line (after a return): finish it
      }
    } finally {
      this.running = false;
    }
  }

  /** A user breakpoint at `pc` (reached by a single step, so not yet reported) that stops. */
  private userBreakpointAt(pc: number): RunOutcome | undefined {
    const o = this.interpret({ reason: 'breakpoint', pc } as MachineStop);
    return o && o.kind !== 'reached' ? o : undefined;
  }

  /**
   * Where gdb's Step Into stops in a function just entered at `entry`: the line-table prologue
   * skip (riscv_skip_prologue → skip_prologue_using_sal), and when that lands in the middle of a
   * line, the end of that line (if still inside the function).
   */
  private afterPrologue(entry: number): number {
    const lines = this.debugInfo?.lines;
    if (!lines) return entry;
    let body = addressAfterPrologue(lines, entry);
    const sal = lines.lineRangeAt(body);
    const fn = this.debugInfo?.functionAt(entry);
    const end = fn && fn.value === entry && fn.size > 0 ? fn.value + fn.size : undefined;
    if (sal && sal.start !== body && end !== undefined && sal.end < end) body = sal.end;
    return body;
  }

  async stepOut(): Promise<RunOutcome> {
    this.pauseRequested = false;
    const frames = backtrace(this.machine, this.debugInfo);
    const caller = frames[1];
    if (!caller || frames[0]!.cfa === undefined) {
      return {
        kind: 'stopped',
        stop: { reason: 'step', description: 'no caller frame: step out is not possible here' },
      };
    }
    const r = await this.runToReturn(caller.pc, frames[0]!.cfa);
    return r ?? { kind: 'stopped', stop: { reason: 'step' } };
  }

  dispose(): void {
    this.machine.trapFilter = undefined;
  }
}
