/**
 * Stepping, the run loop's (runLoop.ts) counterpart for a debugger's step: instructions one at a
 * time, ignoring breakpoints, with device time brought up to date after each.
 */
import type { LoopTarget } from './loopTarget';
import type { MachineStop } from './machineTypes';

/**
 * Executes `count` instructions on @machine (an interrupt being taken counts as one step); a
 * hart sleeping in wfi advances time to its next timer deadline.
 */
export function stepMachine(machine: LoopTarget, count: number): MachineStop {
  if (machine.state === 'exited') return machine.stop('exited');
  const clint = machine.clintDevice;
  let left = count;
  while (left > 0) {
    const r = machine.stepOne();
    machine.updateDeviceTime();
    if (machine.exitPending) return machine.finishExit();
    if (machine.resetRequested) machine.reset();
    if (r.reason === 'wfi') {
      if (!clint?.skipToDeadline(machine.nextDeviceEventTicks()))
        return machine.stop('idle', 'waiting in wfi; nothing can wake the hart');
      continue;
    }
    left--;
    if (r.reason === 'ebreak') return machine.stop('ebreak');
    if (r.reason === 'trap') return machine.stop('exception');
    if (machine.watchHit) return machine.stop('watchpoint');
  }
  return machine.stop('step');
}
