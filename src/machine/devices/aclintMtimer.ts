/**
 * RISC-V ACLINT MTIMER on its own (QEMU `riscv.aclint.mtimer`, riscv_aclint_mtimer_create):
 * `mtimecmp` per hart at +0 and `mtime` at +0x7ff8 of a 32 KiB window, raising MTIP. The
 * `aclint-mtimer` device kind, as QEMU's virt maps it at 0x200_4000 beside an `aclint-swi`.
 * It is the timer of the SiFive CLINT (clint.ts) without the CLINT's software-interrupt
 * window, so the machine drives it as its time base in the same way.
 */
import type { MemorySystem } from '../../engine';
import { Clint, type ClintOptions } from './clint';
import type { DeviceEnv } from './types';

export interface AclintMtimerOptions extends ClintOptions {
  /** QEMU name of the window (default `riscv.aclint.mtimer`). */
  readonly name?: string;
}

export class AclintMtimer extends Clint {
  constructor(system: MemorySystem, env: DeviceEnv, options: AclintMtimerOptions) {
    super(system, env, options, {
      model: 'aclint-mtimer',
      swi: false,
      timerName: options.name ?? 'riscv.aclint.mtimer',
      timerOffset: 0n,
    });
  }
}
