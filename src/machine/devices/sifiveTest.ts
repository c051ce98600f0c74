/**
 * SiFive test finisher (QEMU `riscv.sifive.test`): a 32-bit write to offset 0 ends the
 * simulation. Low half 0x5555 = pass (exit 0), 0x3333 = fail with status `value >> 16`, 0x7777 =
 * system reset. Other values are ignored (QEMU logs a guest error). Reads return 0.
 */
import { createIo, type MemoryRegion, type MemorySystem, type QomObject } from '../../engine';
import { windowOps } from './mmio';
import type { DeviceEnv, MachineDevice } from './types';

export const FINISHER_PASS = 0x5555;
export const FINISHER_FAIL = 0x3333;
export const FINISHER_RESET = 0x7777;

export class SifiveTest implements MachineDevice {
  readonly model = 'sifive_test';
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  /** Writes that were none of the three codes (QEMU's "guest error"), for diagnostics. */
  ignoredWrites = 0;

  constructor(
    system: MemorySystem,
    private readonly env: DeviceEnv,
    readonly id: string,
    name: string,
    /** QOM owner of the window (`info mtree -o`). */
    owner: QomObject | null = null,
  ) {
    const ops = windowOps(
      env,
      id,
      {
        read: () => 0,
        write: (offset, value) => this.write(offset, value),
        peek: () => 0,
        registerName: (offset) => (offset === 0 ? 'finisher' : undefined),
      },
      { min: 2, max: 4 },
    );
    this.regions = [{ region: createIo(system, name, 0x1000, ops, { owner }), offset: 0n }];
  }

  reset(): void {
    this.ignoredWrites = 0;
  }

  registerName(_region: MemoryRegion, offset: number): string | undefined {
    return offset === 0 ? 'finisher' : undefined;
  }

  private write(offset: number, value: number): void {
    if (offset !== 0) return;
    const code = value >>> 16;
    switch (value & 0xffff) {
      case FINISHER_PASS:
        this.env.exit(0, `${this.id}: finisher pass (0x5555)`);
        return;
      case FINISHER_FAIL:
        this.env.exit(code, `${this.id}: finisher fail, status ${code}`);
        return;
      case FINISHER_RESET:
        this.env.requestReset();
        return;
      default:
        this.ignoredWrites++;
    }
  }
}
