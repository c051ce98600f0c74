/**
 * The call stack as a source-level debugger shows it: the unwinder's physical frames (CFI),
 * each split into its inlined instances, numbered as gdb numbers frames. A physical frame
 * without debug info (start files, assembly) stays one frame named by its ELF symbol.
 */
import { type FrameTable, type ReadWord, unwindStack } from '../unwind';
import type { ReadMemory } from '../values';
import type { FrameState } from './frameState';
import type { SourceFrame, SourceSymbols } from './sourceSymbols';

export interface StackEntry {
  /** gdb's frame number (inline frames count). */
  readonly level: number;
  readonly physical: FrameState;
  /** The source frame; undefined for code without debug info. */
  readonly frame?: SourceFrame;
  readonly functionName: string;
}

/** FrameStates of unwound frames, each linked to its caller (for entry values). */
export function frameStates(
  unwound: readonly { pc: number; x: readonly (number | undefined)[]; cfa?: number }[],
): FrameState[] {
  const states: FrameState[] = [];
  for (let level = unwound.length - 1; level >= 0; level--) {
    const f = unwound[level]!;
    states[level] = { level, pc: f.pc, registers: f.x, cfa: f.cfa, caller: states[level + 1] };
  }
  return states;
}

export interface StackOptions {
  /** The machine stopped at a user breakpoint at the pc (see SourceSymbols.framesAt). */
  readonly atUserBreakpoint?: boolean;
  readonly maxFrames?: number;
}

/** Unwinds from the registers at a stop and returns the frames innermost first. */
export function sourceStack(
  symbols: SourceSymbols,
  table: FrameTable,
  registers: { pc: number; x: readonly (number | undefined)[] },
  readMemory: ReadMemory,
  options: StackOptions = {},
): StackEntry[] {
  const readWord: ReadWord = (address) => {
    const r = readMemory(address, 4);
    if (r.data.length < 4 || (r.status && r.status.some((s) => s !== 0))) return undefined;
    return (r.data[0]! | (r.data[1]! << 8) | (r.data[2]! << 16) | (r.data[3]! << 24)) >>> 0;
  };
  const states = frameStates(unwindStack(table, registers, readWord, options.maxFrames));
  const entries: StackEntry[] = [];
  for (const physical of states) {
    const frames = symbols.framesAt(physical, readMemory, {
      atUserBreakpoint: options.atUserBreakpoint,
    });
    if (frames.length === 0) {
      const lookup = physical.level === 0 ? physical.pc : physical.pc - 1;
      const name = symbols.elf.symbols.lookup(lookup)?.symbol.name ?? '??';
      entries.push({ level: entries.length, physical, functionName: name });
      continue;
    }
    for (const frame of frames)
      entries.push({ level: entries.length, physical, frame, functionName: frame.functionName });
  }
  return entries;
}
