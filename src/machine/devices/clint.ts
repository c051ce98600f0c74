/**
 * The core-local timer in the RISC-V ACLINT layout (QEMU `riscv.aclint.mtimer`,
 * riscv_aclint_mtimer_create): `mtimecmp` per hart (64-bit) at +0 of a 32 KiB window and
 * `mtime` (64-bit) at +0x7ff8. MTIP is raised while mtime ≥ mtimecmp. mtimecmp resets to 0, so
 * MTIP is pending from reset until firmware writes a later deadline, as on QEMU 7.2 (its reset
 * writes mtime = 0, which compares every hart's timecmp, 0, and raises MTIP): firmware that
 * enables MTIE before programming mtimecmp takes a timer interrupt at once.
 *
 * Two device kinds: `clint`, the SiFive CLINT block as one device with one owner — the ACLINT
 * MSWI (an AclintSwi) at +0 and this timer at +0x4000 — and `aclint-mtimer` (AclintMtimer,
 * aclintMtimer.ts), the timer alone, as QEMU creates it (virt, sifive_e and spike each get an
 * `riscv.aclint.swi` and an `riscv.aclint.mtimer` QOM device). The machine takes the first
 * Clint of either kind as its time base.
 *
 * Time: by default mtime is derived from the instruction count (`instructionsPerTick`
 * instructions per tick), so runs are deterministic; an injected clock replaces that. The
 * machine asks `instructionsUntilDeadline()` to end a batch exactly at the next timer interrupt,
 * and `skipToDeadline()` to fast-forward a hart sleeping in wfi.
 */
import {
  createIo,
  type MemoryRegion,
  type MemorySystem,
  type QomObject,
  type RegisterBank,
} from '../../engine';
import { AclintSwi, ACLINT_SWI_SIZE } from './aclintSwi';
import { windowOps } from './mmio';
import type { DeviceEnv, MachineDevice } from './types';

export { IRQ_MSI } from './aclintSwi';
export const IRQ_MTI = 7;
/** RISCV_ACLINT_DEFAULT_MTIMER_SIZE, and mtime's offset in it (RISCV_ACLINT_DEFAULT_MTIME). */
export const ACLINT_MTIMER_SIZE = 0x8000;
const MTIME_OFFSET = 0x7ff8;
const TWO_32 = 0x1_0000_0000;

export interface ClintOptions {
  readonly id: string;
  readonly harts: number;
  /** mtime frequency (Hz), for documentation and an injected clock's scaling. */
  readonly timebase: number;
  /** Instructions per mtime tick in the deterministic time base (default 10: a 100 MIPS hart at 10 MHz). */
  readonly instructionsPerTick?: number;
  /** Host clock in mtime ticks; replaces the instruction-count time base when given. */
  readonly clock?: () => number;
  /** QOM owner of the windows (`info mtree -o`), as the board file gives it. */
  readonly owner?: QomObject | null;
}

/** Which windows a Clint maps: the SiFive CLINT's two, or the MTIMER's alone. */
export interface ClintLayout {
  readonly model: string;
  /** The MSWI at +0, or none. */
  readonly swi: boolean;
  readonly timerName: string;
  readonly timerOffset: bigint;
}

export const SIFIVE_CLINT: ClintLayout = {
  model: 'clint',
  swi: true,
  timerName: 'riscv.aclint.mtimer',
  timerOffset: BigInt(ACLINT_SWI_SIZE),
};

export class Clint implements MachineDevice {
  readonly model: string;
  readonly id: string;
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  readonly instructionsPerTick: number;
  /** The software-interrupt half of a SiFive CLINT; undefined for an ACLINT MTIMER. */
  readonly swi: AclintSwi | undefined;
  private readonly timerRegion: MemoryRegion;
  /**
   * The MSWI's register descriptions (msip fields) for the views, when this is a SiFive CLINT
   * (its first window); an ACLINT MTIMER alone names its registers (registerName).
   */
  readonly bank: RegisterBank | undefined;
  /** mtimecmp per hart as numbers (exact below 2^53; written as two 32-bit halves). */
  private readonly cmpLo: Float64Array;
  private readonly cmpHi: Float64Array;
  private readonly mtip: Uint8Array;
  /** mtime = ticksOffset + (instructions or clock) / instructionsPerTick. */
  private ticksOffset = 0;
  /** Raw ticks at reset, and ticks skipped by wfi fast-forwards since (elapsedTicks). */
  private resetRaw = 0;
  private skipped = 0;

  constructor(
    system: MemorySystem,
    private readonly env: DeviceEnv,
    private readonly options: ClintOptions,
    layout: ClintLayout = SIFIVE_CLINT,
  ) {
    this.model = layout.model;
    this.id = options.id;
    this.instructionsPerTick = options.instructionsPerTick ?? 10;
    const n = options.harts;
    this.cmpLo = new Float64Array(n);
    this.cmpHi = new Float64Array(n);
    this.mtip = new Uint8Array(n);
    const owner = options.owner ?? null;
    this.swi = layout.swi
      ? new AclintSwi(system, env, { id: options.id, harts: n, owner })
      : undefined;
    this.bank = this.swi?.bank;
    const timer = windowOps(
      env,
      options.id,
      {
        read: (o) => this.readTimer(o),
        write: (o, v) => this.writeTimer(o, v),
        peek: (o) => this.readTimer(o),
        registerName: (o) => this.timerRegisterName(o),
      },
      { min: 4, max: 8, implMax: 4 },
    );
    this.timerRegion = createIo(system, layout.timerName, ACLINT_MTIMER_SIZE, timer, { owner });
    this.regions = [
      ...(this.swi?.regions ?? []),
      { region: this.timerRegion, offset: layout.timerOffset },
    ];
  }

