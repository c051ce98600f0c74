// Spawns the built CLI (dist/cli.js; `npm test` builds it first) and collects its result.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FirmwareRun } from './firmwareRuns';

export const repoRoot = join(__dirname, '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli.js');

export interface CliResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly status: number | null;
  readonly timedOut: boolean;
}

export function runCli(args: readonly string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        status,
        timedOut,
      });
    });
  });
}

/** `boardmap run` arguments for an example firmware on its board. */
export function runArgs(fw: FirmwareRun): string[] {
  const board = fw.board === 'remap' ? join('examples', 'remap.board') : fw.board;
  return ['run', board, '--kernel', fw.elfPath];
}
