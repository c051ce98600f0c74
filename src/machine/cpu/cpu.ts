/**
 * The architecture-neutral face of a CPU core: what the run loop, the debug adapter and the views
 * may rely on. A RISC-V hart implements it today (riscv/hart.ts); another architecture implements
 * the same interface with its own register description and disassembler.
 */

/** Which panel a register belongs to in a debugger's register view. */
export type RegisterGroup = 'general' | 'pc' | 'csr';

/** One architectural register a debugger can show, read and (unless read-only) write. */
export interface RegisterInfo {
  /** Stable number used by readRegister/writeRegister (for RISC-V: GDB's numbering). */
  readonly id: number;
  /** Canonical name as a disassembler prints it (ABI names for RISC-V GPRs: `ra`, `sp`, `a0`). */
  readonly name: string;
  /** Other accepted spellings (`x1`, `fp`). */
  readonly aliases: readonly string[];
  readonly bits: 32 | 64;
  readonly group: RegisterGroup;
  readonly readOnly: boolean;
}

/**
 * Why run()/step() returned.
 * - `budget`: the instruction budget was used up; call run() again to continue.
 * - `breakpoint`: the next instruction (at `pc`) is an armed breakpoint; it has not executed.
 * - `wfi`: the core is waiting for an interrupt (`waiting` is true); nothing runs until an
 *   interrupt becomes pending. The run loop may fast-forward time.
 * - `ebreak`: an ebreak was claimed by the debugger hook (`EbreakAction.Stop`); pc is at it.
 * - `stop-requested`: requestStop() was called (a device such as a test finisher, or pause).
 * - `trap`: the trap hook (Cpu.onTrap) claimed a trap; pc is at the handler's first
 *   instruction, which has not executed, and the trap registers are set (`lastTrap`).
 */
export type StopReason = 'budget' | 'breakpoint' | 'wfi' | 'ebreak' | 'stop-requested' | 'trap';

/** A trap the core took: an exception of the instruction at `pc`, or an interrupt taken at `pc`. */
export interface TrapInfo {
  /** The cause code without the interrupt bit (RISC-V: mcause & 0x7fffffff). */
  readonly cause: number;
  /** The faulting address or instruction bits (RISC-V: mtval). */
  readonly tval: number;
  /** The pc of the trapping instruction, or where an interrupt was taken (RISC-V: mepc). */
  readonly pc: number;
  readonly interrupt: boolean;
}

/**
 * Offered every trap as it is taken (state already at the handler); returning true ends the
 * current run()/step() with reason 'trap'. Unset, a trap costs nothing extra.
 */
export type TrapHook = (cause: number, tval: number, pc: number, interrupt: boolean) => boolean;

export interface RunOptions {
  /** Step over a breakpoint armed at the starting pc (a user's "continue"). */
  readonly stepOverBreakpoint?: boolean;
}

export interface RunResult {
  readonly reason: StopReason;
  /** Instructions executed (attempted, including ones that trapped) during this call. */
  readonly executed: number;
}

/** One disassembled instruction. */
export interface DisassembledInstruction {
  readonly address: number;
  /** Instruction length in bytes (2 or 4 for RISC-V); 0 when the fetch failed. */
  readonly length: number;
  /** Raw encoding as lowercase hex, as objdump prints it (`0505`, `00008067`). */
  readonly hex: string;
  /** Mnemonic and operands in GNU objdump syntax (`addi\ta0,a0,1`); `<fetch error>` on a failed fetch. */
  readonly text: string;
  /** Target address of a direct branch or jump, for `<sym+off>` rendering and navigation. */
  readonly target?: number;
}

/** Looks up the symbol covering an address, for `<sym+0x10>` in disassembly. */
export type SymbolLookup = (address: number) => { name: string; offset: number } | undefined;

export interface Cpu {
  /** `riscv32` for the RISC-V hart. */
  readonly architecture: string;
  /** All registers a debugger can show, in display order. */
  readonly registers: readonly RegisterInfo[];
  /** The address of the next instruction. Setting it cancels a pending wfi wait. */
  pc: number;
  /** True while the core sleeps in wfi until an interrupt is pending. */
  readonly waiting: boolean;
  /** Total instructions executed since reset (attempted, including trapping ones). */
  readonly instructionCount: number;

  /** Reads a register by RegisterInfo.id without side effects; undefined for an unknown id. */
  readRegister(id: number): number | undefined;
  /** Writes a register as a debugger would; returns false for unknown or read-only ids. */
  writeRegister(id: number, value: number): boolean;

  /**
   * Executes at most `budget` instructions. Stops early for a breakpoint, wfi, a claimed ebreak or
   * a stop request. A breakpoint at the pc where the previous call stopped for that breakpoint is
   * stepped over, so "continue" after a breakpoint stop makes progress; with
   * `stepOverBreakpoint` a breakpoint at the starting pc is stepped over in any case (a user's
   * "continue", as GDB does). A run loop continuing after a budget stop passes neither, so a
   * breakpoint exactly at a batch boundary still stops.
   */
  run(budget: number, options?: RunOptions): RunResult;
  /**
   * Single-steps `count` times (default 1), ignoring breakpoints: each step executes one
   * instruction, or takes one pending interrupt (then nothing executes and pc is at the
   * handler). Stops early for wfi or a claimed ebreak.
   */
  step(count?: number): RunResult;
  /** Asks a running run() to return at the next instruction boundary (callable from devices). */
  requestStop(): void;
  /** The trap hook (see TrapHook); may be replaced at any time, also during a run. */
  onTrap: TrapHook | undefined;
  /** The trap that ended the last run()/step() with reason 'trap'. */
  readonly lastTrap: TrapInfo | undefined;

  addBreakpoint(address: number): void;
  removeBreakpoint(address: number): void;
  clearBreakpoints(): void;

  /**
   * Forgets decoded instructions for [address, address+size) (all of them without arguments).
   * The memory system calls this for writes the core did not make itself (debugger, DMA,
   * loader) and, without arguments, for topology changes that alter what is mapped where.
   */
  invalidateDecodeCache(address?: number, size?: number): void;

  /** Disassembles `count` instructions from `address` (GNU objdump syntax). */
  disassemble(address: number, count: number, symbols?: SymbolLookup): DisassembledInstruction[];

  /** Architectural reset: registers, CSRs and pc to their reset values. */
  reset(): void;
}
