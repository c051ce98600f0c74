/**
 * Intel HEX (I32HEX) writer: data records of up to 16 bytes, extended linear address records when
 * the upper 16 address bits change, an end-of-file record. Unreadable bytes are left out, which the
 * format allows (gaps). Pure: no vscode, no Node.
 */

export interface HexChunk {
  address: bigint;
  data: Uint8Array;
  /** Optional per-byte mask: false = unreadable, omitted from the output. */
  readable?: (offset: number) => boolean;
}

const RECORD_BYTES = 16;
const I32_LIMIT = 1n << 32n;

/** Incremental writer, so a large export is produced chunk by chunk without holding it all. */
export class IntelHexWriter {
  private upper: number | undefined;
  private finished = false;

  /** Records for one chunk (lines ending in `\n`). Throws for addresses beyond 32 bits. */
  write(chunk: HexChunk): string {
    if (this.finished) throw new Error('Intel HEX: write after end');
    const end = chunk.address + BigInt(chunk.data.length);
    if (chunk.address < 0n || end > I32_LIMIT) {
      throw new Error(
        `Intel HEX can only hold addresses below 4 GiB; 0x${chunk.address.toString(16)}–` +
          `0x${(end - 1n).toString(16)} does not fit (export as binary instead)`,
      );
    }
    let out = '';
    let i = 0;
    const readable = chunk.readable ?? (() => true);
    while (i < chunk.data.length) {
      if (!readable(i)) {
        i++;
        continue;
      }
      const address = Number(chunk.address) + i;
      // A record never crosses a 64 KiB boundary (its 16-bit offset would wrap) nor a gap.
      const segmentEnd = (Math.floor(address / 0x10000) + 1) * 0x10000;
      let n = 0;
      while (
        n < RECORD_BYTES &&
        i + n < chunk.data.length &&
        address + n < segmentEnd &&
        readable(i + n)
      ) {
        n++;
      }
      const upper = Math.floor(address / 0x10000);
      if (upper !== this.upper) {
        out += record(0x04, 0, Uint8Array.of(upper >> 8, upper & 0xff));
        this.upper = upper;
      }
      out += record(0x00, address & 0xffff, chunk.data.subarray(i, i + n));
      i += n;
    }
    return out;
  }

  /** The end-of-file record. */
  end(): string {
    this.finished = true;
    return ':00000001FF\n';
  }
}

/** Whole-file convenience over {@link IntelHexWriter}. */
export function toIntelHex(chunks: readonly HexChunk[]): string {
  const writer = new IntelHexWriter();
  return chunks.map((c) => writer.write(c)).join('') + writer.end();
}

function record(type: number, offset: number, data: Uint8Array): string {
  const bytes = [data.length, offset >> 8, offset & 0xff, type, ...data];
  const sum = bytes.reduce((a, b) => a + b, 0);
  bytes.push((0x100 - (sum & 0xff)) & 0xff);
  return `:${bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('')}\n`;
}
