/**
 * Call-stack unwinding for RV32 from .debug_frame CFI. Given the registers of the innermost
 * frame and a way to read guest memory, each step computes the caller's registers: CFA =
 * register + offset; saved registers are read at CFA + n; the caller's sp is the CFA and its pc
 * is the recovered return address (x1/ra, the CIE's return-address column).
 *
 * Why CFI and not frame pointers: the firmware is built with -O2, which omits the frame pointer
 * (s0 is an ordinary callee-saved register), so an fp chain would be garbage. GCC does emit
 * .debug_frame for every C function with -g. Hand-written assembly (start.S, trap.S) has no CFI;
 * there the unwinder stops, except that the innermost frame may be treated as a leaf (return
 * address still in ra, sp unchanged), which is right for small leaf routines and marked as such.
 */
import type { ElfFile } from '../loader';
import { type CfiRow, type FrameDescriptionEntry, frameRows, parseDebugFrame } from './dwarfFrame';

export const RISCV_RA = 1;
export const RISCV_SP = 2;

export class FrameTable {
  private readonly rowCache = new Map<FrameDescriptionEntry, CfiRow[]>();

  constructor(readonly fdes: readonly FrameDescriptionEntry[]) {}

  /** The ELF's .debug_frame; an empty table when it has none. */
  static fromElf(elf: ElfFile): FrameTable {
    const section = elf.section('.debug_frame');
    return new FrameTable(section ? parseDebugFrame(section.data) : []);
  }

  /** The FDE covering `pc`, by binary search over the sorted FDE start addresses. */
  fdeFor(pc: number): FrameDescriptionEntry | undefined {
    let lo = 0;
    let hi = this.fdes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.fdes[mid]!.start <= pc) lo = mid + 1;
      else hi = mid;
    }
    const fde = this.fdes[lo - 1];
    return fde && pc < fde.end ? fde : undefined;
  }

  rows(fde: FrameDescriptionEntry): CfiRow[] {
    let rows = this.rowCache.get(fde);
    if (!rows) {
      rows = frameRows(fde);
      this.rowCache.set(fde, rows);
    }
    return rows;
  }

  /** The CFI row in force at `pc`. */
  rowAt(pc: number): CfiRow | undefined {
    const fde = this.fdeFor(pc);
    if (!fde) return undefined;
    const rows = this.rows(fde);
    let found = rows[0];
    for (const row of rows) {
      if (row.location > pc) break;
      found = row;
    }
    return found;
  }
}

/** A frame's register state: x0..x31 (undefined = unknown) and the pc. */
export interface FrameRegisters {
  readonly pc: number;
  readonly x: readonly (number | undefined)[];
}

export interface UnwoundFrame extends FrameRegisters {
  /** How this frame's caller was found: CFI, the leaf assumption, or not at all (last frame). */
  readonly method: 'cfi' | 'leaf' | 'none';
  /** The CFA of this frame, when known. */
  readonly cfa?: number;
}

/** Reads a 32-bit little-endian word of guest memory; undefined when unreadable. */
export type ReadWord = (address: number) => number | undefined;

/**
 * The caller of `frame`, or undefined when it cannot be found (no CFI for the pc and not
 * allowed to assume a leaf, an unknown CFA register, unreadable memory for the return address,
 * a return address of 0, or a stack that does not move up).
 */
export function unwindOne(
  table: FrameTable,
  frame: FrameRegisters,
  readWord: ReadWord,
  assumeLeaf = false,
): { caller: FrameRegisters; method: 'cfi' | 'leaf'; cfa: number } | undefined {
  const row = table.rowAt(frame.pc);
  const sp = frame.x[RISCV_SP];
  if (sp === undefined) return undefined;
  if (!row) {
    const ra = frame.x[RISCV_RA];
    if (!assumeLeaf || ra === undefined || ra === 0 || ra === frame.pc) return undefined;
    return { caller: { pc: ra, x: frame.x.slice() }, method: 'leaf', cfa: sp };
  }
  if (row.cfa.kind !== 'register') return undefined;
  const base = frame.x[row.cfa.register];
  if (base === undefined) return undefined;
  const cfa = (base + row.cfa.offset) >>> 0;
  const x = frame.x.slice();
  for (const [register, rule] of row.registers) {
    if (register >= 32) continue;
    switch (rule.kind) {
      case 'offset':
        x[register] = readWord((cfa + rule.offset) >>> 0);
        break;
      case 'valOffset':
        x[register] = (cfa + rule.offset) >>> 0;
        break;
      case 'register':
        x[register] = frame.x[rule.register];
        break;
      case 'same':
        break;
      default: // undefined, or an expression this unwinder does not evaluate
        x[register] = undefined;
    }
  }
  x[RISCV_SP] = cfa;
  const returnAddress = x[table.fdeFor(frame.pc)?.cie.returnAddressRegister ?? RISCV_RA];
  if (returnAddress === undefined || returnAddress === 0) return undefined;
  if (cfa < sp || (cfa === sp && returnAddress === frame.pc)) return undefined; // no progress
  return { caller: { pc: returnAddress, x }, method: 'cfi', cfa };
}

/**
 * Unwinds from the innermost frame outwards, at most `maxFrames` frames. The innermost frame may
 * be a leaf without CFI (see the file comment). For a caller frame, the call instruction is
 * just before `pc`: look up `pc - 1` in the line table to show the call site's line.
 */
export function unwindStack(
  table: FrameTable,
  innermost: FrameRegisters,
  readWord: ReadWord,
  maxFrames = 64,
): UnwoundFrame[] {
  const frames: UnwoundFrame[] = [];
  let frame: FrameRegisters = innermost;
  for (let depth = 0; depth < maxFrames; depth++) {
    const step = unwindOne(table, frame, readWord, depth === 0);
    if (!step) {
      frames.push({ ...frame, method: 'none' });
      break;
    }
    frames.push({ ...frame, method: step.method, cfa: step.cfa });
    frame = step.caller;
  }
  return frames;
}
