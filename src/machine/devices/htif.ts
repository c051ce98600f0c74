/**
 * HTIF (Berkeley host-target interface, as spike and QEMU's `-M spike` implement it): the
 * 64-bit `tohost` word, mapped over RAM at the ELF symbol's address, carries commands
 * `device << 56 | command << 48 | payload`. The command runs when the high word is written
 * (RV32 firmware writes low, then high). Device 0 with payload bit 0 set exits with status
 * `payload >> 1` (riscv-tests: 1 = pass, else failing test `v >> 1`); device 1 command 1 is
 * console putchar (answered in `fromhost` with 0x100 | char, as QEMU does); device 1 command 0
 * reads a character of input. After taking a command the host clears `tohost` to 0.
 *
 * Placement, as QEMU 7.2's htif_mm_init: one window from the lower of `tohost` and `fromhost`
 * to the end of the higher (riscv-tests: fromhost 64 bytes after tohost, 72 bytes; both in one
 * 16-byte window; fromhost below tohost — any order works), mapped with priority 1 over RAM.
 * When the program lacks either symbol, QEMU's spike puts fromhost at its HTIF base
 * (0x100_0000) and tohost 8 bytes above it; the `base` parameter gives that address.
 * Like QEMU, a write to tohost's low word while tohost still holds a command is ignored, and so
 * is the high word that follows it (allow_tohost).
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
  /** Offsets of tohost and fromhost inside the window (QEMU maps both in one region). */
  private toOffset = 0;
  private fromOffset = 8;
  /** QEMU's allow_tohost: the low word was taken, so the high word runs the command. */
  private allowTohost = false;
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
   * The region to map once the program's symbols are known, and its address: one window from
   * the lower of tohost and fromhost to the end of the higher (htif_mm_init). Without both
   * symbols, fromhost = `base` and tohost = base + 8 (undefined base: not mapped).
   */
  place(
    tohost: number | undefined,
    fromhost: number | undefined,
    base?: number,
  ): { region: MemoryRegion; address: number } | undefined {
    let to = tohost;
    let from = fromhost;
    if (to === undefined || from === undefined) {
      if (base === undefined) return undefined;
      from = base;
      to = base + 8;
    }
    const start = Math.min(to, from);
    const size = Math.max(to + 8, from + 8) - start;
    this.toOffset = to - start;
    this.fromOffset = from - start;
    let region = this.regions[0]!.region;
    if (Number(region.size) !== size) region = this.window(size);
    this.regions = [{ region, offset: 0n }];
    return { region, address: start };
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
    this.allowTohost = false;
    this.input.length = 0;
  }

  registerName(_region: MemoryRegion | undefined, offset: number): string | undefined {
    if (offset === this.toOffset) return 'tohost';
    if (offset === this.toOffset + 4) return 'tohost+4';
    if (offset === this.fromOffset) return 'fromhost';
    if (offset === this.fromOffset + 4) return 'fromhost+4';
    return undefined;
  }

  /** Host input for console reads (device 1, command 0). */
  pushInput(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.input.push(bytes[i]! & 0xff);
  }

  private peek(offset: number): number {
    if (offset === this.toOffset) return this.lo;
    if (offset === this.toOffset + 4) return this.hi;
    if (offset === this.fromOffset) return this.fromLo;
    if (offset === this.fromOffset + 4) return this.fromHi;
    return 0;
  }

  private write(offset: number, value: number): void {
    if (offset === this.toOffset) {
      // htif_mm_write: the low word is taken only while tohost is clear
      this.allowTohost = this.lo === 0 && this.hi === 0;
      if (this.allowTohost) this.lo = value >>> 0;
    } else if (offset === this.toOffset + 4) {
      if (!this.allowTohost) return;
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
    this.fromLo = payload >>> 0;
    this.fromHi = ((device << 24) | (command << 16)) >>> 0;
  }
}
