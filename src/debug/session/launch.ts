/**
 * Launch: turns the launch configuration (`board`: a .board file or a built-in name, `program`:
 * ELF or raw binary, optional) into a Machine with its program and debug information.
 */
import { AdapterError, AdapterErrorCode } from '../errors';
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MAX_BOARD_FILE_BYTES } from '../../board';
import { nodeBoardHost } from '../../host';
import type { AddressSpace, MemorySystem } from '../../engine';
import { DebugInfo, Machine, findBuiltinBoard } from '../../machine';

export interface BoardmapLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** A .board file (relative to cwd) or a built-in board name (`virt`, `spike`). */
  board?: unknown;
  /** ELF or raw binary to load; optional. */
  program?: unknown;
  /** Load address of a raw binary (number or hex string). */
  loadAddress?: unknown;
  stopOnEntry?: unknown;
  cwd?: unknown;
  /** Set by the extension: `<scheme>://<extension id>/hex`, the base of hex editor links. */
  __hexEditorLink?: unknown;
  /** Pad unmapped bytes in readMemory instead of reporting them (not used by VS Code's path). */
  trace?: unknown;
}

export class LaunchError extends AdapterError {
  constructor(message: string) {
    super(AdapterErrorCode.LaunchFailed, message);
  }
}

export interface LaunchedMachine {
  readonly machine: Machine;
  readonly debugInfo: DebugInfo | undefined;
  /** The board file path, or `builtin:virt.board`. */
  readonly boardUri: string;
  readonly programPath: string | undefined;
  /** The image as loaded (restart compares it with the file on disk). */
  programBytes: Uint8Array | undefined;
  readonly loadAddress: number | undefined;
  readonly stopOnEntry: boolean;
}

/** Largest board file a launch reads: the cap of every board file and include (src/host). */
export const MAX_BOARD_BYTES = MAX_BOARD_FILE_BYTES;
/** Largest program (ELF or raw binary) a launch reads. */
export const MAX_PROGRAM_BYTES = 256 << 20;

/**
 * Reads a launch file: only a regular file (a FIFO or a device would block the launch for ever,
 * a directory cannot be loaded) of at most @max bytes. Opened non-blocking and checked on the
 * open descriptor, so what is checked is what is read. Throws LaunchError naming @what.
 */
