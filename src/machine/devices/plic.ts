/**
 * SiFive PLIC (RISC-V PLIC specification layout, as QEMU's sifive_plic maps it): source
 * priorities at +0 (4 bytes per source), pending bits at +0x1000, enable bits per context at
 * +0x2000 + 0x80·context, and per context at +0x200000 + 0x1000·context the priority threshold
 * (+0) and claim/complete (+4). Sources are level-triggered: a raised line sets the pending bit;
 * a claim clears it and marks the source claimed until its completion; a line still high at
 * completion pends again. Context 0 drives the hart's MEIP; further contexts (QEMU's S-mode
 * context on virt) keep their registers but drive no line (the hart has no S-mode).
 */
import {
  createIo,
  type MemoryRegion,
  type MemorySystem,
  type QomObject,
  type RegisterBank,
} from '../../engine';
import { windowOps } from './mmio';
import { plicRegisters } from './registerTables';
import type { DeviceEnv, InterruptController } from './types';

export const IRQ_MEI = 11;
const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x200000;
const CONTEXT_STRIDE = 0x1000;
/** Priority registers are 3 bits wide here (QEMU virt: 7 levels plus "never"). */
const PRIORITY_MASK = 7;

export interface PlicOptions {
  readonly id: string;
  readonly name: string;
  /** Number of sources including the reserved source 0. */
  readonly sources: number;
  readonly contexts: number;
  readonly size: number;
  /** QOM owner of the window (`info mtree -o`), as the board file gives it. */
  readonly owner?: QomObject | null;
}

export class Plic implements InterruptController {
  readonly model = 'plic';
  readonly id: string;
  readonly regions: readonly { region: MemoryRegion; offset: bigint }[];
  private readonly priority: Uint32Array;
  private readonly pending: Uint8Array;
  private readonly claimed: Uint8Array;
  private readonly line: Uint8Array;
  /** enable[context * sources + source] */
  private readonly enable: Uint8Array;
  private readonly threshold: Uint32Array;
  private meip = false;
  /** Register descriptions with their fields, for the views (registerTables.ts). */
  readonly bank: RegisterBank;

  constructor(
    system: MemorySystem,
    private readonly env: DeviceEnv,
    private readonly options: PlicOptions,
  ) {
    this.id = options.id;
    const n = options.sources;
    this.priority = new Uint32Array(n);
    this.pending = new Uint8Array(n);
    this.claimed = new Uint8Array(n);
    this.line = new Uint8Array(n);
    this.enable = new Uint8Array(n * options.contexts);
    this.threshold = new Uint32Array(options.contexts);
    this.bank = plicRegisters(options.name, n, options.contexts, 3);
    const ops = windowOps(
      env,
      options.id,
      {
        read: (o) => this.read(o, true),
        write: (o, v) => this.write(o, v),
        peek: (o) => this.read(o, false),
        registerName: (o) => this.registerName(undefined, o),
      },
      { min: 4, max: 4 },
    );
    this.regions = [
      {
        region: createIo(system, options.name, options.size, ops, {
          owner: options.owner ?? null,
        }),
        offset: 0n,
      },
    ];
  }

  reset(): void {
    this.priority.fill(0);
    this.pending.fill(0);
    this.claimed.fill(0);
    this.enable.fill(0);
    this.threshold.fill(0);
    for (let s = 1; s < this.options.sources; s++) if (this.line[s]) this.pending[s] = 1;
    this.update();
  }

  /** An interrupt source's line (from `irq = plic:N`). */
  setInput(source: number, level: boolean): void {
    if (source <= 0 || source >= this.options.sources) return;
    const v = level ? 1 : 0;
    if (this.line[source] === v) return;
    this.line[source] = v;
    if (level && !this.claimed[source]) this.pending[source] = 1;
    this.update();
  }

  registerName(_region: MemoryRegion | undefined, offset: number): string | undefined {
    const n = this.options.sources;
    if (offset < PENDING_BASE) return offset >>> 2 < n ? `priority${offset >>> 2}` : undefined;
    if (offset < ENABLE_BASE) {
      const word = (offset - PENDING_BASE) >>> 2;
      return word * 32 < n ? `pending${word}` : undefined;
    }
    if (offset < CONTEXT_BASE) {
      const context = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      const word = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      return context < this.options.contexts && word * 32 < n
        ? `enable${context}.${word}`
        : undefined;
    }
    const context = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (context >= this.options.contexts) return undefined;
    return reg === 0 ? `threshold${context}` : reg === 4 ? `claim${context}` : undefined;
  }

  /** The source a claim by `context` would return now (0 = none). */
  best(context: number): number {
    const n = this.options.sources;
    let best = 0;
    let bestPriority = this.threshold[context]!;
    for (let s = 1; s < n; s++) {
      if (this.pending[s] && this.enable[context * n + s] && this.priority[s]! > bestPriority) {
        best = s;
        bestPriority = this.priority[s]!;
      }
    }
    return best;
  }

  private update(): void {
    const level = this.options.contexts > 0 && this.best(0) !== 0;
    if (level !== this.meip) {
      this.meip = level;
      this.env.setHartIrq(IRQ_MEI, level);
    }
  }

  private read(offset: number, sideEffects: boolean): number {
    const n = this.options.sources;
    if (offset < PENDING_BASE) {
      const s = offset >>> 2;
      return s < n ? this.priority[s]! : 0;
    }
    if (offset < ENABLE_BASE) return this.bits(this.pending, 0, (offset - PENDING_BASE) >>> 2);
    if (offset < CONTEXT_BASE) {
      const context = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      if (context >= this.options.contexts) return 0;
      return this.bits(this.enable, context * n, ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2);
    }
    const context = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (context >= this.options.contexts) return 0;
    if (reg === 0) return this.threshold[context]!;
    if (reg !== 4) return 0;
    const source = this.best(context);
    if (sideEffects && source !== 0) {
      this.pending[source] = 0;
      this.claimed[source] = 1;
      this.update();
    }
    return source;
  }

  private bits(array: Uint8Array, base: number, word: number): number {
    let v = 0;
    for (let b = 0; b < 32; b++) {
      const s = word * 32 + b;
      if (s < this.options.sources && array[base + s]) v |= 1 << b;
    }
    return v >>> 0;
  }

  private write(offset: number, value: number): void {
    const n = this.options.sources;
    if (offset < PENDING_BASE) {
      const s = offset >>> 2;
      if (s > 0 && s < n) this.priority[s] = value & PRIORITY_MASK;
    } else if (offset < ENABLE_BASE) {
      return; // pending bits are read-only
    } else if (offset < CONTEXT_BASE) {
      const context = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      if (context >= this.options.contexts) return;
      const word = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      for (let b = 0; b < 32; b++) {
        const s = word * 32 + b;
        if (s > 0 && s < n) this.enable[context * n + s] = (value >>> b) & 1;
      }
    } else {
      const context = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
      const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
      if (context >= this.options.contexts) return;
      if (reg === 0) this.threshold[context] = value & PRIORITY_MASK;
      else if (reg === 4) this.complete(context, value);
    }
    this.update();
  }

  /** Completion: ignored unless the source is enabled for the context (the spec's rule). */
  private complete(context: number, source: number): void {
    const n = this.options.sources;
    if (source <= 0 || source >= n || !this.enable[context * n + source]) return;
    this.claimed[source] = 0;
    if (this.line[source]) this.pending[source] = 1;
  }
}
