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
import type { Machine } from './machine';
import type { MachineStop, MachineRunOptions } from './machineTypes';

export const DEFAULT_BATCH = 25_000;
export const DEFAULT_YIELD_INTERVAL_MS = 8;
const MIN_BATCH = 1;
const MAX_BATCH = 10_000_000;
const INSTRUCTION_ACCESS_FAULT = 1;

/** State shared between a Machine and its run loop. */
export interface RunControl {
  readonly machine: Machine;
  pauseRequested: boolean;
}

const microtask = (): Promise<void> => Promise.resolve();

/**
 * A trap loop that can never make progress: the hart faulted fetching at mtvec itself (mepc =
 * pc = mtvec, mcause = instruction access fault), e.g. after jumping into an unmapped hole
 * with mtvec still 0. Returns the message, or undefined.
 */
export function faultLoopMessage(machine: Machine): string | undefined {
  const cpu = machine.cpu;
  const csr = (n: number): number => cpu.readRegister(CSR_REGISTER_BASE + n)! >>> 0;
  const mcause = csr(CSR.mcause);
  const base = (csr(CSR.mtvec) & ~3) >>> 0;
  if (mcause !== INSTRUCTION_ACCESS_FAULT || cpu.pc !== base || csr(CSR.mepc) !== base) {
    return undefined;
  }
  const range = machine.space.flatView.lookup(base);
  const what = range ? `the device region '${range.mr.name}'` : 'nothing (an unmapped hole)';
  return (
    `the hart jumped into the void: instruction access fault at pc ${addressHex(base)} (${what} is there), ` +
    `and mtvec = ${addressHex(base)} faults the same way, so the trap handler can never run`
  );
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
    if (clint) budget = Math.min(budget, clint.instructionsUntilDeadline());
    const result = machine.runBatch(budget, first);
    first = false;
    clint?.update();
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
        if (clint?.skipToDeadline()) continue;
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
    if (result.executed > 0) {
      const fault = faultLoopMessage(machine);
      if (fault) return machine.stop('fault', fault);
    }
    if (!control.pauseRequested && now() - lastYield < interval) continue;
    await yieldToHost();
    lastYield = now();
  }
}
