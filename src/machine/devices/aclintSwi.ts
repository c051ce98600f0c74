/**
 * RISC-V ACLINT MSWI (QEMU `riscv.aclint.swi`, riscv_aclint_swi_create): one 32-bit `msip`
 * register per hart in a 16 KiB window; bit 0 drives the hart's machine software interrupt
 * (MSIP). The `aclint-swi` device kind, and the software-interrupt half of the SiFive CLINT
 * (clint.ts).
 */
import {
  createIo,
  type MemoryRegion,
  type MemorySystem,
  type QomObject,
  type RegisterBank,
} from '../../engine';
import { windowOps } from './mmio';
import { aclintSwiRegisters } from './registerTables';
import type { DeviceEnv, MachineDevice } from './types';

export const IRQ_MSI = 3;
/** RISCV_ACLINT_SWI_SIZE. */
export const ACLINT_SWI_SIZE = 0x4000;

export interface AclintSwiOptions {
  readonly id: string;
  readonly harts: number;
  /** QEMU name of the window (default `riscv.aclint.swi`). */
  readonly name?: string;
  /** QOM owner of the window (`info mtree -o`). */
  readonly owner?: QomObject | null;
}

export class AclintSwi implements MachineDevice {
  readonly model = 'aclint-swi';
  readonly id: string;
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  private readonly msip: Uint8Array;
  /** Register descriptions with their fields, for the views (registerTables.ts). */
  readonly bank: RegisterBank;

  constructor(
    system: MemorySystem,
    private readonly env: DeviceEnv,
    options: AclintSwiOptions,
  ) {
    this.id = options.id;
    this.msip = new Uint8Array(options.harts);
    const ops = windowOps(
      env,
      options.id,
      {
        read: (o) => this.read(o),
        write: (o, v) => this.write(o, v),
        peek: (o) => this.read(o),
        registerName: (o) => this.msipName(o),
      },
      { min: 4, max: 4 },
    );
    const name = options.name ?? 'riscv.aclint.swi';
    this.bank = aclintSwiRegisters(name, options.harts);
    const region = createIo(system, name, ACLINT_SWI_SIZE, ops, { owner: options.owner ?? null });
    this.regions = [{ region, offset: 0n }];
  }

  get region(): MemoryRegion {
    return this.regions[0]!.region;
  }

  reset(): void {
    this.msip.fill(0);
    this.env.setHartIrq(IRQ_MSI, false);
  }

  registerName(region: MemoryRegion, offset: number): string | undefined {
    return region === this.region ? this.msipName(offset) : undefined;
  }

  private msipName(offset: number): string | undefined {
    const h = offset >>> 2;
    return h < this.msip.length ? `msip${h}` : undefined;
  }

  private read(offset: number): number {
    const h = offset >>> 2;
    return h < this.msip.length && (offset & 3) === 0 ? this.msip[h]! : 0;
  }

  private write(offset: number, value: number): void {
    const h = offset >>> 2;
    if (h >= this.msip.length || (offset & 3) !== 0) return;
    this.msip[h] = value & 1;
    // the machine has one hart: only hart 0's msip reaches a mip
    if (h === 0) this.env.setHartIrq(IRQ_MSI, (value & 1) === 1);
  }
}
