/**
 * NS16550A UART (National Semiconductor PC16550D datasheet register names): RBR/THR/DLL at 0,
 * IER/DLM at 1, IIR (read) / FCR (write) at 2, LCR at 3, MCR at 4, LSR at 5, MSR at 6, SCR at 7,
 * spread by `reg-shift`. Transmit is immediate (THR empties at once, as QEMU's chardev backend
 * does when the host keeps up), receive comes from a host-fed queue. The interrupt output
 * follows the IIR priorities: line status, received data, THR empty, modem status.
 */
import {
  createIo,
  type MemorySystem,
  type MemoryRegion,
  type QomObject,
  type RegisterBank,
} from '../../engine';
import { windowOps } from './mmio';
import { ns16550aRegisters } from './registerTables';
import type { DeviceEnv, MachineDevice } from './types';

// IER bits
const IER_ERBFI = 0x01; // received data available
const IER_ETBEI = 0x02; // THR empty
const IER_ELSI = 0x04; // receiver line status
const IER_EDSSI = 0x08; // modem status
// IIR values
const IIR_NO_INT = 0x01;
const IIR_RLS = 0x06;
const IIR_RDA = 0x04;
const IIR_THRE = 0x02;
const IIR_MSI = 0x00;
const IIR_FIFO_ENABLED = 0xc0;
// LSR bits
const LSR_DR = 0x01;
const LSR_OE = 0x02;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
// LCR / MCR / FCR bits
const LCR_DLAB = 0x80;
const MCR_LOOP = 0x10;
/** MCR at reset: OUT2 set, as QEMU's serial_reset leaves it (hw/char/serial.c). */
const MCR_RESET = 0x08;
const FCR_ENABLE = 0x01;
const FCR_CLEAR_RX = 0x02;
// MSR: DCD, DSR and CTS asserted (a connected terminal), as QEMU resets it
const MSR_RESET = 0xb0;

const FIFO_DEPTH = 16;

const NAMES_READ = ['RBR', 'IER', 'IIR', 'LCR', 'MCR', 'LSR', 'MSR', 'SCR'];
const NAMES_WRITE = ['THR', 'IER', 'FCR', 'LCR', 'MCR', 'LSR', 'MSR', 'SCR'];

export interface Ns16550aOptions {
  readonly id: string;
  /** The window's name (QEMU calls it `serial`). */
  readonly name: string;
  readonly regShift: number;
  /** Register access width in bytes (1, 2 or 4). */
  readonly ioWidth: number;
  /** Called with the interrupt output level when it changes. */
  readonly setIrq: (level: boolean) => void;
  /** QOM owner of the window (`info mtree -o`), as the board file gives it. */
  readonly owner?: QomObject | null;
}

export class Ns16550a implements MachineDevice {
  readonly model = 'ns16550a';
  readonly id: string;
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  /** Register descriptions with their fields, for the views (registerTables.ts). */
  readonly bank: RegisterBank;
  /** Bytes the host typed that the guest has not read yet (the receive FIFO and beyond). */
  private readonly rx: number[] = [];
  private ier = 0;
  private lcr = 0;
  private mcr = MCR_RESET;
  private lsr = LSR_THRE | LSR_TEMT;
  private msr = MSR_RESET;
  private scr = 0;
  private fcr = 0;
  private dll = 0;
  private dlm = 0;
  /** THR-empty interrupt pending (cleared by reading IIR while it is the source, or a THR write). */
  private thrInterrupt = false;
  private irqLevel = false;

  constructor(
    system: MemorySystem,
    private readonly env: DeviceEnv,
    private readonly options: Ns16550aOptions,
  ) {
    this.id = options.id;
    const size = 8 << options.regShift;
    const ops = windowOps(
      env,
      options.id,
      {
        read: (offset) => this.read(offset),
        write: (offset, value) => this.write(offset, value),
        peek: (offset) => this.peek(offset),
        registerName: (offset) => this.registerName(undefined, offset),
      },
      { min: options.ioWidth, max: 4 },
    );
    this.bank = ns16550aRegisters(
      options.name,
      options.regShift,
      options.ioWidth === 2 || options.ioWidth === 4 ? options.ioWidth : 1,
    );
    this.regions = [
      {
        region: createIo(system, options.name, size, ops, { owner: options.owner ?? null }),
        offset: 0n,
      },
    ];
  }

  reset(): void {
    this.ier = this.lcr = this.scr = this.fcr = this.dll = this.dlm = 0;
    this.mcr = MCR_RESET;
    this.lsr = LSR_THRE | LSR_TEMT;
    this.msr = MSR_RESET;
    this.thrInterrupt = false;
    this.rx.length = 0;
    this.update();
  }

