/**
 * Exports a memory range as a raw binary (unreadable bytes zero-filled and counted) or Intel HEX
 * (unreadable bytes left out), reading in 64 KiB chunks through the MemoryClient. No vscode import.
 */
import {
  MAX_READ_EX_BYTES,
  decodeBase64,
  expandStatus,
  type ExportFormat,
} from '../../../protocol';
import { IntelHexWriter } from './intelHex';
import type { MemoryClient } from './memoryClient';

/**
 * Larger exports are refused. The file is written as it is read (64 KiB at a time), so the cap
 * bounds the time an export takes (each chunk is a DAP round trip), not memory: 1 GiB is about
 * 16,000 reads.
 */
export const MAX_EXPORT_BYTES = 1n << 30n;
/** Intel HEX text is about 2.8 times the data. */
export const MAX_IHEX_EXPORT_BYTES = 256n * 1024n * 1024n;

export interface ExportOutput {
  content: Uint8Array;
  bytes: number;
  unreadable: number;
}

/** Why [start, start+length) cannot be exported as `format`, before anything is asked or read. */
export function exportProblem(
  start: bigint,
  length: bigint,
  format: ExportFormat,
): string | undefined {
  if (length <= 0n) return 'nothing selected to export';
  const cap = format === 'ihex' ? MAX_IHEX_EXPORT_BYTES : MAX_EXPORT_BYTES;
  if (length > cap)
    return `export of ${length} bytes refused: at most ${cap} bytes (${Number(cap >> 20n)} MiB) as ${format}`;
  if (format === 'ihex' && start + length > 1n << 32n)
    return 'Intel HEX addresses stop at 4 GiB: export this range as binary';
  return undefined;
}

/** Where an export goes, chunk by chunk, in order. */
export type ExportSink = (chunk: Uint8Array) => Promise<void>;

export interface ExportProgress {
  /** Bytes read so far of the range. */
  report(done: number, total: number): void;
  /** True once the user cancelled: the export stops before its next read. */
  readonly cancelled: boolean;
}

/**
 * Reads [start, start+length) in 64 KiB chunks and hands each one, encoded, to `sink`: binary
 * (unreadable bytes as 00, counted) or Intel HEX (unreadable bytes left out). Throws when
 * cancelled, after what was written so far.
 */
export async function exportRange(
  client: Pick<MemoryClient, 'read'>,
  start: bigint,
  length: bigint,
  format: ExportFormat,
  sink: ExportSink,
  progress?: ExportProgress,
): Promise<Omit<ExportOutput, 'content'>> {
  const problem = exportProblem(start, length, format);
  if (problem) throw new Error(problem);
  const total = Number(length);
  const hex = format === 'ihex' ? new IntelHexWriter() : undefined;
  const text = new TextEncoder();
  let unreadable = 0;
  for (let done = 0; done < total;) {
    if (progress?.cancelled) throw new Error(`export cancelled after ${done} of ${total} bytes`);
    const count = Math.min(MAX_READ_EX_BYTES, total - done);
    const address = start + BigInt(done);
    const page = await client.read(address, count);
    const data = decodeBase64(page.data);
    const status = expandStatus(page.status, count);
    for (let i = 0; i < count; i++) {
      if (status[i] === 0) continue;
      unreadable++;
      data[i] = 0;
    }
    await sink(
      hex ? text.encode(hex.write({ address, data, readable: (i) => status[i] === 0 })) : data,
    );
    done += count;
    progress?.report(done, total);
  }
  if (hex) await sink(text.encode(hex.end()));
  return { bytes: total, unreadable };
}

/** The whole export in memory (tests, small ranges). */
export async function exportRangeToBytes(
  client: Pick<MemoryClient, 'read'>,
  start: bigint,
  length: bigint,
  format: ExportFormat,
): Promise<ExportOutput> {
  const chunks: Uint8Array[] = [];
  const result = await exportRange(client, start, length, format, (chunk) => {
    chunks.push(chunk);
    return Promise.resolve();
  });
  const content = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    content.set(c, at);
    at += c.length;
  }
  return { ...result, content };
}
