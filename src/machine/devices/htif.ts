/**
 * HTIF (Berkeley host-target interface, as spike and QEMU's `-M spike` implement it): the
 * 64-bit `tohost` word, mapped over RAM at the ELF symbol's address, carries commands
 * `device << 56 | command << 48 | payload`. The command runs when the high word is written
 * (RV32 firmware writes low, then high). Device 0 with payload bit 0 set exits with status
 * `payload >> 1` (riscv-tests: 1 = pass, else failing test `v >> 1`); device 1 command 1 is
 * console putchar (answered in `fromhost` with 0x100 | char, as QEMU does); device 1 command 0
 * reads a character of input. After taking a command the host clears `tohost` to 0.
 */
import { createIo, type MemoryRegion, type MemorySystem, type QomObject } from '../../engine';
import { windowOps } from './mmio';
import type { DeviceEnv, MachineDevice } from './types';

export class Htif implements MachineDevice {
  readonly model = 'htif';
  regions: readonly { region: MemoryRegion; offset: bigint }[];
  private lo = 0;
  private hi = 0;
  private fromLo = 0;
  private fromHi = 0;
  /** Offset of fromhost from tohost inside the window (QEMU maps both in one region). */
  private fromOffset = -1;
  /** Commands the model does not implement (syscall proxying), for diagnostics. */
  unsupported = 0;
  private readonly input: number[] = [];

  constructor(
    private readonly system: MemorySystem,
    private readonly env: DeviceEnv,
    readonly id: string,
    private readonly name: string,
    /** QOM owner of the window (`info mtree -o`). */
    private readonly owner: QomObject | null = null,
  ) {
    this.regions = [{ region: this.window(16), offset: 0n }];
  }

  /**
   * The region to map at `tohost` once the program's symbols are known: one window from the
   * lower of tohost and fromhost to the end of the higher (QEMU's htif_mm_init does the same;
   * riscv-tests put fromhost 64 bytes after tohost, so the window is 72 bytes). Returns the
   * region and its address.
   */
  place(tohost: number, fromhost: number | undefined): { region: MemoryRegion; address: number } {
    const from = fromhost ?? -1;
    const usable = from >= tohost + 8 && from - tohost <= 0x1000 && (from & 7) === 0;
    this.fromOffset = usable ? from - tohost : -1;
    const size = usable ? from - tohost + 8 : 16;
    let region = this.regions[0]!.region;
    if (Number(region.size) !== size) region = this.window(size);
    this.regions = [{ region, offset: 0n }];
    return { region, address: tohost };
  }

  private window(size: number): MemoryRegion {
    const ops = windowOps(
      this.env,
      this.id,
      {
        read: (o) => this.peek(o),
        write: (o, v) => this.write(o, v),
        peek: (o) => this.peek(o),
        registerName: (o) => this.registerName(undefined, o),
      },
      { min: 4, max: 8, implMax: 4 },
    );
    return createIo(this.system, this.name, size, ops, { owner: this.owner });
  }

  reset(): void {
    this.lo = this.hi = this.fromLo = this.fromHi = 0;
    this.input.length = 0;
  }

  registerName(_region: MemoryRegion | undefined, offset: number): string | undefined {
    if (offset === 0) return 'tohost';
    if (offset === 4) return 'tohost+4';
    if (offset === this.fromOffset) return 'fromhost';
    if (offset === this.fromOffset + 4) return 'fromhost+4';
    return undefined;
  }

  /** Host input for console reads (device 1, command 0). */
  pushInput(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.input.push(bytes[i]! & 0xff);
  }

  private peek(offset: number): number {
    if (offset === 0) return this.lo;
    if (offset === 4) return this.hi;
    if (offset === this.fromOffset) return this.fromLo;
    if (offset === this.fromOffset + 4) return this.fromHi;
    return 0;
  }

  private write(offset: number, value: number): void {
    if (offset === 0) this.lo = value >>> 0;
    else if (offset === 4) {
      this.hi = value >>> 0;
      this.command();
    } else if (offset === this.fromOffset) this.fromLo = value >>> 0;
    else if (offset === this.fromOffset + 4) this.fromHi = value >>> 0;
  }

  private command(): void {
    const device = this.hi >>> 24;
    const command = (this.hi >>> 16) & 0xff;
    const payloadHi = this.hi & 0xffff;
    const payloadLo = this.lo;
    if (device === 0 && command === 0) {
      if (payloadLo & 1) {
        const status = payloadHi * 0x8000_0000 + (payloadLo >>> 1);
        this.env.exit(status, `${this.id}: tohost exit, status ${status}`);
      } else if (this.lo !== 0 || this.hi !== 0) this.unsupported++; // syscall proxy: not implemented
    } else if (device === 1 && command === 1) {
      this.env.output('htif', String.fromCharCode(payloadLo & 0xff));
      this.answer(device, command, 0x100 | (payloadLo & 0xff));
    } else if (device === 1 && command === 0) {
      const byte = this.input.shift();
      if (byte !== undefined) this.answer(device, command, 0x100 | byte);
    } else this.unsupported++;
    this.lo = this.hi = 0; // the host has taken the command
  }

  private answer(device: number, command: number, payload: number): void {
    if (this.fromOffset < 0) return;
    this.fromLo = payload >>> 0;
    this.fromHi = ((device << 24) | (command << 16)) >>> 0;
  }
}
