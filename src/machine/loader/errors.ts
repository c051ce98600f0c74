/**
 * Typed errors for malformed binary input (ELF files, DWARF sections). Every error names what is
 * wrong and where: the byte offset in the file (or in the named section), what was expected and
 * what was found. The loaders never let a TypeError or RangeError escape for bad input.
 */
import { hex } from '../../engine';

/** Which binary format the error is about. */
export type BinaryFormat = 'ELF' | 'raw binary' | 'DWARF';

export class BinaryFormatError extends Error {
  override readonly name: string = 'BinaryFormatError';
  constructor(
    readonly format: BinaryFormat,
    /** A stable machine-readable reason, e.g. 'truncated', 'bad-magic', 'wrong-machine'. */
    readonly code: string,
    /** Byte offset of the offending field: in the file, or in `section` when that is set. */
    readonly offset: number | undefined,
    /** What is wrong, in words (no location prefix). */
    readonly detail: string,
    /** For DWARF: the section the offset is relative to (e.g. '.debug_line'). */
    readonly section?: string,
    options?: { cause?: unknown },
  ) {
    super(formatMessage(format, offset, detail, section), options);
  }
}

function formatMessage(
  format: BinaryFormat,
  offset: number | undefined,
  detail: string,
  section: string | undefined,
): string {
  if (offset === undefined) return `${format}: ${detail}`;
  const where = section ? `${section} offset ${hex(offset)}` : `file offset ${hex(offset)}`;
  return `${format}: ${detail} (at ${where})`;
}

/** Reasons an ELF file or raw binary is refused. */
export type LoaderErrorCode =
  | 'truncated'
  | 'bad-magic'
  | 'wrong-class'
  | 'wrong-endianness'
  | 'wrong-version'
  | 'wrong-type'
  | 'wrong-machine'
  | 'bad-header'
  | 'bad-program-header'
  | 'bad-section-header'
  | 'bad-string-table'
  | 'bad-symbol-table'
  | 'segment-overlap'
  | 'no-loadable-segment'
  | 'bad-load-address'
  | 'empty'
  | 'segment-not-loadable';

export class LoaderError extends BinaryFormatError {
  override readonly name = 'LoaderError';
  constructor(
    readonly reason: LoaderErrorCode,
    offset: number | undefined,
    detail: string,
    options?: { cause?: unknown; format?: 'ELF' | 'raw binary' },
  ) {
    super(options?.format ?? 'ELF', reason, offset, detail, undefined, options);
  }
}
