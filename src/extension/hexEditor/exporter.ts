/**
 * Exports a memory range as a raw binary (unreadable bytes zero-filled and counted) or Intel HEX
 * (unreadable bytes left out), reading in 64 KiB chunks through the MemoryClient. No vscode import.
 */
import { MAX_READ_EX_BYTES, decodeBase64, expandStatus } from '../../protocol/memory';
import type { ExportFormat } from '../../protocol/hexEditor';
import { IntelHexWriter } from './intelHex';
import type { MemoryClient } from './memoryClient';

/** Larger exports are refused: the file is built in memory before it is written. */
export const MAX_EXPORT_BYTES = 64n * 1024n * 1024n;
/** Intel HEX text is about 2.8 times the data: a lower cap keeps it near the binary's. */
export const MAX_IHEX_EXPORT_BYTES = 16n * 1024n * 1024n;

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

export async function exportRange(
  client: Pick<MemoryClient, 'read'>,
  start: bigint,
  length: bigint,
  format: ExportFormat,
): Promise<ExportOutput> {
  const problem = exportProblem(start, length, format);
  if (problem) throw new Error(problem);
  const total = Number(length);
  const binary = format === 'binary' ? new Uint8Array(total) : undefined;
  const hex = format === 'ihex' ? new IntelHexWriter() : undefined;
  const parts: string[] = [];
  let unreadable = 0;
  for (let done = 0; done < total;) {
    const count = Math.min(MAX_READ_EX_BYTES, total - done);
    const address = start + BigInt(done);
    const page = await client.read(address, count);
    const data = decodeBase64(page.data);
    const status = expandStatus(page.status, count);
    for (let i = 0; i < count; i++) if (status[i] !== 0) unreadable++;
    if (binary) {
      for (let i = 0; i < count; i++) binary[done + i] = status[i] === 0 ? data[i]! : 0;
    } else {
      parts.push(hex!.write({ address, data, readable: (i) => status[i] === 0 }));
    }
    done += count;
  }
  if (binary) return { content: binary, bytes: total, unreadable };
  parts.push(hex!.end());
  return { content: new TextEncoder().encode(parts.join('')), bytes: total, unreadable };
}
