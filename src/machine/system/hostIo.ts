/**
 * The machine's I/O with its host beyond the devices' own output: console input fanned out to
 * every place a guest may read it from (the first UART, each HTIF, semihosting's queue), and
 * semihosting calls, which the hart makes with an ebreak between two marker instructions.
 */
import type { CpuBus } from '../bus';
import { Htif, Ns16550a, Semihosting, type MachineDevice, type OutputStream } from '../devices';
import { isSemihostingCall, type RiscvHart } from '../riscv';

export class HostIo {
  private readonly semihosting: Semihosting;
  private readonly uart: Ns16550a | undefined;
  /** Semihosting console input (SYS_READC / SYS_READ on :tt). */
  private readonly semihostingInput: number[] = [];

  constructor(
    private readonly devices: ReadonlyMap<string, MachineDevice>,
    output: (stream: OutputStream, text: string) => void,
    exit: (code: number, how: string) => void,
  ) {
    this.semihosting = new Semihosting({
      output: (stream, text) => output(stream === 'stdout' ? 'semihosting' : 'stderr', text),
      readInput: () => this.semihostingInput.shift(),
      exit,
    });
    this.uart = [...devices.values()].find((d): d is Ns16550a => d instanceof Ns16550a);
  }

  /** Host console input: to the first UART's receive queue, the HTIF console and semihosting. */
  input(bytes: ArrayLike<number>): void {
    if (this.uart) this.uart.input(bytes);
    for (const d of this.devices.values()) if (d instanceof Htif) d.pushInput(bytes);
    for (let i = 0; i < bytes.length; i++) this.semihostingInput.push(bytes[i]! & 0xff);
  }

  /** True when host input is queued that a sleeping hart could be woken by. */
  get inputPending(): boolean {
    return (this.uart?.pendingInput ?? 0) > 0 || this.semihostingInput.length > 0;
  }

  /**
   * Services the semihosting call if the ebreak of `length` bytes at `pc` is one (a0 = the
   * operation, a1 its argument, the result to a0). Returns whether it was.
   */
  semihostingCall(bus: CpuBus, hart: RiscvHart, pc: number, length: 2 | 4): boolean {
    if (length !== 4 || !isSemihostingCall(bus, pc)) return false;
    const result = this.semihosting.call(bus, hart.readRegister(10)!, hart.readRegister(11)!);
    hart.writeRegister(10, result);
    return true;
  }

  /** Closes semihosting's open files (console input stays queued). */
  reset(): void {
    this.semihosting.reset();
  }
}
