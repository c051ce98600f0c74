import type { CpuBus } from '../bus';
import type { Cause, EbreakAction } from './constants';
import type { CsrFile } from './csr';

/**
 * The hart as its execution files see it: what the interpreter (interpreter.ts), the block
 * compiler (jit.ts), the slow paths (slow-paths.ts) and the decode cache (code-cache.ts) use of
 * RiscvHart (hart.ts), which implements it. They take a HartCore instead of the class so that
 * hart.ts, which imports them, is not imported back (no import cycle, not even a type-only one).
 * Types only: they are handed the RiscvHart itself, and the members are its @internal fields.
 * `Hart` is the type the ebreak hook is handed: the interpreter, which calls the hook, is generic
 * over it (RiscvHart is a HartCore<RiscvHart>); elsewhere the hook is not called.
 */
export interface HartCore<Hart = never> {
  /** General-purpose registers; x[0] is kept at 0. */
  readonly x: Int32Array;
  pcValue: number;
  readonly csr: CsrFile;
  readonly bus: CpuBus;
  /** The decode cache. */
  readonly code: HartCode;
  /** Bit set of ATTENTION_* flags checked before every instruction. */
  attention: number;
  /** Set when an access failed (misaligned helpers, half/word paths). */
  accessFailed: boolean;
  /**
   * The address of the access that failed (with accessFailed): the instruction's address, or
   * for a misaligned access the piece that faulted, which QEMU reports in mtval.
   */
  faultAddress: number;
  /** LR/SC reservation. */
  reservationValid: boolean;
  reservationAddress: number;
  /** See RiscvHart.publishedSteps. */
  publishedSteps: number;
  /** Steps executed by the last runInterpreter call. */
  lastExecuted: number;
  /** Instructions executed by the last compiled block call. */
  blockCount: number;
  /** True while asleep in wfi. */
  waiting: boolean;
  /** The ebreak hook (see RiscvHartOptions.onEbreak); it is handed the hart itself. */
  onEbreak: ((hart: Hart, pc: number, length: 2 | 4) => EbreakAction) | undefined;
  /** A synchronous exception of the instruction at `epc` (which does not retire). */
  raiseException(cause: Cause, tval: number, epc: number): void;
  /** Takes a pending interrupt if one is deliverable; returns true if taken. */
  takeInterrupt(): boolean;
  /** mret: restore MIE from MPIE, set MPIE, return to mepc. */
  mret(): void;
  /** Brings mcycle/minstret up to `steps` executed steps of the current batch. */
  accountTo(steps: number): void;
}

/** The decode cache (CodeCache in code-cache.ts) as the interpreter, jit.ts and slow paths use it. */
export interface HartCode {
  /** 1 for every page number that holds (part of) a decoded instruction. */
  readonly marked: Uint8Array;
  /** Where uncacheable fetches are decoded; the loop clears the slot after reading it. */
  readonly scratch: Int32Array;
  /** The table of pages that get no blocks (uncacheable, or the JIT is off): all null. */
  readonly noBlocks: BlockTable;
  /** Visits of a slot before its block is compiled; Infinity turns the compiler off. */
  readonly jitThreshold: number;
  blocksFor(pc: number): BlockTable;
  compile(table: BlockTable, page: Int32Array, pc: number, alignMask: number): void;
  pageFor(pc: number): Int32Array;
  fill(pc: number, page: Int32Array, idx: number): number;
  invalidate(address: number, size: number): boolean;
  revalidate(): void;
  invalidateAll(): void;
}

/**
 * Compiled blocks of one code page, per halfword slot: undefined = not tried yet (`heat` counts
 * visits), null = not compilable, else the block starting there.
 */
export interface BlockTable {
  readonly blocks: (CompiledBlock | null | undefined)[];
  readonly heat: Uint8Array;
  /** Whether any slot holds something (so clearing can be skipped). */
  used: boolean;
}

/**
 * A compiled block's function (see jit.ts): returns the next pc and leaves the number of
 * instructions it executed (including one that trapped) in `h.blockCount`.
 */
export type BlockFunction = (
  x: Int32Array,
  h: HartCore,
  bus: CpuBus,
  marked: Uint8Array,
  /** Instructions the block may execute in this call (it never exceeds them). */
  remaining: number,
) => number;

export interface CompiledBlock {
  /** Instructions in the block (the most it can execute). */
  readonly length: number;
  readonly run: BlockFunction;
}