  reset(): void {
    this.swi?.reset();
    this.cmpLo.fill(0);
    this.cmpHi.fill(0);
    this.resetRaw = this.rawTicks();
    this.skipped = 0;
    this.ticksOffset = -this.resetRaw;
    this.update(); // mtime 0 ≥ mtimecmp 0: MTIP pending
  }

  registerName(region: MemoryRegion, offset: number): string | undefined {
    if (region === this.timerRegion) return this.timerRegisterName(offset);
    return this.swi?.registerName(region, offset);
  }

  /**
   * Ticks since reset, guest writes to mtime aside: the time base's own progress plus what wfi
   * fast-forwards skipped (DeviceEnv.virtualTime).
   */
  get elapsedTicks(): number {
    return this.rawTicks() - this.resetRaw + this.skipped;
  }

  /** mtime now, in ticks. */
  get mtime(): number {
    return this.ticksOffset + this.rawTicks();
  }

  set mtime(value: number) {
    this.ticksOffset = value - this.rawTicks();
    this.update();
  }

  /** Re-evaluates MTIP of every hart against mtime (the machine calls this after each batch). */
  update(): void {
    const now = this.mtime;
    for (let h = 0; h < this.options.harts; h++) {
      this.setMtip(h, now >= this.compare(h));
    }
  }

  /**
   * Instructions until the earliest mtimecmp of a hart whose MTIP is low; Infinity when every
   * hart's MTIP is already pending (or an injected clock drives time).
   */
  instructionsUntilDeadline(otherTicks = Infinity): number {
    if (this.options.clock) return Infinity;
    const ticks = this.ticksUntilNext(otherTicks);
    if (ticks === Infinity) return Infinity;
    return Math.max(1, Math.ceil(ticks * this.instructionsPerTick - this.subTickInstructions()));
  }

  /** Ticks until the next timer deadline or `otherTicks` (another device's event), whichever first. */
  private ticksUntilNext(otherTicks: number): number {
    const deadline = this.nextDeadline();
    const own = deadline === Infinity ? Infinity : deadline - this.mtime;
    return Math.min(own, Math.ceil(otherTicks));
  }

  /**
   * Moves time forward to the next armed deadline, or to another device's event `otherTicks`
   * ahead when that comes first (an RTC alarm): a hart sleeping in wfi with nothing else to do.
   * Returns false when there is nothing to wait for.
   */
  skipToDeadline(otherTicks = Infinity): boolean {
    const ticks = this.ticksUntilNext(otherTicks);
    if (ticks === Infinity) return false;
    if (ticks > 0) {
      this.ticksOffset += ticks;
      this.skipped += ticks;
    }
    this.update();
    return true;
  }

  private nextDeadline(): number {
    let best = Infinity;
    for (let h = 0; h < this.options.harts; h++) {
      if (this.mtip[h] === 0) best = Math.min(best, this.compare(h));
    }
    return best;
  }

  private rawTicks(): number {
    if (this.options.clock) return this.options.clock();
    return Math.floor(this.env.instructionCount() / this.instructionsPerTick);
  }

  private subTickInstructions(): number {
    return this.env.instructionCount() % this.instructionsPerTick;
  }

  private compare(h: number): number {
    return this.cmpHi[h]! * TWO_32 + this.cmpLo[h]!;
  }

  private setMtip(h: number, level: boolean): void {
    const v = level ? 1 : 0;
    if (this.mtip[h] === v) return;
    this.mtip[h] = v;
    if (h === 0) this.env.setHartIrq(IRQ_MTI, level);
  }

  private timerRegisterName(offset: number): string | undefined {
    if (offset === MTIME_OFFSET) return 'mtime';
    if (offset === MTIME_OFFSET + 4) return 'mtimeh';
    const h = offset >>> 3;
    if (h < this.options.harts) return `mtimecmp${h}${offset & 4 ? 'h' : ''}`;
    return undefined;
  }

  private readTimer(offset: number): number {
    if (offset === MTIME_OFFSET || offset === MTIME_OFFSET + 4) {
      const t = this.mtime;
      return offset === MTIME_OFFSET ? t % TWO_32 : Math.floor(t / TWO_32) % TWO_32;
    }
    const h = offset >>> 3;
    if (h >= this.options.harts) return 0;
    return offset & 4 ? this.cmpHi[h]! : this.cmpLo[h]!;
  }

  private writeTimer(offset: number, value: number): void {
    if (offset === MTIME_OFFSET || offset === MTIME_OFFSET + 4) {
      const t = this.mtime;
      const lo = t % TWO_32;
      const hi = Math.floor(t / TWO_32) % TWO_32;
      this.mtime = offset === MTIME_OFFSET ? hi * TWO_32 + value : value * TWO_32 + lo;
      this.env.endBatch(); // the next deadline moved
      return;
    }
    const h = offset >>> 3;
    if (h >= this.options.harts) return;
    if (offset & 4) this.cmpHi[h] = value >>> 0;
    else this.cmpLo[h] = value >>> 0;
    // MTIP follows the comparison immediately (writing a future deadline clears it), and the
    // batch ends so the machine's next one stops exactly at the new deadline
    this.setMtip(h, this.mtime >= this.compare(h));
    this.env.endBatch();
  }
}
