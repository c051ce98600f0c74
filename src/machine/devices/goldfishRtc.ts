/**
 * Goldfish real-time clock (hw/rtc/goldfish_rtc.c, QEMU 7.2), as `virt` maps it at 0x10_1000:
 * a 64-bit count of nanoseconds since 1970 and an alarm. Registers (32-bit accesses only):
 *
 * | +0x00 TIME_LOW   | read: low word of the time, latching the high word; write: set it      |
 * | +0x04 TIME_HIGH  | read: the latched high word; write: set the high word of the time      |
 * | +0x08 ALARM_LOW  | alarm low word; a write arms the alarm (fires at once if already past) |
 * | +0x0c ALARM_HIGH | alarm high word                                                        |
 * | +0x10 IRQ_ENABLED| bit 0: the alarm interrupt reaches the output                          |
 * | +0x14 CLEAR_ALARM| write: disarm                                                          |
 * | +0x18 ALARM_STATUS| read: 1 while armed                                                   |
 * | +0x1c CLEAR_INTERRUPT| write: drop the pending interrupt                                  |
 *
 * Time is deterministic, unlike QEMU's (which starts from the host's clock unless given
 * `-rtc base=…,clock=vm`): it starts at `epoch` seconds (default 2000-01-01T00:00:00Z) at reset
 * and advances with the machine's time (DeviceEnv.virtualTime: 100 ns per 10 MHz mtime tick,
 * so 10 ns per instruction by default, plus what wfi fast-forwards skip; guest writes to mtime
 * do not move it), so a run replays exactly (time travel, recorded sessions). An injected host
 * clock (MachineOptions.clock) drives it instead, like mtime. An armed alarm ends the instruction
 * batch at its time (and wakes a hart sleeping in wfi), so it fires at the instruction it is due.
 */
import { createIo, type MemorySystem, type MemoryRegion, type QomObject } from '../../engine';
import { windowOps } from './mmio';
import type { DeviceEnv, MachineDevice } from './types';

const NS_PER_SECOND = 1_000_000_000n;
/** Nanoseconds per mtime tick at 10 MHz. */
const NS_PER_TICK = 100;
const MASK32 = 0xffff_ffffn;

const NAMES = [
  'TIME_LOW',
  'TIME_HIGH',
  'ALARM_LOW',
  'ALARM_HIGH',
  'IRQ_ENABLED',
  'CLEAR_ALARM',
  'ALARM_STATUS',
  'CLEAR_INTERRUPT',
];

export interface GoldfishRtcOptions {
  readonly id: string;
  /** Seconds since 1970 at reset. */
  readonly epoch: bigint;
  readonly setIrq: (level: boolean) => void;
  readonly owner?: QomObject | null;
}

export class GoldfishRtc implements MachineDevice {
  readonly model = 'goldfish_rtc';
  readonly id: string;
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  /** time = tickOffset + elapsed(); QEMU's tick_offset. */
  private tickOffset = 0n;
  private timeHigh = 0;
  private alarmNext = 0n;
  private alarmRunning = false;
  private irqEnabled = false;
  private irqPending = false;
  private irqLevel = false;

  constructor(
    system: MemorySystem,
    private readonly env: DeviceEnv,
    private readonly options: GoldfishRtcOptions,
  ) {
    this.id = options.id;
    const ops = windowOps(
      env,
      options.id,
      {
        read: (offset) => this.read(offset, true),
        write: (offset, value) => this.write(offset, value),
        peek: (offset) => this.read(offset, false),
        registerName: (offset) => NAMES[offset >>> 2],
      },
      { min: 4, max: 4 },
    );
    this.regions = [
      {
        region: createIo(system, 'goldfish_rtc', 0x24, ops, { owner: options.owner ?? null }),
        offset: 0n,
      },
    ];
    // the machine resets every device before running; until then no instruction has run
    this.tickOffset = options.epoch * NS_PER_SECOND;
  }

  reset(): void {
    this.tickOffset = this.options.epoch * NS_PER_SECOND - this.elapsed();
    this.timeHigh = 0;
    this.alarmNext = 0n;
    this.alarmRunning = this.irqEnabled = this.irqPending = false;
    this.update();
  }

  registerName(_region: MemoryRegion, offset: number): string | undefined {
    return NAMES[offset >>> 2];
  }

  /** Nanoseconds since 1970 now. */
  get time(): bigint {
    return this.tickOffset + this.elapsed();
  }

  /** Fires an armed alarm whose time has come (the machine calls this after each batch). */
  afterBatch(): void {
    if (this.alarmRunning && this.time >= this.alarmNext) {
      this.alarmRunning = false;
      this.irqPending = true;
      this.update();
    }
  }

  /** Ticks (100 ns) until an armed alarm fires; Infinity when none is armed. */
  ticksUntilEvent(): number {
    if (!this.alarmRunning) return Infinity;
    const ns = this.alarmNext - this.time;
    return ns <= 0n ? 0 : Number(ns) / NS_PER_TICK;
  }

  private elapsed(): bigint {
    return BigInt(Math.floor(this.env.virtualTime() * NS_PER_TICK));
  }

  private update(): void {
    const level = this.irqPending && this.irqEnabled;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.options.setIrq(level);
    }
  }

  private read(offset: number, sideEffects: boolean): number {
    if (sideEffects) this.afterBatch();
    switch (offset) {
      case 0x00: {
        const t = this.time;
        if (sideEffects) this.timeHigh = Number((t >> 32n) & MASK32);
        return Number(t & MASK32);
      }
      case 0x04:
        return this.timeHigh;
      case 0x08:
        return Number(this.alarmNext & MASK32);
      case 0x0c:
        return Number((this.alarmNext >> 32n) & MASK32);
      case 0x10:
        return this.irqEnabled ? 1 : 0;
      case 0x18:
        return this.alarmRunning ? 1 : 0;
      default:
        return 0;
    }
  }

  private write(offset: number, value: number): void {
    const v = BigInt(value >>> 0);
    switch (offset) {
      case 0x00:
      case 0x04: {
        const now = this.time;
        const next = offset === 0 ? (now & ~MASK32) | v : (now & MASK32) | (v << 32n);
        this.tickOffset += next - now;
        break;
      }
      case 0x08:
        this.alarmNext = (this.alarmNext & ~MASK32) | v;
        if (this.alarmNext <= this.time) {
          this.alarmRunning = false;
          this.irqPending = true;
        } else this.alarmRunning = true;
        break;
      case 0x0c:
        this.alarmNext = (this.alarmNext & MASK32) | (v << 32n);
        break;
      case 0x10:
        this.irqEnabled = (value & 1) !== 0;
        break;
      case 0x14:
        this.alarmRunning = false;
        break;
      case 0x1c:
        this.irqPending = false;
        break;
    }
    this.update();
  }
}
