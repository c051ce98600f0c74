/**
 * A window that reads all ones and ignores writes: QEMU's `unassigned_io_ops` (softmmu/ioport.c),
 * which gpex maps under its PCI MMIO and I/O windows (`gpex_mmio_window`, `gpex_ioport_window`)
 * so that an access where no BAR is mapped completes instead of faulting. virt-probe on QEMU 7.2:
 * `lw 0x4000_0000` and `lw 0x0300_0000` read 0xffffffff, `lbu` 0xff, stores change nothing.
 * Regions declared in the device's body (the gpex_mmio / gpex_ioport containers) sit inside it.
 */
import { createIo, type MemorySystem, type MemoryRegion, type QomObject } from '../../engine';
import { windowOps } from './mmio';
import type { DeviceEnv, MachineDevice } from './types';

export class UnassignedIo implements MachineDevice {
  readonly model = 'unassigned-io';
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];

  constructor(
    system: MemorySystem,
    env: DeviceEnv,
    readonly id: string,
    name: string,
    size: bigint,
    owner: QomObject | null,
  ) {
    const read = (_offset: number, size: number): number =>
      size === 4 ? 0xffff_ffff : (1 << (8 * size)) - 1;
    const ops = windowOps(
      env,
      id,
      { read, write: () => undefined, peek: read, registerName: () => undefined },
      { min: 1, max: 4 },
    );
    this.regions = [{ region: createIo(system, name, size, ops, { owner }), offset: 0n }];
  }

  reset(): void {}
}
