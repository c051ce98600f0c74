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
  type ExpressionScope,
  sourceStack,
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
  const { symbols, frames: table, lines: lineTable } = loadOracleElf(elf);
  const machine = virt();
  machine.loadProgram(readFileSync(elfPath(elf)), { name: `${elf}.elf` });
  for (const address of golden.breakpointAddresses) machine.addBreakpoint(address);
  for (let n = 0; n < hit; n++) {
    const stop = await machine.run({ maxInstructions: 20_000_000 });
    if (stop.reason !== 'breakpoint')
      throw new Error(`run ended with ${stop.reason} before hit ${n + 1}`);
  }
  const readMemory = (address: number, length: number) => machine.readMemory(address, length);
  const x = Array.from({ length: 32 }, (_, i) => machine.cpu.readRegister(i));
  const pc = machine.cpu.pc;
  // Every oracle stop is a user breakpoint.
  const stack = sourceStack(symbols, table, { pc, x }, readMemory, { atUserBreakpoint: true });
  const symbolize = symbols.symbolize;
  const frames = stack.map(({ frame: f, functionName }): OurFrame => {
    if (!f) return { function: functionName, args: [], locals: [], localGroups: [] };
    return {
      function: f.functionName,
      args: lines(f.arguments(), 'No arguments.', symbolize),
      locals: lines(f.locals(), 'No locals.', symbolize),
      localGroups: f
        .localScopes()
        .map((s) => ({ count: s.variables.length, isFunction: s.isFunction })),
    };
  });
  const target = {
    readMemory,
    writeMemory: (address: number, bytes: Uint8Array) =>
      machine.writeMemory(address, bytes).result === 0
        ? undefined
        : `Cannot access memory at address 0x${address.toString(16)}`,
    writeRegister: (name: string, value: number) => {
      const n = riscvRegisterNumber(name);
      return n !== undefined && machine.cpu.writeRegister(n, value);
    },
  };
  const scopes = new Map<number, ExpressionScope>();
  const scopeOf = (level: number) => {
    let scope = scopes.get(level);
    if (!scope) {
      scope = frameExpressionScope(symbols, stack[level]?.frame, target, pc);
      scopes.set(level, scope);
    }
    return scope;
  };
  const print = (entry: string): string => {
    const step = /^step-into (\w+)$/.exec(entry);
    if (step) {
      // Where Step Into from this line stops in the callee (gdb prints the new frame's line).
      const callee = symbols.functionNamed(step[1]!);
      const entered = callee && symbols.enteredFunction(callee.address, lineTable);
      if (!entered) return `no function ${step[1]}`;
      return `0x${entered.bodyAddress.toString(16)}`;
    }
    const inFrame = /^frame (\d+): (.*)$/.exec(entry);
    const scope = scopeOf(inFrame ? Number(inFrame[1]) : 0);
    const expression = inFrame ? inFrame[2]! : entry;
    const query = /^(whatis|ptype) (.*)$/.exec(expression);
    const r = query
      ? typeQuery(query[1] as 'whatis' | 'ptype', query[2]!, scope)
      : printExpression(expression, scope, { symbolize });
    return r.ok ? r.text : r.message;
  };
  return {
    pc,
    frames,
    print,
  };
}
