import { BUS_DECODE_ERROR, BUS_OK, type CpuBus } from '../../src/machine/bus';

/** A device window on a FlatBus: offsets are relative to the window's base. */
export interface FlatBusDevice {
  read(offset: number, size: 1 | 2 | 4): number;
  write(offset: number, size: 1 | 2 | 4, value: number): void;
}

interface DeviceWindow {
  base: number;
  size: number;
  device: FlatBusDevice;
}

/**
 * The simplest CpuBus: one RAM block at `ramBase` backed by a Uint8Array, plus optional device
 * windows. Everything else is unmapped and reports BUS_DECODE_ERROR. Used by the core's tests and
 * benchmark; the real machine uses the memory engine's address space (engineBus.ts).
 */
export class FlatBus implements CpuBus {
  status = BUS_OK;
  readonly ram: Uint8Array;
  private readonly ram16: Uint16Array;
  private readonly ram32: Int32Array;
  private readonly ramBase: number;
  private readonly ramSize: number;
  private readonly devices: DeviceWindow[] = [];

  /** RAM of `ramSize` bytes (a multiple of 4) at `ramBase`. */
  constructor(ramBase: number, ramSize: number) {
    if (ramSize % 4 !== 0) throw new Error(`FlatBus RAM size ${ramSize} is not a multiple of 4`);
    this.ram = new Uint8Array(ramSize);
    this.ram16 = new Uint16Array(this.ram.buffer);
    this.ram32 = new Int32Array(this.ram.buffer);
    this.ramBase = ramBase | 0;
    this.ramSize = ramSize;
  }

  /** Maps a device window; accesses there call the device. */
  addDevice(base: number, size: number, device: FlatBusDevice): void {
    this.devices.push({ base: base >>> 0, size, device });
  }

  /** Copies bytes into RAM (a loader write; the caller invalidates the CPU's decode cache). */
  writeBytes(address: number, bytes: Uint8Array): void {
    this.ram.set(bytes, (address - this.ramBase) >>> 0);
  }

  fetch16(address: number): number {
    return this.load16(address);
  }

  // Fast paths: one unsigned compare of the offset into RAM, then a typed-array access at the
  // natural alignment the CPU guarantees.
  load8(address: number): number {
    const off = (address - this.ramBase) >>> 0;
    if (off < this.ramSize) {
      this.status = BUS_OK;
      return this.ram[off];
    }
    return this.slowRead(address >>> 0, 1);
  }

  load16(address: number): number {
    const off = (address - this.ramBase) >>> 0;
    if (off < this.ramSize) {
      this.status = BUS_OK;
      return this.ram16[off >>> 1];
    }
    return this.slowRead(address >>> 0, 2);
  }

  load32(address: number): number {
    const off = (address - this.ramBase) >>> 0;
    if (off < this.ramSize) {
      this.status = BUS_OK;
      return this.ram32[off >>> 2];
    }
    return this.slowRead(address >>> 0, 4);
  }

  store8(address: number, value: number): void {
    const off = (address - this.ramBase) >>> 0;
    if (off < this.ramSize) {
      this.status = BUS_OK;
      this.ram[off] = value;
      return;
    }
    this.slowWrite(address >>> 0, 1, value);
  }

  store16(address: number, value: number): void {
    const off = (address - this.ramBase) >>> 0;
    if (off < this.ramSize) {
      this.status = BUS_OK;
      this.ram16[off >>> 1] = value;
      return;
    }
    this.slowWrite(address >>> 0, 2, value);
  }

  store32(address: number, value: number): void {
    const off = (address - this.ramBase) >>> 0;
    if (off < this.ramSize) {
      this.status = BUS_OK;
      this.ram32[off >>> 2] = value;
      return;
    }
    this.slowWrite(address >>> 0, 4, value);
  }

  isCodeCacheable(address: number): boolean {
    return (address - this.ramBase) >>> 0 < this.ramSize;
  }

  private findDevice(a: number, size: number): DeviceWindow | undefined {
    for (const w of this.devices) if (a >= w.base && a + size <= w.base + w.size) return w;
    return undefined;
  }

  private slowRead(a: number, size: 1 | 2 | 4): number {
    const w = this.findDevice(a, size);
    if (!w) {
      this.status = BUS_DECODE_ERROR;
      return 0;
    }
    this.status = BUS_OK;
    return w.device.read(a - w.base, size);
  }

  private slowWrite(a: number, size: 1 | 2 | 4, value: number): void {
    const w = this.findDevice(a, size);
    if (!w) {
      this.status = BUS_DECODE_ERROR;
      return;
    }
    this.status = BUS_OK;
    w.device.write(a - w.base, size, value);
  }
}
