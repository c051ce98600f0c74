import type { CpuBus } from '../bus';
import type {
  Cpu,
  DisassembledInstruction,
  RegisterInfo,
  RunOptions,
  RunResult,
  StopReason,
  SymbolLookup,
  TrapHook,
  TrapInfo,
} from '../cpu';
import { CodeCache } from './code-cache';
import {
  ATTENTION_IRQ,
  ATTENTION_RECOUNT,
  ATTENTION_STOP,
  type Cause,
  type EbreakAction,
  INTERRUPT_BIT,
} from './constants';
import {
  CSR,
  CsrFile,
  IRQ_MEI,
  IRQ_MSI,
  IRQ_MTI,
  MSTATUS_MIE,
  MSTATUS_MPIE,
  MSTATUS_MPP,
} from './csr';
import { disassembleAt } from './disasm';
import { DisassemblyContext } from './disasm-hints';
import type { HartCore } from './hart-core';
import { runInterpreter } from './interpreter';
import { CSR_REGISTER_BASE, PC_REGISTER_ID, RISCV_REGISTERS } from './registers';

export interface RiscvHartOptions {
  /** pc after reset. */
  resetVector: number;
  /** mhartid. */
  hartId?: number;
  /** Source of the `time`/`timeh` CSRs (the CLINT's mtime). Defaults to mcycle. */
  readTime?: () => number;
  /** Offered every executed ebreak before it traps (debugger, semihosting). */
  onEbreak?: (hart: RiscvHart, pc: number, length: 2 | 4) => EbreakAction;
  /** Offered every trap as it is taken; true ends the run with reason 'trap' (see TrapHook). */
  onTrap?: TrapHook;
  /**
   * The basic-block compiler (jit.ts): `false` turns it off (pure interpreter, e.g. where
   * `new Function` is not allowed); `threshold` is how often a block start is executed before
   * it is compiled (default 16).
   */
  jit?: false | { threshold?: number };
}

/**
 * One RV32IMAC + Zicsr + Zifencei hart in machine mode (no S/U modes, no PMP entries, no
 * triggers). Execution: a decode cache (code-cache.ts), an interpreter loop (interpreter.ts) and
 * a basic-block compiler for hot code (jit.ts); rare paths in slow-paths.ts, CSRs in csr.ts.
 * Fields marked internal are shared with those files and are not part of the public API.
 *
 * For the run loop: run(budget) returns why it stopped; devices raise interrupts with
 * setInterruptLine(); a `wfi` with nothing pending returns 'wfi' with `waiting` set until an
 * enabled interrupt is pending; ebreak goes to the onEbreak hook first; requestStop() ends a
 * run at the next instruction boundary.
 */
export class RiscvHart implements Cpu, HartCore<RiscvHart> {
  readonly architecture = 'riscv32';
  readonly registers: readonly RegisterInfo[] = RISCV_REGISTERS;

  /** @internal General-purpose registers; x[0] is kept at 0. */
  readonly x = new Int32Array(32);
  /** @internal */
  pcValue: number;
  /** @internal */
  readonly csr: CsrFile;
  /** @internal Decoded-instruction cache. */
  readonly code: CodeCache;
  /** @internal Bit set of ATTENTION_* flags checked before every instruction. */
  attention = 0;
  /** @internal LR/SC reservation. */
  reservationValid = false;
  /** @internal */
  reservationAddress = 0;
  /** @internal Set when an access failed (misaligned helpers, half/word paths). */
  accessFailed = false;
  /**
   * @internal The address of the access that failed (with accessFailed): the instruction's
   * address, or for a misaligned access the piece that faulted, which QEMU reports in mtval.
   */
  faultAddress = 0;
  /** @internal Steps of the current batch already added to the counters. */
  accountedSteps = 0;
  /**
   * @internal Steps of the current batch before the instruction now reading a device or a CSR:
   * interpreted loads and CSR instructions publish it, so the CLINT's mtime read sees the exact
   * count mid-batch. A compiled block does not publish it on its RAM loads (that would cost
   * speed): while one runs it holds -1 - (steps before the block), see batchSteps.
   */
  publishedSteps = 0;

