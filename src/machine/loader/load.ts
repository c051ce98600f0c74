/**
 * Placing an image into a machine's memory. The loader does not know the memory system: it
 * hands bytes to a LoadTarget that the machine implements with the engine's loader access (which
 * may write ROM). A target refuses a write — a segment outside memory, into a hole or a device —
 * by throwing or by returning `{ error }`; the loader turns either into a LoaderError
 * 'segment-not-loadable' that names the segment, its address range and the target's reason.
 */
import { LoaderError } from './errors';
import { hex } from '../../engine';
import { type ElfFile, type ElfSegment, parseElf } from './elf';
import type { SymbolTable } from './symbols';

/** What a target may answer to a write: nothing (done), or the reason it could not be done. */
export type LoadWriteResult = void | undefined | { readonly error: string };

export interface LoadTarget {
  /** Writes `bytes` at the absolute `address`. */
  write(address: number, bytes: Uint8Array): LoadWriteResult;
  /** Optional fast zero fill for .bss (memsz beyond filesz); otherwise `write` gets zero blocks. */
  zero?(address: number, length: number): LoadWriteResult;
}

export type LoadWriter = LoadTarget | ((address: number, bytes: Uint8Array) => LoadWriteResult);

/** One contiguous range the loader wrote. */
export interface LoadedRange {
  readonly address: number;
  /** Bytes copied from the file. */
  readonly fileSize: number;
  /** Total bytes written (fileSize plus zero fill). */
  readonly memorySize: number;
  /** The program header index, for ELF images. */
  readonly segmentIndex?: number;
}

export interface LoadedImage {
  readonly kind: 'elf' | 'raw';
  readonly entry: number;
  readonly ranges: readonly LoadedRange[];
  /** Empty for raw binaries. */
  readonly symbols?: SymbolTable;
  readonly elf?: ElfFile;
}

export interface ElfLoadOptions {
  /** Place segments at p_paddr (default, as QEMU's load_elf does) or at p_vaddr. */
  readonly addresses?: 'physical' | 'virtual';
}

const ZERO_CHUNK = 64 * 1024;

function toTarget(writer: LoadWriter): LoadTarget {
  return typeof writer === 'function' ? { write: writer } : writer;
}

/** Runs one target call and converts a refusal (thrown or returned) into the caller's error. */
function attempt(
  call: () => LoadWriteResult,
  refuse: (reason: string, cause: unknown) => never,
): void {
  let result: LoadWriteResult;
  try {
    result = call();
  } catch (error) {
    refuse(error instanceof Error ? error.message : String(error), error);
  }
  if (result && typeof result === 'object' && 'error' in result) refuse(result.error, undefined);
}

function writeRange(
  target: LoadTarget,
  address: number,
  data: Uint8Array,
  memorySize: number,
  refuse: (reason: string, cause: unknown) => never,
): void {
  if (data.length > 0) attempt(() => target.write(address, data), refuse);
  let at = address + data.length;
  const end = address + memorySize;
  if (at >= end) return;
  if (target.zero) {
    attempt(() => target.zero!(at, end - at), refuse);
    return;
  }
  const zeros = new Uint8Array(Math.min(ZERO_CHUNK, end - at));
  while (at < end) {
    const n = Math.min(zeros.length, end - at);
    const chunk = zeros.subarray(0, n);
    attempt(() => target.write(at, chunk), refuse);
    at += n;
  }
}

/** Writes every PT_LOAD segment of a parsed ELF (file bytes, then zero fill up to memsz). */
export function loadElfSegments(
  elf: ElfFile,
  writer: LoadWriter,
  options: ElfLoadOptions = {},
): LoadedImage {
  const target = toTarget(writer);
  const ranges: LoadedRange[] = [];
  for (const segment of elf.loadSegments) {
    const address = options.addresses === 'virtual' ? segment.vaddr : segment.paddr;
    const refuse = (reason: string, cause: unknown): never => {
      throw new LoaderError(
        'segment-not-loadable',
        elf.header.phoff + segment.index * 32,
        `segment ${segment.index} (${describeSegment(segment, address)}) cannot be loaded: ${reason}`,
        { cause },
      );
    };
    writeRange(target, address, segment.data, segment.memsz, refuse);
    ranges.push({
      address,
      fileSize: segment.filesz,
      memorySize: segment.memsz,
      segmentIndex: segment.index,
    });
  }
  return { kind: 'elf', entry: elf.entry, ranges, symbols: elf.symbols, elf };
}

/** Parses and loads an ELF file in one step. */
export function loadElf(
  bytes: Uint8Array,
  writer: LoadWriter,
  options: ElfLoadOptions = {},
): LoadedImage {
  return loadElfSegments(parseElf(bytes), writer, options);
}

function describeSegment(segment: ElfSegment, address: number): string {
  const perms = `${segment.flags & 4 ? 'R' : '-'}${segment.flags & 2 ? 'W' : '-'}${segment.flags & 1 ? 'X' : '-'}`;
  return `${hex(address, 8)}..${hex(address + segment.memsz, 8)}, ${segment.memsz} bytes, ${perms}`;
}

/**
 * Loads a raw binary image at `loadAddress`; the entry point is the load address. Refuses an
 * empty file and a range that does not fit in the 32-bit address space.
 */
export function loadRawBinary(
  bytes: Uint8Array,
  loadAddress: number,
  writer: LoadWriter,
): LoadedImage {
  const error = (
    reason: 'empty' | 'bad-load-address' | 'segment-not-loadable',
    detail: string,
    cause?: unknown,
  ): never => {
    throw new LoaderError(reason, reason === 'bad-load-address' ? undefined : 0, detail, {
      cause,
      format: 'raw binary',
    });
  };
  if (!(bytes instanceof Uint8Array)) error('empty', 'expected the file contents as a Uint8Array');
  if (bytes.length === 0) error('empty', 'the file is empty');
  if (!Number.isSafeInteger(loadAddress) || loadAddress < 0 || loadAddress >= 2 ** 32) {
    error('bad-load-address', `load address ${String(loadAddress)} is not a 32-bit address`);
  }
  if (loadAddress + bytes.length > 2 ** 32) {
    error(
      'bad-load-address',
      `${bytes.length} bytes at ${hex(loadAddress, 8)} run past the end of the 32-bit address space`,
    );
  }
  const refuse = (reason: string, cause: unknown): never =>
    error(
      'segment-not-loadable',
      `image (${hex(loadAddress, 8)}..${hex(loadAddress + bytes.length, 8)}, ${bytes.length} bytes) cannot be loaded: ${reason}`,
      cause,
    );
  writeRange(toTarget(writer), loadAddress, bytes, bytes.length, refuse);
  return {
    kind: 'raw',
    entry: loadAddress,
    ranges: [{ address: loadAddress, fileSize: bytes.length, memorySize: bytes.length }],
  };
}

/** True when the bytes start with the ELF magic (to choose between ELF and raw loading). */
export function looksLikeElf(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x7f &&
    bytes[1] === 0x45 &&
    bytes[2] === 0x4c &&
    bytes[3] === 0x46
  );
}
