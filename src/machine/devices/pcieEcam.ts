/**
 * The ECAM configuration window of QEMU 7.2's gpex PCIe host (hw/pci-host/gpex.c,
 * hw/pci/pcie_host.c) with nothing on the bus but the host bridge (`gpex-root`, 00:00.0), as
 * `virt` has it without `-device`: offset = bus << 20 | device << 15 | function << 12 | register.
 *
 * - 00:00.0 is a conventional PCI function (no express capability): a 256-byte header — vendor
 *   0x1b36, device 0x0008, class 0x060000 (host bridge), subsystem 0x1af4:0x1100 — and all
 *   ones beyond it (pci_host_config_read_common: `limit <= addr`).
 * - Writes follow the header's write mask as pci_default_write_config applies it: the command
 *   register's I/O, memory, bus-master, SERR and INTx-disable bits (0x0507), the cache line size
 *   and the interrupt line; everything else is read-only (no BARs).
 * - Every other function reads all ones, and writes to it vanish.
 * Values from QEMU 7.2 with test/firmware/probes/virt-probe.elf.
 */
import { createIo, type MemorySystem, type MemoryRegion, type QomObject } from '../../engine';
import { windowOps } from './mmio';
import type { DeviceEnv, MachineDevice } from './types';

const CONFIG_SIZE = 256;

function headerBytes(): Uint8Array {
  const c = new Uint8Array(CONFIG_SIZE);
  const v = new DataView(c.buffer);
  v.setUint16(0x00, 0x1b36, true); // PCI_VENDOR_ID_REDHAT
  v.setUint16(0x02, 0x0008, true); // PCI_DEVICE_ID_REDHAT_PCIE_HOST
  c[0x0b] = 0x06; // PCI_CLASS_BRIDGE_HOST 0x0600
  v.setUint16(0x2c, 0x1af4, true); // subsystem vendor (PCI_SUBVENDOR_ID_REDHAT_QUMRANET)
  v.setUint16(0x2e, 0x1100, true); // subsystem id (PCI_SUBDEVICE_ID_QEMU)
  return c;
}

function writeMask(): Uint8Array {
  const m = new Uint8Array(CONFIG_SIZE);
  m[0x04] = 0x07; // COMMAND: IO | MEMORY | MASTER
  m[0x05] = 0x05; // COMMAND: SERR (0x100) | INTX_DISABLE (0x400)
  m[0x0c] = 0xff; // CACHE_LINE_SIZE
  m[0x3c] = 0xff; // INTERRUPT_LINE
  return m;
}

const WMASK = writeMask();
const NAMES: Record<number, string> = {
  0x00: 'VENDOR_ID',
  0x02: 'DEVICE_ID',
  0x04: 'COMMAND',
  0x06: 'STATUS',
  0x08: 'REVISION_ID/CLASS',
  0x0c: 'CACHE_LINE_SIZE',
  0x0e: 'HEADER_TYPE',
  0x2c: 'SUBSYSTEM_VENDOR_ID',
  0x2e: 'SUBSYSTEM_ID',
  0x3c: 'INTERRUPT_LINE',
  0x3d: 'INTERRUPT_PIN',
};

export class PcieEcam implements MachineDevice {
  readonly model = 'pcie-ecam';
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  /** The host bridge's configuration header. */
  private config = headerBytes();

  constructor(
    system: MemorySystem,
    env: DeviceEnv,
    readonly id: string,
    name: string,
    size: bigint,
    owner: QomObject | null,
  ) {
    const ops = windowOps(
      env,
      id,
      {
        read: (offset, size) => this.read(offset, size),
        write: (offset, value, size) => this.write(offset, value, size),
        peek: (offset, size) => this.read(offset, size),
        registerName: (offset) => this.registerName(undefined, offset),
      },
      { min: 1, max: 4 },
    );
    this.regions = [{ region: createIo(system, name, size, ops, { owner }), offset: 0n }];
  }

  reset(): void {
    this.config = headerBytes();
  }

  registerName(_region: MemoryRegion | undefined, offset: number): string | undefined {
    if (offset >>> 12 !== 0) return undefined;
    const name = NAMES[offset & 0xfff];
    if (name) return `00:00.0 ${name}`;
    const reg = offset & 0xfff;
    return reg >= 0x10 && reg < 0x28 && (reg & 3) === 0
      ? `00:00.0 BAR${(reg - 0x10) >> 2}`
      : undefined;
  }

  private read(offset: number, size: number): number {
    const reg = offset & 0xfff;
    if (offset >>> 12 !== 0 || reg >= CONFIG_SIZE) {
      return size === 4 ? 0xffff_ffff : (1 << (8 * size)) - 1; // ~0, cut to the access
    }
    let v = 0;
    for (let i = 0; i < size && reg + i < CONFIG_SIZE; i++) v |= this.config[reg + i]! << (8 * i);
    return v >>> 0;
  }

  private write(offset: number, value: number, size: number): void {
    const reg = offset & 0xfff;
    if (offset >>> 12 !== 0 || reg >= CONFIG_SIZE) return;
    for (let i = 0; i < size && reg + i < CONFIG_SIZE; i++) {
      const m = WMASK[reg + i]!;
      const b = (value >>> (8 * i)) & 0xff;
      this.config[reg + i] = (this.config[reg + i]! & ~m) | (b & m);
    }
  }
}
