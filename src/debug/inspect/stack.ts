/**
 * Call stacks: frame 0 is the hart's pc and registers; callers come from the program's
 * .debug_frame CFI (DebugInfo.backtrace, GCC emits CFI for every C function at -O2 where the
 * frame pointer is not kept). Without debug information (a raw binary, an ELF without
 * .debug_frame) the frame-pointer chain is followed instead: RV32 GCC with a frame pointer keeps
 * the return address at fp-4 and the caller's fp at fp-8.
 */
import { basename } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugInfo, Machine } from '../../machine';
import type { DisassemblySources } from '../disassembly';
import { addressHex } from '../../engine';

export interface Frame {
  readonly level: number;
  readonly pc: number;
  /** x0..x31 as recovered for this frame (undefined = unknown). */
  readonly x: readonly (number | undefined)[];
  readonly functionName: string | undefined;
  readonly path: string | undefined;
  readonly line: number;
  readonly column: number;
  /** How the caller of this frame was found. */
  readonly method: 'cfi' | 'leaf' | 'fp' | 'none';
  /** Stack pointer at the call site's frame (CFA), when known. */
  readonly cfa: number | undefined;
}

const MAX_FRAMES = 64;

function readWord(machine: Machine, address: number): number | undefined {
  const { data, status } = machine.readMemory(address >>> 0, 4);
  if (status.some((s) => s !== 0)) return undefined;
  return (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0;
}

function registers(machine: Machine): (number | undefined)[] {
  const x: (number | undefined)[] = [];
  for (let i = 0; i < 32; i++) x.push(machine.cpu.readRegister(i));
  return x;
}

/** The current call stack, innermost first. */
export function backtrace(machine: Machine, debugInfo: DebugInfo | undefined): Frame[] {
  const pc = machine.pc;
  const x = registers(machine);
  if (debugInfo && debugInfo.frames.fdes.length > 0) {
    return debugInfo
      .backtrace({ pc, x }, (a) => readWord(machine, a), MAX_FRAMES)
      .map((f, level) => ({
        level,
        pc: f.pc,
        x: f.x,
        functionName: f.functionName,
        path: f.source?.path,
        line: f.source?.line ?? 0,
        column: f.source?.column ?? 0,
        method: f.method,
        cfa: f.cfa,
      }));
  }
  return framePointerChain(machine, debugInfo, pc, x);
}

function framePointerChain(
  machine: Machine,
  debugInfo: DebugInfo | undefined,
  pc: number,
  x: (number | undefined)[],
): Frame[] {
  const frames: Frame[] = [];
  let framePc = pc;
  let fp = x[8];
  let regs = x;
  for (let level = 0; level < MAX_FRAMES; level++) {
    const lookup = level === 0 ? framePc : framePc - 1;
    const loc = debugInfo?.lines.lineForAddress(lookup);
    const name = machine.symbols?.lookupCode(lookup)?.symbol.name;
    const ra = fp !== undefined && fp !== 0 ? readWord(machine, fp - 4) : undefined;
    const prevFp = fp !== undefined && fp !== 0 ? readWord(machine, fp - 8) : undefined;
    const canUnwind =
      ra !== undefined && ra !== 0 && prevFp !== undefined && (prevFp === 0 || prevFp > fp!);
    frames.push({
      level,
      pc: framePc,
      x: regs,
      functionName: name,
      path: loc?.path,
      line: loc?.line ?? 0,
      column: loc?.column ?? 0,
      method: canUnwind ? 'fp' : 'none',
      cfa: fp,
    });
    if (!canUnwind) break;
    regs = regs.slice();
    regs[2] = fp;
    regs[8] = prevFp;
    framePc = ra!;
    fp = prevFp;
  }
  return frames;
}

export function toStackFrame(
  frame: Frame,
  machine: Machine,
  disassembly?: DisassemblySources,
): DebugProtocol.StackFrame {
  const symbol = machine.symbols?.lookupCode(frame.level === 0 ? frame.pc : frame.pc - 1);
  const name =
    frame.functionName ??
    (symbol ? `${symbol.symbol.name}+${addressHex(symbol.offset, 0)}` : addressHex(frame.pc));
  const sf: DebugProtocol.StackFrame = {
    id: frame.level + 1,
    name,
    line: frame.line,
    column: frame.path ? Math.max(1, frame.column) : 0,
    instructionPointerReference: addressHex(frame.pc),
  };
  if (frame.path) sf.source = { name: basename(frame.path), path: frame.path };
  else if (disassembly) {
    // A listing as its source: VS Code then focuses the frame on any stop (see disassemblySource).
    const { source, line } = disassembly.locate(frame.pc);
    sf.source = source;
    sf.line = line;
    sf.column = 1;
  } else sf.presentationHint = 'subtle';
  return sf;
}

/** How the stack was unwound, for the user (shown once per session in the Debug Console). */
export function unwindingNote(debugInfo: DebugInfo | undefined): string {
  if (debugInfo && debugInfo.frames.fdes.length > 0) {
    return `call stacks: unwound with the program's .debug_frame CFI (${debugInfo.frames.fdes.length} FDEs); code without CFI is treated as a leaf (return address in ra)`;
  }
  return 'call stacks: the program has no .debug_frame CFI; callers are found by the frame-pointer chain (s0/fp), which is wrong for code built without -fno-omit-frame-pointer';
}
