/**
 * A virtio-mmio transport with nothing plugged in, as QEMU 7.2's `virt` creates eight of
 * (hw/virtio/virtio-mmio.c, `virtio_mmio_read` without a backend): the magic value, the version
 * (1: `force-legacy` is on by default) and the vendor id answer, every other register reads 0
 * (device id 0 tells a driver no device is there), and every write is ignored. The callback sees
 * the access's own offset and size, so a byte read at +0 gives 'v' and one at +1 gives 0, as on
 * QEMU (virt-probe: `lhu 0x1000_1001` reads 0x69).
 */
import { createIo, type MemorySystem, type MemoryRegion, type QomObject } from '../../engine';
import { windowOps } from './mmio';
import type { DeviceEnv, MachineDevice } from './types';

export const VIRTIO_MMIO_MAGIC = 0x7472_6976; // "virt"
export const VIRTIO_MMIO_VENDOR = 0x554d_4551; // "QEMU"
const VERSION_LEGACY = 1;
const SIZE = 0x200;

const NAMES: Record<number, string> = {
  0x000: 'MagicValue',
  0x004: 'Version',
  0x008: 'DeviceID',
  0x00c: 'VendorID',
  0x010: 'DeviceFeatures',
  0x014: 'DeviceFeaturesSel',
  0x020: 'DriverFeatures',
  0x024: 'DriverFeaturesSel',
  0x028: 'GuestPageSize',
  0x030: 'QueueSel',
  0x034: 'QueueNumMax',
  0x038: 'QueueNum',
  0x03c: 'QueueAlign',
  0x040: 'QueuePFN',
  0x050: 'QueueNotify',
  0x060: 'InterruptStatus',
  0x064: 'InterruptACK',
  0x070: 'Status',
};

export class VirtioMmio implements MachineDevice {
  readonly model = 'virtio-mmio';
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];

  constructor(
    system: MemorySystem,
    env: DeviceEnv,
    readonly id: string,
    name: string,
    owner: QomObject | null,
  ) {
    const read = (offset: number, size: number): number => {
      const v =
        offset === 0x000
          ? VIRTIO_MMIO_MAGIC
          : offset === 0x004
            ? VERSION_LEGACY
            : offset === 0x00c
              ? VIRTIO_MMIO_VENDOR
              : 0;
      return size === 4 ? v : v & ((1 << (8 * size)) - 1);
    };
    const ops = windowOps(
      env,
      id,
      {
        read,
        write: () => undefined, // no backend: every register is write-ignored
        peek: read,
        registerName: (offset) => NAMES[offset],
      },
      { min: 1, max: 4 },
    );
    this.regions = [{ region: createIo(system, name, SIZE, ops, { owner }), offset: 0n }];
  }

  reset(): void {}

  registerName(_region: MemoryRegion, offset: number): string | undefined {
    return NAMES[offset];
  }
}