  /**
   * @internal The published step count of the current batch. Inside a compiled block only the
   * count at its entry is known: that is returned and ATTENTION_RECOUNT asks the block to redo
   * the load with the exact count published (a read of mtime has no side effects).
   */
  get batchSteps(): number {
    const p = this.publishedSteps;
    if (p >= 0) return p;
    this.attention |= ATTENTION_RECOUNT;
    return -1 - p;
  }

  /** True while asleep in wfi (see Cpu.waiting); cleared by an interrupt or a pc write. */
  waiting = false;
  /** Steps executed since reset. */
  instructionCount = 0;
  /** The ebreak hook (see RiscvHartOptions.onEbreak); may be replaced at any time. */
  onEbreak: RiscvHartOptions['onEbreak'];
  /** The trap hook (see Cpu.onTrap); may be replaced at any time. */
  onTrap: TrapHook | undefined;
  /** The trap that ended the last run()/step() with reason 'trap'. */
  lastTrap: TrapInfo | undefined;
  /** A trap the hook claimed during the current run, not yet reported. */
  private claimedTrap: TrapInfo | undefined;

  private readonly resetVector: number;
  /** The pc of the last breakpoint stop; run() steps over that breakpoint once. */
  private resumeBreakpointPc = -1;

  constructor(
    readonly bus: CpuBus,
    options: RiscvHartOptions,
  ) {
    this.resetVector = options.resetVector >>> 0;
    this.pcValue = this.resetVector | 0;
    this.onEbreak = options.onEbreak;
    this.onTrap = options.onTrap;
    this.csr = new CsrFile(options.hartId ?? 0, options.readTime, () => {
      this.attention |= ATTENTION_IRQ;
    });
    const jit = options.jit;
    this.code = new CodeCache(this, jit === false ? Infinity : (jit?.threshold ?? 16));
  }

  get pc(): number {
    return this.pcValue >>> 0;
  }

  set pc(value: number) {
    this.pcValue = value | 0;
    this.waiting = false;
    this.resumeBreakpointPc = -1;
  }

  reset(): void {
    this.x.fill(0);
    this.csr.reset();
    this.pcValue = this.resetVector | 0;
    this.waiting = false;
    this.reservationValid = false;
    this.resumeBreakpointPc = -1;
    this.attention = 0;
    this.claimedTrap = undefined;
    this.lastTrap = undefined;
    this.instructionCount = 0;
    this.code.invalidateAll();
  }

  // ---- interrupts -------------------------------------------------------------------------

  /**
   * Drives an interrupt line: `irq` is the mip bit (IRQ_MSI 3, IRQ_MTI 7, IRQ_MEI 11). Devices
   * (CLINT, PLIC) call this; the interrupt is taken before the next instruction when enabled,
   * and a hart waiting in wfi wakes when the line is enabled in mie.
   */
  setInterruptLine(irq: number, level: boolean): void {
    const bit = 1 << irq;
    if (level) this.csr.mip |= bit;
    else this.csr.mip &= ~bit;
    this.attention |= ATTENTION_IRQ;
  }

  /** The highest-priority deliverable interrupt (MEI > MSI > MTI), or -1. */
  pendingInterrupt(): number {
    const csr = this.csr;
    if ((csr.mstatus & MSTATUS_MIE) === 0) return -1;
    const p = csr.mip & csr.mie;
    if (p === 0) return -1;
    if (p & (1 << IRQ_MEI)) return IRQ_MEI;
    if (p & (1 << IRQ_MSI)) return IRQ_MSI;
    if (p & (1 << IRQ_MTI)) return IRQ_MTI;
    return -1;
  }

  requestStop(): void {
    this.attention |= ATTENTION_STOP;
  }

  // ---- traps ------------------------------------------------------------------------------

