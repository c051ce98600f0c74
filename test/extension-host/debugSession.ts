/**
 * Helpers for extension-host tests that drive a real Boardmap debug session: start it through
 * vscode.debug, record its DAP traffic with a DebugAdapterTracker (so tests can assert what VS Code
 * itself sent to the adapter and what came back), and end it.
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';

export interface DapMessage {
  type: 'request' | 'response' | 'event';
  seq: number;
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  arguments?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

/** One request VS Code (or a customRequest) sent, with the adapter's response once it came. */
export interface DapExchange {
  request: DapMessage;
  response?: DapMessage;
}

/** Records every request/response pair and event of the sessions of one debug type. */
export class DapRecorder implements vscode.Disposable {
  readonly exchanges: DapExchange[] = [];
  readonly events: DapMessage[] = [];
  private readonly registration: vscode.Disposable;
  private readonly listeners = new Set<() => void>();

  constructor(debugType: string) {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory(debugType, {
      createDebugAdapterTracker: () => ({
        onWillReceiveMessage: (m: DapMessage) => {
          if (m.type === 'request') this.exchanges.push({ request: m });
          this.notify();
        },
        onDidSendMessage: (m: DapMessage) => {
          if (m.type === 'response') {
            const exchange = this.exchanges.find((e) => e.request.seq === m.request_seq);
            if (exchange) exchange.response = m;
          } else if (m.type === 'event') this.events.push(m);
          this.notify();
        },
      }),
    });
  }

  /** Exchanges of one command from index `since` on (take `mark()` before acting). */
  commands(command: string, since = 0): DapExchange[] {
    return this.exchanges.slice(since).filter((e) => e.request.command === command);
  }

  mark(): number {
    return this.exchanges.length;
  }

  /** Resolves once `condition` holds for the recorded traffic; rejects after `timeoutMs`. */
  until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  dispose(): void {
    this.registration.dispose();
    this.listeners.clear();
  }
}

/** Starts a debug session of `config` and resolves with it once it has started. */
export async function startSession(
  folder: vscode.WorkspaceFolder | undefined,
  config: vscode.DebugConfiguration,
): Promise<vscode.DebugSession> {
  let started: vscode.DebugSession | undefined;
  const subscription = vscode.debug.onDidStartDebugSession((s) => {
    if (s.configuration.name === config.name) started = s;
  });
  try {
    const ok = await vscode.debug.startDebugging(folder, config);
    if (!ok) throw new Error(`vscode.debug.startDebugging refused ${JSON.stringify(config)}`);
  } finally {
    subscription.dispose();
  }
  const session = started ?? vscode.debug.activeDebugSession;
  if (!session || session.configuration.name !== config.name) {
    throw new Error(`startDebugging succeeded but no session named '${config.name}' started`);
  }
  return session;
}

/** Stops a session and resolves when VS Code reports it terminated. */
export async function stopSession(session: vscode.DebugSession, timeoutMs = 10_000): Promise<void> {
  let subscription: vscode.Disposable | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const terminated = new Promise<void>((resolve, reject) => {
    subscription = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id === session.id) resolve();
    });
    timer = setTimeout(
      () => reject(new Error(`session ${session.id} not terminated after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await vscode.debug.stopDebugging(session);
    await terminated;
  } finally {
    subscription?.dispose();
    clearTimeout(timer);
  }
}

export interface LoadSegment {
  address: number;
  bytes: Uint8Array;
}

export interface Elf32Image {
  entry: number;
  segments: LoadSegment[];
}

/**
 * The entry point and the file-backed bytes of an ELF32 little-endian image's PT_LOAD segments:
 * what a loader puts in memory (the bss part, memsz beyond filesz, is left out).
 */
export function readElf32Image(path: string): Elf32Image {
  const file = readFileSync(path);
  if (file.readUInt32BE(0) !== 0x7f454c46 || file[4] !== 1 || file[5] !== 1) {
    throw new Error(`${path} is not a little-endian ELF32 file`);
  }
  const phoff = file.readUInt32LE(28);
  const phentsize = file.readUInt16LE(42);
  const phnum = file.readUInt16LE(44);
  const PT_LOAD = 1;
  const segments: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (file.readUInt32LE(ph) !== PT_LOAD) continue;
    const offset = file.readUInt32LE(ph + 4);
    const paddr = file.readUInt32LE(ph + 12);
    const filesz = file.readUInt32LE(ph + 16);
    if (filesz > 0)
      segments.push({ address: paddr, bytes: file.subarray(offset, offset + filesz) });
  }
  return { entry: file.readUInt32LE(24), segments };
}
