/** Exception causes (mcause codes without the interrupt bit). */
export const enum Cause {
  InstructionMisaligned = 0,
  InstructionAccessFault = 1,
  IllegalInstruction = 2,
  Breakpoint = 3,
  LoadMisaligned = 4,
  LoadAccessFault = 5,
  StoreMisaligned = 6,
  StoreAccessFault = 7,
  EcallFromM = 11,
}

/** The interrupt bit of mcause. */
export const INTERRUPT_BIT = 0x8000_0000;

/** What the ebreak hook decided. */
export const enum EbreakAction {
  /** Not claimed: raise the architectural breakpoint exception (mcause 3). */
  Trap = 0,
  /** Claimed by a debugger: run() returns 'ebreak' with pc at the ebreak, which did not execute. */
  Stop = 1,
  /** Claimed and serviced (semihosting): execution continues after the ebreak. */
  Resume = 2,
}

/** Reasons the interpreter loop must leave its fast path (bit flags in `hart.attention`). */
export const ATTENTION_STOP = 1;
/** mip, mie or mstatus changed: an interrupt may be deliverable. */
export const ATTENTION_IRQ = 2;
/** The decode cache was dropped (or misa.C changed): the loop must look its page up again. */
export const ATTENTION_RELOAD = 4;
/**
 * The instruction count was read (mtime) inside a compiled block, where the exact count is not
 * published: the block reloads the value with the count published (see reloadAtSteps).
 */
export const ATTENTION_RECOUNT = 8;

/** Decode-cache entry flag: the instruction is 32 bits long (see code-cache.ts). */
export const ENTRY_LONG = 1 << 23;
