/**
 * What a device model gets from the machine (DeviceEnv) and what it gives back (MachineDevice).
 * Devices never import the machine: interrupts, console output, exits and the clock come in
 * through the environment, so every model can be unit-tested with a hand-made one.
 */
import type { MemoryRegion } from '../../engine';

/** The console streams a machine produces. */
export type OutputStream = 'uart' | 'htif' | 'semihosting' | 'stderr';

/** One device register access, for `--trace mmio`. */
export interface MmioAccess {
  /** pc of the instruction that made the access (exact when tracing: the machine single-steps). */
  readonly pc: number;
  readonly device: string;
  /** QEMU name of the region (window) accessed. */
  readonly region: string;
  readonly offset: number;
  readonly size: number;
  readonly isWrite: boolean;
  readonly value: number;
  /** Datasheet register name at the offset, when the model knows one. */
  readonly register: string | undefined;
}

export interface DeviceEnv {
  /** Drives an interrupt line of the hart (a mip bit: 3 MSI, 7 MTI, 11 MEI). */
  setHartIrq(irq: number, level: boolean): void;
  /** Drives input `line` of interrupt controller `controller` (wired from `irq = plic:10`). */
  setControllerIrq(controller: string, line: number, level: boolean): void;
  /** Console output of a device. */
  output(stream: OutputStream, text: string): void;
  /** Ends the run: the machine exits with `code` (`how` says which device and why). */
  exit(code: number, how: string): void;
  /**
   * Ends the current instruction batch at the next instruction boundary, so the machine plans
   * the next one afresh (the CLINT after an mtimecmp or mtime write moved the next deadline).
   */
  endBatch(): void;
  /** Asks for a system reset at the next instruction boundary. */
  requestReset(): void;
  /** Instructions executed since reset (the deterministic time base). */
  instructionCount(): number;
  /**
   * The machine's time since reset in mtime ticks (10 MHz on virt): the instruction count over
   * instructionsPerTick (or the injected host clock), plus what a hart sleeping in wfi skipped.
   * Unlike mtime, guest writes to mtime do not move it. Devices with their own clock (the RTC)
   * run on it.
   */
  virtualTime(): number;
  /** pc of the current instruction (best effort between batches; exact when tracing). */
  pc(): number;
  /**
   * DMA: reads or writes guest memory through the board's memory address space, as QEMU's
   * dma_memory_read/write (address_space_rw: RAM, and devices see the access). Returns false
   * when any part of it failed (a hole, a device refusing it).
   */
  dmaRead(address: number, into: Uint8Array): boolean;
  dmaWrite(address: number, bytes: Uint8Array): boolean;
  /** The current program's symbol value, or undefined (HTIF finds `tohost` here). */
  symbol(name: string): number | undefined;
  /** Set by the machine while `--trace mmio` (or a debugger) wants every device access. */
  readonly tracer: () => ((access: MmioAccess) => void) | undefined;
}

/** A device instance: its regions (at offsets from the device's address) and its reset. */
export interface MachineDevice {
  readonly id: string;
  readonly model: string;
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  /** Back to the power-on state. */
  reset(): void;
  /** Datasheet name of the register at `offset` of `region` (for traces and views). */
  registerName?(region: MemoryRegion, offset: number): string | undefined;
  /** Time-driven state (an RTC alarm): called after every instruction batch. */
  afterBatch?(): void;
  /**
   * Ticks of DeviceEnv.virtualTime until the device's next timed event (an armed RTC alarm),
   * Infinity when none: the machine ends a batch there and a hart in wfi wakes for it.
   */
  ticksUntilEvent?(): number;
}

/** A device that takes interrupt inputs (the PLIC). */
export interface InterruptController extends MachineDevice {
  setInput(line: number, level: boolean): void;
}

export function isInterruptController(d: MachineDevice): d is InterruptController {
  return typeof (d as Partial<InterruptController>).setInput === 'function';
}
