// Runs an oracle ELF on Boardmap's own `virt` machine to the stop gdb recorded, and answers the
// same questions (frames, info args, info locals, print) with the debuginfo package.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf, type ElfFile } from '../../../../src/machine/loader';
import {
  FrameTable,
  LineTable,
  SourceSymbols,
  formatValue,
  frameExpressionScope,
  printExpression,
  riscvRegisterNumber,
  typeQuery,
  unwindStack,
  type FrameState,
  type SourceFrame,
  type SourceVariable,
} from '../../../../src/machine/debuginfo';
import { virt } from '../../machineHelpers';
import type { GoldenStop } from './gdbOracle';

export const oracleDir = __dirname;
export const elfPath = (elf: string): string => join(oracleDir, 'build', `${elf}.elf`);

export interface OurFrame {
  readonly function: string;
  readonly args: string[];
  readonly locals: string[];
  /** Per scope (innermost first): how many of `locals` it has and whether it is a function's. */
  readonly localGroups: { count: number; isFunction: boolean }[];
}

export interface OurStop {
  readonly pc: number;
  readonly frames: OurFrame[];
  print(expression: string): string;
}

interface OracleElf {
  elf: ElfFile;
  symbols: SourceSymbols;
  frames: FrameTable;
  lines: LineTable;
}

const cache = new Map<string, OracleElf>();

export function loadOracleElf(elf: string): OracleElf {
  let entry = cache.get(elf);
  if (!entry) {
    const file = parseElf(readFileSync(elfPath(elf)));
    const frames = FrameTable.fromElf(file);
    entry = {
      elf: file,
      symbols: new SourceSymbols(file, frames),
      frames,
      lines: LineTable.fromElf(file),
    };
    cache.set(elf, entry);
  }
  return entry;
}

function lines(
  variables: SourceVariable[],
  empty: string,
  symbolize: (a: number) => string | undefined,
): string[] {
  if (variables.length === 0) return [empty];
  return variables.map((v) => `${v.name} = ${formatValue(v.value(), { symbolize })}`);
}

/** Stops `elf` at the golden's breakpoint (hit number `hit`) and reads the frames. */
export async function boardmapStop(elf: string, golden: GoldenStop, hit: number): Promise<OurStop> {
  const { elf: file, symbols, frames: table } = loadOracleElf(elf);
  const machine = virt();
  machine.loadProgram(readFileSync(elfPath(elf)), { name: `${elf}.elf` });
  for (const address of golden.breakpointAddresses) machine.addBreakpoint(address);
  for (let n = 0; n < hit; n++) {
    const stop = await machine.run({ maxInstructions: 20_000_000 });
    if (stop.reason !== 'breakpoint')
      throw new Error(`run ended with ${stop.reason} before hit ${n + 1}`);
  }
  const readMemory = (address: number, length: number) => machine.readMemory(address, length);
  const readWord = (address: number) => {
    const r = machine.readMemory(address, 4);
    return r.status.some((s) => s !== 0)
      ? undefined
      : new DataView(r.data.buffer, r.data.byteOffset).getUint32(0, true);
  };
  const x = Array.from({ length: 32 }, (_, i) => machine.cpu.readRegister(i));
  const pc = machine.cpu.pc;
  const unwound = unwindStack(table, { pc, x }, readWord);
  // Caller links, built from the outermost frame in.
  const states: FrameState[] = [];
  for (let level = unwound.length - 1; level >= 0; level--) {
    const f = unwound[level]!;
    states[level] = { level, pc: f.pc, registers: f.x, cfa: f.cfa, caller: states[level + 1] };
  }
  const virtualFrames: (SourceFrame | { functionName: string; placeholder: true })[] = [];
  for (const state of states) {
    // Every oracle stop is a user breakpoint.
    const found = symbols.framesAt(state, readMemory, { atUserBreakpoint: true });
    if (found.length > 0) virtualFrames.push(...found);
    else
      virtualFrames.push({
        functionName: file.symbols.lookup(state.pc)?.symbol.name ?? '??',
        placeholder: true,
      });
  }
  const symbolize = symbols.symbolize;
  const frames = virtualFrames.map((f): OurFrame => {
    if ('placeholder' in f)
      return { function: f.functionName, args: [], locals: [], localGroups: [] };
    return {
      function: f.functionName,
      args: lines(f.arguments(), 'No arguments.', symbolize),
      locals: lines(f.locals(), 'No locals.', symbolize),
      localGroups: f
        .localScopes()
        .map((s) => ({ count: s.variables.length, isFunction: s.isFunction })),
    };
  });
  const frame0 =
    virtualFrames[0] && !('placeholder' in virtualFrames[0]) ? virtualFrames[0] : undefined;
  const scope = frameExpressionScope(
    symbols,
    frame0,
    {
      readMemory,
      writeMemory: (address, bytes) =>
        machine.writeMemory(address, bytes).result === 0
          ? undefined
          : `Cannot access memory at address 0x${address.toString(16)}`,
      writeRegister: (name, value) => {
        const n = riscvRegisterNumber(name);
        return n !== undefined && machine.cpu.writeRegister(n, value);
      },
    },
    pc,
  );
  return {
    pc,
    frames,
    print: (expression) => {
      const query = /^(whatis|ptype) (.*)$/.exec(expression);
      const r = query
        ? typeQuery(query[1] as 'whatis' | 'ptype', query[2]!, scope)
        : printExpression(expression, scope, { symbolize });
      return r.ok ? r.text : r.message;
    },
  };
}