export function readLaunchFile(path: string, max: number, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new LaunchError(`launch: cannot read ${what} '${path}': ${(e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isDirectory()
        ? 'a directory'
        : st.isFIFO()
          ? 'a FIFO'
          : st.isSocket()
            ? 'a socket'
            : st.isCharacterDevice() || st.isBlockDevice()
              ? 'a device'
              : 'not a regular file';
      throw new LaunchError(`launch: ${what} '${path}' is ${kind}, not a regular file`);
    }
    if (st.size > max) {
      throw new LaunchError(
        `launch: ${what} '${path}' is ${st.size} bytes, more than the ${max} a launch reads`,
      );
    }
    const out = Buffer.alloc(st.size);
    let got = 0;
    while (got < out.length) {
      const n = readSync(fd, out, got, out.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return got === out.length ? out : out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function isPresent(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function yieldToHost(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/**
 * How long a hart asleep in wfi with nothing to wake it (no timer armed, no input queued) gives
 * the host before looking again: short enough that pause, disconnect and UART input are
 * noticed within a few ms, long enough that an idle session does not spin a core.
 */
export const IDLE_WAIT_MS = 4;

function idleWait(): Promise<void> {
  return new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
}

/** Builds and loads the machine a launch request describes; throws LaunchError with a message for the user. */
export function launchMachine(args: BoardmapLaunchArguments, batchSize?: number): LaunchedMachine {
  if (args.cwd !== undefined && typeof args.cwd !== 'string')
    throw new LaunchError("launch: 'cwd' must be a path");
  const cwd = typeof args.cwd === 'string' ? args.cwd : process.cwd();
  if (typeof args.board !== 'string' || args.board === '') {
    throw new LaunchError(
      "launch: 'board' must name a .board file or a built-in board (virt, spike)",
    );
  }
  if (args.program !== undefined && typeof args.program !== 'string') {
    throw new LaunchError("launch: 'program' must be a path to an ELF file or raw binary");
  }
  if (args.stopOnEntry !== undefined && typeof args.stopOnEntry !== 'boolean') {
    throw new LaunchError("launch: 'stopOnEntry' must be true or false");
  }
  const options = {
    host: { yieldToHost, idleWait },
    whenIdle: 'wait' as const,
    ...(batchSize ? { batchSize } : {}),
  };
  const boardPath = resolve(cwd, args.board);
  let machine: Machine;
  let boardUri: string;
  try {
    if (isPresent(boardPath)) {
      boardUri = boardPath;
      const text = readLaunchFile(boardPath, MAX_BOARD_BYTES, 'board').toString('utf8');
      machine = Machine.fromBoard(boardPath, text, {
        ...options,
        boardHost: nodeBoardHost,
      });
    } else if (findBuiltinBoard(args.board)) {
      boardUri = findBuiltinBoard(args.board)!.uri;
      machine = Machine.builtin(args.board, options);
    } else {
      throw new LaunchError(
        `launch: no board file '${boardPath}' and no built-in board '${args.board}' (built-in: virt, spike)`,
      );
    }
  } catch (e) {
    if (e instanceof LaunchError) throw e;
    const diagnostics = (e as { diagnostics?: { diagnostics?: readonly { message: string }[] } })
      .diagnostics;
    const first = diagnostics?.diagnostics?.[0]?.message;
    throw new LaunchError(`launch: ${(e as Error).message}${first ? ` (${first})` : ''}`);
  }
  let programPath: string | undefined;
  const bootFromBoard = machine.board.cpus[0]?.boot;
  if (typeof args.program === 'string' && args.program !== '')
    programPath = resolve(cwd, args.program);
  else if (bootFromBoard && !boardUri.startsWith('builtin:'))
    programPath = resolve(dirname(boardUri), bootFromBoard);
  let debugInfo: DebugInfo | undefined;
  let programBytes: Uint8Array | undefined;
  const address = parseLoadAddress(args.loadAddress);
  if (programPath) {
    let bytes: Uint8Array;
    try {
      bytes = readLaunchFile(programPath, MAX_PROGRAM_BYTES, 'program');
    } catch (e) {
      machine.dispose();
      throw e;
    }
    programBytes = bytes;
    try {
      const image = machine.loadProgram(bytes, {
        name: programPath,
        ...(address !== undefined ? { address } : {}),
      });
      if (image.elf) debugInfo = new DebugInfo(image.elf, { baseDirectory: dirname(programPath) });
    } catch (e) {
      machine.dispose();
      throw new LaunchError(`launch: ${(e as Error).message}`);
    }
  }
  return {
    machine,
    debugInfo,
    boardUri,
    programPath,
    programBytes,
    loadAddress: address,
    stopOnEntry: args.stopOnEntry === true,
  };
}

function parseLoadAddress(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value.replace(/_/g, '')) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n >= 2 ** 32) {
    throw new LaunchError(
      `launch: 'loadAddress' must be a 32-bit address, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Topology ids of the address spaces (the rule of debug/topology.ts: name, then name#1, …). */
export function addressSpaceIds(system: MemorySystem): Map<string, AddressSpace> {
  const ids = new Map<string, AddressSpace>();
  const counts = new Map<string, number>();
  for (const as of system.addressSpaces) {
    if (!as.root) continue;
    const n = counts.get(as.name) ?? 0;
    counts.set(as.name, n + 1);
    ids.set(n === 0 ? as.name : `${as.name}#${n}`, as);
  }
  return ids;
}

export function isAbsoluteSource(path: string): boolean {
  return isAbsolute(path);
}
