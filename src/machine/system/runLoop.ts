/**
 * The run loop: bounded instruction batches on the hart, device time between them, and a yield
 * to the host (injected; the layer has no timers) once `yieldIntervalMs` of host time has passed
 * since the last one. Batch boundaries depend only on instruction counts (batch size, the
 * CLINT's next deadline, the budget), never on host time, so the same program and input give
 * the same instruction count and output; host time only decides at which boundaries to yield,
 * which the guest cannot observe. Pause latency is at most one batch plus one yield interval.
 */
import { addressHex } from '../../engine';
import { CSR, CSR_REGISTER_BASE } from '../riscv';
import type { LoopTarget } from './loopTarget';
import type { MachineStop, MachineRunOptions } from './machineTypes';

export const DEFAULT_BATCH = 25_000;
export const DEFAULT_YIELD_INTERVAL_MS = 8;
const MIN_BATCH = 1;
const MAX_BATCH = 10_000_000;
const INSTRUCTION_ACCESS_FAULT = 1;

/** State shared between a Machine and its run loop. */
export interface RunControl {
  readonly machine: LoopTarget;
  pauseRequested: boolean;
}

const microtask = (): Promise<void> => Promise.resolve();

/** Trapping steps at mtvec, with nothing retired, after which a trap loop is called a storm. */
export const TRAP_STORM_STEPS = 64;
const INTERRUPT_BIT = 0x8000_0000;
const CAUSE_NAMES: Readonly<Record<number, string>> = {
  0: 'an instruction address misaligned exception',
  1: 'an instruction access fault',
  2: 'an illegal instruction exception',
  3: 'a breakpoint exception',
  4: 'a load address misaligned exception',
  5: 'a load access fault',
  6: 'a store/AMO address misaligned exception',
  7: 'a store/AMO access fault',
  11: 'an environment call (ecall)',
};

/**
 * A trap loop that can never make progress: the hart sits at the handler's first instruction
 * (pc = mtvec), which is also the instruction that trapped (mepc = mtvec, mcause an exception) —
 * the handler itself traps, so it can never run: mtvec on an unmapped hole (an instruction
 * access fault), on MMIO that reads 0 (an illegal instruction), on misaligned or garbage code.
 * Returns the message, or undefined. runMachine calls it a storm only after TRAP_STORM_STEPS such
 * steps with no instruction retired.
 */
export function faultLoopMessage(machine: LoopTarget): string | undefined {
  const cpu = machine.cpu;
  const csr = (n: number): number => cpu.readRegister(CSR_REGISTER_BASE + n)! >>> 0;
  const mcause = csr(CSR.mcause);
  const base = (csr(CSR.mtvec) & ~3) >>> 0;
  if ((mcause & INTERRUPT_BIT) !== 0 || cpu.pc !== base || csr(CSR.mepc) !== base) {
    return undefined;
  }
  const range = machine.space.flatView.lookup(base);
  if (mcause === INSTRUCTION_ACCESS_FAULT) {
    const what = range ? `the device region '${range.mr.name}'` : 'nothing (an unmapped hole)';
    return (
      `the hart jumped into the void: instruction access fault at pc ${addressHex(base)} (${what} is there), ` +
      `and mtvec = ${addressHex(base)} faults the same way, so the trap handler can never run`
    );
  }
  const cause = CAUSE_NAMES[mcause] ?? `exception cause ${mcause}`;
  const where = range
    ? `${range.mr.kind === 'io' ? 'the device region' : 'region'} '${range.mr.name}'`
    : 'nothing (an unmapped hole)';
  const what =
    mcause === 2
      ? `: it reads ${addressHex(csr(CSR.mtval))} from ${where}`
      : ` (${where} is there)`;
  return (
    `trap storm: the trap handler at mtvec = ${addressHex(base)} can never run, its first instruction ` +
    `raises ${cause} (mcause ${mcause}) every time${what}`
  );
}

/** Counts trapping steps at mtvec across batch boundaries (see faultLoopMessage). */
class TrapStormWatch {
  private steps = -1;
  private instret = 0;

  /** After a batch of @executed steps: the storm's message once it is one. */
  check(machine: LoopTarget, executed: number): string | undefined {
    const message = executed > 0 ? faultLoopMessage(machine) : undefined;
    if (message === undefined) {
      if (executed > 0) this.steps = -1;
      return undefined;
    }
    const instret = machine.cpu.readRegister(CSR_REGISTER_BASE + CSR.minstret)! >>> 0;
    if (this.steps < 0 || instret !== this.instret) {
      // The first boundary in the loop (this batch may have retired instructions before it).
      this.steps = 0;
      this.instret = instret;
      return undefined;
    }
    this.steps += executed;
    return this.steps >= TRAP_STORM_STEPS ? message : undefined;
  }
}

export async function runMachine(
  control: RunControl,
  options: MachineRunOptions,
): Promise<MachineStop> {
  const machine = control.machine;
  if (machine.state === 'exited') return machine.stop('exited', machine.exitInfo?.how);
  const yieldToHost = machine.options.host?.yieldToHost ?? microtask;
  const batchSize = Math.min(
    MAX_BATCH,
    Math.max(MIN_BATCH, Math.floor(machine.options.batchSize ?? DEFAULT_BATCH)),
  );
  const now = machine.options.host?.now ?? Date.now;
  const interval = machine.options.yieldIntervalMs ?? DEFAULT_YIELD_INTERVAL_MS;
  let lastYield = now();
  const limit = options.maxInstructions;
  const start = machine.cpu.instructionCount;
  let first = true;
  const storm = new TrapStormWatch();
  machine.setRunning();
  for (;;) {
    if (control.pauseRequested) {
      control.pauseRequested = false;
      return machine.stop('pause');
    }
    let budget = machine.mmioTrace ? 1 : batchSize;
    if (limit !== undefined) {
      const left = limit - (machine.cpu.instructionCount - start);
      if (left <= 0) return machine.stop('budget', `instruction budget of ${limit} used up`);
      budget = Math.min(budget, left);
    }
    const clint = machine.clintDevice;
    if (clint)
      budget = Math.min(budget, clint.instructionsUntilDeadline(machine.nextDeviceEventTicks()));
    const result = machine.runBatch(budget, first);
    first = false;
    machine.updateDeviceTime();
    if (machine.exitPending) return machine.finishExit();
    if (machine.resetRequested) {
      machine.resetState();
      machine.setRunning();
      continue;
    }
    if (machine.watchHit) return machine.stop('watchpoint');
    switch (result.reason) {
      case 'breakpoint':
        return machine.stop('breakpoint');
      case 'ebreak':
        return machine.stop('ebreak');
      case 'trap':
        return machine.stop('exception');
      case 'wfi':
        if (clint?.skipToDeadline(machine.nextDeviceEventTicks())) {
          machine.updateDeviceTime();
          continue;
        }
        if (machine.options.whenIdle === 'wait') {
          await (machine.options.host?.idleWait ?? yieldToHost)();
          lastYield = now();
          continue;
        }
        return machine.stop(
          'idle',
          `the hart sleeps in wfi at pc ${addressHex(machine.pc)} and nothing can wake it (no timer armed, no input)`,
        );
      case 'stop-requested':
      case 'budget':
        break;
    }
    const fault = storm.check(machine, result.executed);
    if (fault) return machine.stop('fault', fault);
    if (!control.pauseRequested && now() - lastYield < interval) continue;
    await yieldToHost();
    lastYield = now();
  }
}