  /** @internal Enters the trap handler: sets mepc/mcause/mtval, stacks MIE, jumps to mtvec. */
  enterTrap(cause: number, tval: number, epc: number): void {
    const csr = this.csr;
    csr.mepc = epc & ~1;
    csr.mcause = cause;
    csr.mtval = tval;
    const mie = (csr.mstatus & MSTATUS_MIE) !== 0;
    csr.mstatus = (mie ? MSTATUS_MPIE : 0) | MSTATUS_MPP;
    const base = csr.mtvec & ~3;
    const vectored = (csr.mtvec & 3) === 1 && (cause & INTERRUPT_BIT) !== 0;
    this.pcValue = (vectored ? base + 4 * (cause & 0x7fffffff) : base) | 0;
    this.reservationValid = false;
    // Every trap comes through here (interpreter, compiled blocks, slow paths, interrupts); the
    // interpreter re-reads `attention` after each trap, so the stop lands before the handler runs.
    const hook = this.onTrap;
    if (hook !== undefined) {
      const interrupt = (cause & INTERRUPT_BIT) !== 0;
      const code = (cause & 0x7fffffff) >>> 0;
      if (hook(code, tval >>> 0, (epc & ~1) >>> 0, interrupt)) {
        this.claimedTrap = { cause: code, tval: tval >>> 0, pc: (epc & ~1) >>> 0, interrupt };
        this.attention |= ATTENTION_STOP;
      }
    }
  }

  /** Reports a claimed trap as the stop reason: true when one was pending (and clears it). */
  private takeClaimedTrap(): boolean {
    const trap = this.claimedTrap;
    if (trap === undefined) return false;
    this.claimedTrap = undefined;
    this.lastTrap = trap;
    this.attention &= ~ATTENTION_STOP;
    return true;
  }

  /** @internal A synchronous exception of the instruction at `epc` (which does not retire). */
  raiseException(cause: Cause, tval: number, epc: number): void {
    this.csr.instretSkip++;
    this.enterTrap(cause, tval >>> 0, epc);
  }

  /** @internal Takes a pending interrupt if one is deliverable; returns true if taken. */
  takeInterrupt(): boolean {
    const irq = this.pendingInterrupt();
    if (irq < 0) return false;
    this.waiting = false;
    this.enterTrap((INTERRUPT_BIT | irq) >>> 0, 0, this.pcValue);
    return true;
  }

  /** @internal mret: restore MIE from MPIE, set MPIE, return to mepc. */
  mret(): void {
    const csr = this.csr;
    const mpie = (csr.mstatus & MSTATUS_MPIE) !== 0;
    csr.mstatus = (mpie ? MSTATUS_MIE : 0) | MSTATUS_MPIE | MSTATUS_MPP;
    this.pcValue = csr.read(CSR.mepc)! | 0;
    this.attention |= ATTENTION_IRQ;
  }

  /** @internal Brings mcycle/minstret up to `steps` executed steps of the current batch. */
  accountTo(steps: number): void {
    this.csr.account(steps - this.accountedSteps);
    this.accountedSteps = steps;
    this.publishedSteps = steps;
  }

  // ---- running ----------------------------------------------------------------------------

  run(budget: number, options?: RunOptions): RunResult {
    let executed = 0;
    const pc = this.pcValue >>> 0;
    const stepOver = options?.stepOverBreakpoint === true || this.resumeBreakpointPc === pc;
    if (budget > 0 && stepOver && this.code.hasBreakpoint(pc)) {
      const first = this.runMasked(1);
      executed = first.executed;
      if (first.reason !== 'budget') return first;
      budget -= executed;
    }
    this.resumeBreakpointPc = -1;
    const rest = this.runBatch(budget);
    return { reason: rest.reason, executed: executed + rest.executed };
  }

  /**
   * Single-steps `count` times (default 1). Each step takes a deliverable interrupt (pc then
   * sits at the handler's first instruction and nothing executes), or else executes one
   * instruction with any breakpoint at pc disarmed. Stops early on wfi or a claimed ebreak.
   */
  step(count = 1): RunResult {
    let executed = 0;
    for (let i = 0; i < count; i++) {
      const r = this.stepOne();
      executed += r.executed;
      if (r.reason !== 'budget') return { reason: r.reason, executed };
    }
    return { reason: 'budget', executed };
  }

