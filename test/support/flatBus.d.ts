import { type CpuBus } from '../../src/machine/bus';
/** A device window on a FlatBus: offsets are relative to the window's base. */
export interface FlatBusDevice {
  read(offset: number, size: 1 | 2 | 4): number;
  write(offset: number, size: 1 | 2 | 4, value: number): void;
}
/**
 * The simplest CpuBus: one RAM block at `ramBase` backed by a Uint8Array, plus optional device
 * windows. Everything else is unmapped and reports BUS_DECODE_ERROR. Used by the core's tests and
 * benchmark; the real machine uses the memory engine's address space (engineBus.ts).
 */
export declare class FlatBus implements CpuBus {
  status: number;
  readonly ram: Uint8Array;
  private readonly ram16;
  private readonly ram32;
  private readonly ramBase;
  private readonly ramSize;
  private readonly devices;
  /** RAM of `ramSize` bytes (a multiple of 4) at `ramBase`. */
  constructor(ramBase: number, ramSize: number);
  /** Maps a device window; accesses there call the device. */
  addDevice(base: number, size: number, device: FlatBusDevice): void;
  /** Copies bytes into RAM (a loader write; the caller invalidates the CPU's decode cache). */
  writeBytes(address: number, bytes: Uint8Array): void;
  fetch16(address: number): number;
  load8(address: number): number;
  load16(address: number): number;
  load32(address: number): number;
  store8(address: number, value: number): void;
  store16(address: number, value: number): void;
  store32(address: number, value: number): void;
  isCodeCacheable(address: number): boolean;
  private findDevice;
  private slowRead;
  private slowWrite;
}