  /** Host input (keyboard, debug console): queued for the guest's RBR reads. */
  input(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.receive(bytes[i]! & 0xff);
    this.update();
  }

  /** Bytes waiting in the receive queue. */
  get pendingInput(): number {
    return this.rx.length;
  }

  registerName(_region: MemoryRegion | undefined, offset: number): string | undefined {
    const index = this.index(offset);
    if (index < 0) return undefined;
    if ((this.lcr & LCR_DLAB) !== 0 && index <= 1) return index === 0 ? 'DLL' : 'DLM';
    return `${NAMES_READ[index]}${NAMES_READ[index] !== NAMES_WRITE[index] ? `/${NAMES_WRITE[index]}` : ''}`;
  }

  private index(offset: number): number {
    const shift = this.options.regShift;
    if ((offset & ((1 << shift) - 1)) !== 0) return -1;
    return (offset >>> shift) & 7;
  }

  private receive(byte: number): void {
    const depth = this.fcr & FCR_ENABLE ? FIFO_DEPTH : 1;
    // The host queue is unbounded; the overrun bit reports bytes beyond the FIFO's depth
    // arriving while the guest is not reading (data is kept, only the flag is raised).
    if (this.rx.length >= depth) this.lsr |= LSR_OE;
    this.rx.push(byte);
  }

  private lineStatus(): number {
    return (this.lsr & ~LSR_DR) | (this.rx.length > 0 ? LSR_DR : 0);
  }

  /** The interrupt identification the IIR would show now. */
  private identification(): number {
    const fifo = this.fcr & FCR_ENABLE ? IIR_FIFO_ENABLED : 0;
    if (this.ier & IER_ELSI && this.lsr & LSR_OE) return IIR_RLS | fifo;
    if (this.ier & IER_ERBFI && this.rx.length > 0) return IIR_RDA | fifo;
    if (this.ier & IER_ETBEI && this.thrInterrupt) return IIR_THRE | fifo;
    if (this.ier & IER_EDSSI && (this.msr & 0x0f) !== 0) return IIR_MSI | fifo;
    return IIR_NO_INT | fifo;
  }

  private update(): void {
    const level = (this.identification() & IIR_NO_INT) === 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.options.setIrq(level);
    }
  }

  private peek(offset: number): number | undefined {
    const index = this.index(offset);
    if (index < 0) return 0;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (index) {
      case 0:
        return dlab ? this.dll : (this.rx[0] ?? 0);
      case 1:
        return dlab ? this.dlm : this.ier;
      case 2:
        return this.identification();
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5:
        return this.lineStatus();
      case 6:
        return this.msr;
      default:
        return this.scr;
    }
  }

  private read(offset: number): number {
    const index = this.index(offset);
    if (index < 0) return 0;
    const value = this.peek(offset)!;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    if (index === 0 && !dlab && this.rx.length > 0) {
      this.rx.shift();
      this.update();
    } else if (index === 2 && (value & 0x0f) === IIR_THRE) {
      this.thrInterrupt = false; // reading IIR with THRE as the source clears it
      this.update();
    } else if (index === 5 && this.lsr & LSR_OE) {
      this.lsr &= ~LSR_OE; // reading LSR clears the error bits
      this.update();
    } else if (index === 6) {
      this.msr &= 0xf0; // reading MSR clears the delta bits
      this.update();
    }
    return value;
  }

  private write(offset: number, value: number): void {
    const index = this.index(offset);
    if (index < 0) return;
    const byte = value & 0xff;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (index) {
      case 0:
        if (dlab) this.dll = byte;
        else this.transmit(byte);
        break;
      case 1:
        if (dlab) this.dlm = byte;
        else {
          const enabledThre = (byte & IER_ETBEI) !== 0 && (this.ier & IER_ETBEI) === 0;
          this.ier = byte & 0x0f;
          // enabling ETBEI with THR already empty raises the THRE interrupt (as QEMU does)
          if (enabledThre && this.lsr & LSR_THRE) this.thrInterrupt = true;
        }
        break;
      case 2:
        if (byte & FCR_CLEAR_RX) {
          this.rx.length = 0;
          this.lsr &= ~LSR_OE;
        }
        this.fcr = byte & 0xc9;
        break;
      case 3:
        this.lcr = byte;
        break;
      case 4:
        this.mcr = byte & 0x1f;
        break;
      case 5:
      case 6:
        break; // LSR and MSR are read-only (factory test writes ignored)
      default:
        this.scr = byte;
    }
    this.update();
  }

  private transmit(byte: number): void {
    if (this.mcr & MCR_LOOP) this.receive(byte);
    else this.env.output('uart', String.fromCharCode(byte));
    this.thrInterrupt = true; // THR empties at once
  }
}