  private stepOne(): RunResult {
    if (this.waiting) {
      if ((this.csr.mip & this.csr.mie) === 0) return { reason: 'wfi', executed: 0 };
      this.waiting = false;
    }
    if (this.takeInterrupt()) {
      return { reason: this.takeClaimedTrap() ? 'trap' : 'budget', executed: 0 };
    }
    return this.runMasked(1);
  }

  /** Runs with the breakpoint at the current pc (if any) disarmed. */
  private runMasked(budget: number): RunResult {
    const pc = this.pcValue >>> 0;
    this.code.maskBreakpoint(pc);
    try {
      return this.runBatch(budget);
    } finally {
      this.code.maskBreakpoint(-1);
      this.code.invalidate(pc, 2);
      this.resumeBreakpointPc = -1;
    }
  }

  private runBatch(budget: number): RunResult {
    if (this.waiting) {
      if ((this.csr.mip & this.csr.mie) === 0) return { reason: 'wfi', executed: 0 };
      this.waiting = false;
    }
    this.attention |= ATTENTION_IRQ;
    this.accountedSteps = 0;
    this.publishedSteps = 0;
    let reason: StopReason = runInterpreter(this, budget);
    const executed = this.lastExecuted;
    this.accountTo(executed);
    this.instructionCount += executed;
    if (this.takeClaimedTrap()) {
      // Other stop requests at the same time keep their own flags (pause, exit, watchpoint).
      if (reason === 'budget') reason = 'trap';
    } else if (this.attention & ATTENTION_STOP) {
      this.attention &= ~ATTENTION_STOP;
      if (reason === 'budget') reason = 'stop-requested';
    }
    if (reason === 'breakpoint') this.resumeBreakpointPc = this.pcValue >>> 0;
    return { reason, executed };
  }

  /** @internal Steps executed by the last runInterpreter call. */
  lastExecuted = 0;
  /** @internal Instructions executed by the last compiled block call. */
  blockCount = 0;

  // ---- debugger access --------------------------------------------------------------------

  readRegister(id: number): number | undefined {
    if (id >= 0 && id < 32) return this.x[id] >>> 0;
    if (id === PC_REGISTER_ID) return this.pcValue >>> 0;
    const n = id - CSR_REGISTER_BASE;
    if (n >= 0 && n < 4096) return this.csr.read(n);
    return undefined;
  }

  writeRegister(id: number, value: number): boolean {
    if (id > 0 && id < 32) {
      this.x[id] = value | 0;
      return true;
    }
    if (id === PC_REGISTER_ID) {
      this.pc = value;
      return true;
    }
    const n = id - CSR_REGISTER_BASE;
    if (n < 0 || n >= 4096 || n >>> 10 === 3 || !this.csr.exists(n)) return false;
    if (this.csr.write(n, value, this.pcValue + 4)) this.code.invalidateAll();
    return true;
  }

  addBreakpoint(address: number): void {
    this.code.addBreakpoint(address >>> 0);
  }

  removeBreakpoint(address: number): void {
    this.code.removeBreakpoint(address >>> 0);
  }

  clearBreakpoints(): void {
    this.code.clearBreakpoints();
  }

  invalidateDecodeCache(address?: number, size?: number): void {
    if (address === undefined) this.code.invalidateAll();
    else this.code.externalWrite(address | 0, size ?? 4);
  }

  disassemble(address: number, count: number, symbols?: SymbolLookup): DisassembledInstruction[] {
    const out: DisassembledInstruction[] = [];
    const context = new DisassemblyContext();
    let a = address >>> 0;
    for (let i = 0; i < count; i++) {
      const d = disassembleAt(this.bus, a, this.csr.compressedEnabled, symbols, context);
      out.push(d);
      a = (a + (d.length || 2)) >>> 0;
    }
    return out;
  }
}
