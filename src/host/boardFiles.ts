/**
 * Board files on a Node file system. The rules, the same for the CLI, the adapter and the
 * extension host:
 *
 * - an include resolves relative to the directory of the including file; an absolute path stays
 *   as written (`path.resolve`);
 * - only regular files are read: a FIFO, a device or a directory is refused before any byte is
 *   read (the file is opened non-blocking and checked with `fstat` on the open descriptor, so a
 *   FIFO cannot block the open and a swapped path cannot slip between check and read);
 * - files over `MAX_BOARD_FILE_BYTES` (4 MiB) are refused (`include "/dev/zero"` is a device
 *   anyway; a huge log file is not a board);
 * - a missing file is `undefined` (the loader says "cannot read"), anything else a refusal
 *   with the reason.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MAX_BOARD_FILE_BYTES, type BoardHost, type BoardReadResult } from '../board';

/** Why a file named on a command line or in a launch configuration cannot be used. */
export class BoardFileError extends Error {}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export function resolveBoardInclude(fromPath: string, include: string): string {
  return resolve(dirname(fromPath), include);
}

function refusal(stats: Stats, maxBytes: number): string | undefined {
  if (stats.isDirectory()) return 'it is a directory';
  if (!stats.isFile()) return 'it is not a regular file';
  if (stats.size > maxBytes) return `it is larger than ${maxBytes / (1024 * 1024)} MiB`;
  return undefined;
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (e as Error).message;
}

function missing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The bytes of the regular file at @path, at most @maxBytes; throws BoardFileError naming the
 * file when it is missing, not a regular file or too large.
 */
export function readRegularFileSync(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw new BoardFileError(missing(e) ? `'${path}' does not exist` : `'${path}': ${reason(e)}`);
  }
  try {
    const why = refusal(fstatSync(fd), maxBytes);
    if (why) throw new BoardFileError(`'${path}' cannot be used: ${why}`);
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buffer, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buffer.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/** Text of a board file (root or include) under the rules above. */
export function readBoardFileSync(path: string): BoardReadResult {
  try {
    return readRegularFileSync(path, MAX_BOARD_FILE_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof BoardFileError && /does not exist$/.test(e.message)) return undefined;
    return { error: e instanceof BoardFileError ? stripPath(e.message, path) : reason(e) };
  }
}

/** The same, without blocking the event loop (the extension host). */
export async function readBoardFile(path: string): Promise<BoardReadResult> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (e) {
    return missing(e) ? undefined : { error: reason(e) };
  }
  try {
    const why = refusal(await handle.stat(), MAX_BOARD_FILE_BYTES);
    if (why) return { error: why };
    const bytes = await handle.readFile();
    if (bytes.length > MAX_BOARD_FILE_BYTES)
      return { error: `it is larger than ${MAX_BOARD_FILE_BYTES / (1024 * 1024)} MiB` };
    return bytes.toString('utf8');
  } catch (e) {
    return { error: reason(e) };
  } finally {
    await handle.close();
  }
}

/** "'<path>' cannot be used: it is a directory" → "it is a directory" (the include names the file). */
function stripPath(message: string, path: string): string {
  const prefix = `'${path}' cannot be used: `;
  if (message.startsWith(prefix)) return message.slice(prefix.length);
  const short = `'${path}': `;
  return message.startsWith(short) ? message.slice(short.length) : message;
}

/** Includes relative to the including file, read from disk under the rules above. */
export const nodeBoardHost: BoardHost = {
  readFile: readBoardFileSync,
  resolveInclude: resolveBoardInclude,
};
