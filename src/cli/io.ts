/** What a CLI command gets: arguments, output streams and file access (so tests can drive it). */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readBoardFileSync } from '../host';

/** Board files and includes: the Node host every Node caller shares (src/host). */
export { nodeBoardHost } from '../host';

export interface CliIO {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Raw bytes to stdout (emulated consoles); falls back to stdout(text) when absent. */
  stdoutBytes?(bytes: Uint8Array): void;
}

export interface Command {
  readonly name: string;
  /** One line for `boardmap help`. */
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIO): number | Promise<number>;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/**
 * Reads a file named on the command line (relative to `io.cwd`). When it cannot be read, says so
 * on stderr (`boardmap: cannot read <arg>: <reason>`) and returns undefined.
 */
export function readArgFile(arg: string, io: CliIO): { path: string; text: string } | undefined {
  const path = resolve(io.cwd, arg);
  // Board files only: regular files up to the size cap (a FIFO or a device is refused, not read).
  const text = readBoardFileSync(path);
  if (typeof text === 'string') return { path, text };
  io.stderr(`boardmap: cannot read ${arg}: ${text ? text.error : 'no such file'}\n`);
  return undefined;
}

export function writeText(path: string, text: string): void {
  writeFileSync(path, text, 'utf8');
}

/** Splits `-f -o x.board` style arguments into flags and positionals. */
export function splitArgs(
  args: readonly string[],
  withValue: readonly string[] = [],
): { flags: Map<string, string | true>; positional: string[] } {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-') && a !== '-') {
      if (withValue.includes(a)) flags.set(a, args[++i] ?? '');
      else flags.set(a, true);
    } else positional.push(a);
  }
  return { flags, positional };
}
