/**
 * Test helpers: a real DAP client (@vscode/debugadapter-testsupport) talking to dist/adapter.js
 * over stdio, and the example firmware paths.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const root = join(__dirname, '..', '..');
export const adapterPath = join(root, 'dist', 'adapter.js');
export const cliPath = join(root, 'dist', 'cli.js');
export const firmware = join(root, 'examples', 'firmware');
export const helloElf = join(firmware, 'build', 'hello.elf');
export const helloC = join(firmware, 'src', 'hello.c');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function upToDate(): boolean {
  const sources = Math.max(
    ...['src/debug', 'src/machine', 'src/engine', 'src/board', 'src/protocol', 'src/cli'].map((d) =>
      newestMtime(join(root, d)),
    ),
  );
  return [adapterPath, cliPath].every((p) => existsSync(p) && statSync(p).mtimeMs >= sources);
}

/** Test files may run in parallel: one build at a time (mkdir is atomic), others wait for it. */
function withBuildLock(fn: () => void): void {
  const lock = join(tmpdir(), 'boardmap-debug-tests-build.lock');
  const start = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - start > 180_000) rmSync(lock, { recursive: true, force: true }); // stale
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds dist/ when the adapter bundle is missing or older than the sources. */
export function ensureBuilt(): void {
  if (upToDate()) return;
  withBuildLock(() => {
    if (upToDate()) return; // another test file built it while we waited
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
        cwd: root,
        stdio: 'pipe',
      });
    } catch (e) {
      // Another area's half-finished code can break the whole build; test the last good bundle then.
      if (!existsSync(adapterPath)) throw e;
      process.stderr.write(`warning: npm run build failed; testing the existing dist/adapter.js\n`);
    }
  });
}

export async function startClient(
  initialize: Partial<DebugProtocol.InitializeRequestArguments> = {},
): Promise<DebugClient> {
  ensureBuilt();
  const dc = new DebugClient('node', adapterPath, 'boardmap', { stdio: ['pipe', 'pipe', 'pipe'] });
  dc.defaultTimeout = 20_000;
  await dc.start();
  await dc.initializeRequest({
    adapterID: 'boardmap',
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
    supportsMemoryReferences: true,
    supportsMemoryEvent: true,
    supportsInvalidatedEvent: true,
    ...initialize,
  });
  return dc;
}

export interface LaunchOptions {
  board?: string;
  program?: string;
  stopOnEntry?: boolean;
  before?: (dc: DebugClient) => Promise<unknown>;
  /** Wait for the first stop (default); false for a program that runs to its end. */
  expectStop?: boolean;
  /** More launch arguments (e.g. what the extension adds, like `__hexEditorLink`). */
  extra?: Record<string, unknown>;
}

/**
 * Launches, runs `before` (breakpoints) between initialized and configurationDone, and returns
 * the first `stopped` event (entry, or the first breakpoint).
 */
export async function launch(
  dc: DebugClient,
  options: LaunchOptions = {},
): Promise<DebugProtocol.StoppedEvent> {
  const initialized = dc.waitForEvent('initialized');
  await dc.launchRequest({
    board: options.board ?? 'virt',
    ...('program' in options
      ? options.program
        ? { program: options.program }
        : {}
      : { program: helloElf }),
    stopOnEntry: options.stopOnEntry ?? true,
    cwd: root,
    ...options.extra,
  } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  if (options.before) await options.before(dc);
  if (options.expectStop === false) {
    await dc.configurationDoneRequest();
    return undefined as unknown as DebugProtocol.StoppedEvent;
  }
  const [stopped] = await Promise.all([dc.waitForEvent('stopped'), dc.configurationDoneRequest()]);
  return stopped as DebugProtocol.StoppedEvent;
}

/** Sends a run request and waits for the `stopped` event it causes (registered first: no race). */
export async function runTo(
  dc: DebugClient,
  request: Promise<unknown>,
): Promise<DebugProtocol.StoppedEvent> {
  const [stopped] = await Promise.all([dc.waitForEvent('stopped'), request]);
  return stopped as DebugProtocol.StoppedEvent;
}

/**
 * Resolves once the client has handled every message the adapter sent before this call: the
 * response to a request comes after them on the ordered DAP stream. The events the adapter sends
 * with a stop or a write (memory, invalidated, output flushed at the stop) have all arrived then —
 * where sleeping a fixed time lets them arrive late on a busy machine.
 */
export async function settle(dc: DebugClient): Promise<void> {
  await dc.threadsRequest();
}

/** Resolves when `count` events named `event` have arrived from now on; fails after `timeoutMs`. */
export function nextEvents<T extends DebugProtocol.Event>(
  dc: DebugClient,
  event: string,
  count: number,
  timeoutMs = 30_000,
): { events: T[]; done: Promise<T[]>; stop: () => void } {
  const events: T[] = [];
  let stop = () => {};
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${events.length} of ${count} '${event}' events in ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (e: T) => {
      events.push(e);
      if (events.length === count) {
        clearTimeout(timer);
        resolve(events);
      }
    };
    dc.on(event, listener);
    stop = () => {
      clearTimeout(timer);
      dc.off(event, listener);
    };
  });
  return { events, done, stop };
}

/** Collects all `output` events (category stdout) as one string. */
export function collectOutput(dc: DebugClient): { text: () => string } {
  let text = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout') text += e.body.output;
  });
  return { text: () => text };
}

/** Waits until `predicate(output)` holds or times out. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function base64(bytes: number[] | Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * CPU time (user + system, seconds) the adapter child process has used so far, from
 * /proc/<pid>/stat (Linux; clock ticks at the usual USER_HZ of 100).
 */
export function adapterCpuSeconds(dc: DebugClient): number {
  const child = (dc as unknown as { _adapterProcess?: { pid?: number } })._adapterProcess;
  if (!child?.pid) throw new Error('the DebugClient has no adapter child process');
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const USER_HZ = 100;
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}
