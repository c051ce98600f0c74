/**
 * `boardmap run <board> [--kernel file] [--max-insns N] [--trace mmio]`: runs a program on a
 * board headless. Console output (UART, HTIF, semihosting) goes to stdout byte for byte; the
 * exit status is the firmware's (finisher, tohost, semihosting exit). `--trace mmio` prints one
 * line per device access to stderr:
 *   `mmio pc=0x80000010 serial+0x5 r1 0x60 LSR`   (read, 1 byte, value, register)
 *   `mmio pc=0x80000014 serial+0x0 w1 0x48 THR`   (write)
 * Boardmap's own failures use statuses the firmware examples do not: 2 usage, 1 bad board or
 * program, 124 instruction budget used up, 125 the hart is stuck (fault loop or idle in wfi).
 */
import { hex } from '../../engine';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  Machine,
  MachineError,
  ProgramLoadError,
  type MachineStop,
  type MmioAccess,
} from '../../machine';
import { resolveBoard } from '../boards';
import { nodeBoardHost, splitArgs, type CliIO, type Command } from '../io';
import { formatDiagnostics } from '../report';

export const EXIT_BUDGET = 124;
export const EXIT_STUCK = 125;

export function formatMmioAccess(a: MmioAccess): string {
  const dir = a.isWrite ? 'w' : 'r';
  const reg = a.register ? ` ${a.register}` : '';
  return `mmio pc=${hex(a.pc, 8)} ${a.region}+${hex(a.offset)} ${dir}${a.size} ${hex(a.value)}${reg}\n`;
}

/** Reads a program file; undefined (with a message on stderr) when it cannot be read. */
function readProgram(path: string, shown: string, io: CliIO): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(
      `boardmap run: ${shown}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`,
    );
    return undefined;
  }
}

export interface RunSetup {
  readonly machine: Machine;
  readonly programPath: string | undefined;
}

/** Builds the machine for `boardArg` and loads `kernel` (or the board's `boot`); reports errors. */
export function prepareMachine(
  boardArg: string,
  kernel: string | undefined,
  io: CliIO,
): RunSetup | undefined {
  const source = resolveBoard(boardArg, io.cwd);
  if (!source) {
    io.stderr(`boardmap run: no board file or built-in board '${boardArg}'\n`);
    return undefined;
  }
  if ('error' in source) {
    io.stderr(`boardmap run: cannot read ${boardArg}: ${source.error}\n`);
    return undefined;
  }
  let machine: Machine;
  try {
    machine = Machine.fromBoard(source.uri, source.text, {
      boardHost: nodeBoardHost,
      host: { yieldToHost: () => new Promise((r) => setImmediate(r)) },
    });
  } catch (e) {
    if (e instanceof MachineError && e.compiled) {
      const errors = e.compiled.diagnostics.filter((d) => d.severity === 1);
      if (errors.length > 0) io.stderr(formatDiagnostics(e.compiled.model.program, errors, io.cwd));
      else io.stderr(`boardmap run: ${e.message}\n`);
      return undefined;
    }
    if (e instanceof MachineError) {
      io.stderr(`boardmap run: ${e.message}\n`);
      return undefined;
    }
    throw e;
  }
  const boot = machine.board.cpus[0]?.boot;
  const programPath =
    kernel !== undefined
      ? resolve(io.cwd, kernel)
      : boot !== undefined && !source.uri.startsWith('builtin:')
        ? resolve(dirname(source.uri), boot)
        : undefined;
  if (programPath === undefined) {
    io.stderr(
      `boardmap run: no program to run: pass --kernel <file.elf> (or write boot = "file" on the board's cpu)\n`,
    );
    return undefined;
  }
  const shown = kernel ?? programPath;
  const bytes = readProgram(programPath, shown, io);
  if (!bytes) return undefined;
  try {
    machine.loadProgram(bytes, { name: shown });
  } catch (e) {
    if (e instanceof ProgramLoadError) {
      io.stderr(`boardmap run: ${e.message}\n`);
      return undefined;
    }
    throw e;
  }
  for (const w of machine.warnings) io.stderr(`boardmap run: warning: ${w}\n`);
  return { machine, programPath };
}

/** The CLI's exit status and message for a final stop. */
export function reportStop(stop: MachineStop, io: CliIO): number {
  switch (stop.reason) {
    case 'exited':
      return stop.exitCode! > 255 || stop.exitCode! < 0 ? 255 : stop.exitCode!;
    case 'budget':
      io.stderr(
        `boardmap run: the firmware did not finish: ${stop.message ?? 'instruction budget used up'} (pc ${hex(stop.pc, 8)}); raise --max-insns if it needs longer\n`,
      );
      return EXIT_BUDGET;
    case 'fault':
    case 'idle':
      io.stderr(
        `boardmap run: ${stop.message ?? stop.reason} (after ${stop.instructionCount} instructions)\n`,
      );
      return EXIT_STUCK;
    default:
      io.stderr(`boardmap run: stopped: ${stop.reason} at pc ${hex(stop.pc, 8)}\n`);
      return EXIT_STUCK;
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a program on a board: console on stdout, the firmware exit status as ours',
  usage:
    'boardmap run <file.board | virt | spike> [--kernel file.elf] [--max-insns N] [--trace mmio]',
  async run(args, io) {
    const { flags, positional } = splitArgs(args, ['--kernel', '--max-insns', '--trace']);
    const unknown = [...flags.keys()].filter(
      (f) => !['--kernel', '--max-insns', '--trace'].includes(f),
    );
    const usage = (why: string): number => {
      io.stderr(`boardmap run: ${why}\nusage: ${this.usage}\n`);
      return 2;
    };
    if (unknown.length > 0) return usage(`unknown option ${unknown[0]}`);
    if (positional.length !== 1) return usage('expected exactly one board');
    const trace = flags.get('--trace');
    if (trace !== undefined && trace !== 'mmio') return usage(`--trace takes 'mmio'`);
    let maxInsns: number | undefined;
    const rawMax = flags.get('--max-insns');
    if (rawMax !== undefined) {
      const n = typeof rawMax === 'string' ? Number(rawMax.replace(/_/g, '')) : NaN;
      if (!Number.isSafeInteger(n) || n <= 0) {
        return usage(`--max-insns needs a positive integer, got '${String(rawMax)}'`);
      }
      maxInsns = n;
    }
    const kernel = flags.get('--kernel');
    if (kernel === true || kernel === '') return usage('--kernel needs a file');
    const setup = prepareMachine(positional[0]!, kernel, io);
    if (!setup) return 1;
    const { machine } = setup;
    machine.onOutput((o) => {
      if (io.stdoutBytes) io.stdoutBytes(Buffer.from(o.text, 'latin1'));
      else io.stdout(o.text);
    });
    if (trace) machine.mmioTrace = (a) => io.stderr(formatMmioAccess(a));
    const stop = await machine.run(maxInsns !== undefined ? { maxInstructions: maxInsns } : {});
    return reportStop(stop, io);
  },
};
