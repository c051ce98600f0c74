/**
 * Turns a wire page (base64 bytes, status spans, region spans as hex strings) into the typed arrays
 * the page cache holds, checking what the host sent. Pure: no DOM.
 */
import { decodeBase64, expandStatus, type ReadMemoryExResponse } from '../../protocol';
import type { PageContent, PageRegion } from './pageCache';
import { PAGE_SIZE } from './scrollModel';

export function decodePage(
  expectedAddress: bigint,
  response: ReadMemoryExResponse,
  size = PAGE_SIZE,
): PageContent {
  const address = BigInt(response.address);
  if (address !== expectedAddress) {
    throw new Error(
      `page read for 0x${expectedAddress.toString(16)} answered 0x${address.toString(16)}`,
    );
  }
  const bytes = decodeBase64(response.data);
  const data = new Uint8Array(size);
  data.set(bytes.subarray(0, size));
  const status = expandStatus(response.status, size);
  // Bytes the host did not deliver are not real values, whatever the status said.
  if (bytes.length < size) status.fill(3, bytes.length);
  const regions: PageRegion[] = response.regions.map((r) => ({
    start: BigInt(r.start),
    last: BigInt(r.last),
    name: r.name,
    id: r.id,
    ...(r.offsetInRegion !== undefined ? { offsetInRegion: BigInt(r.offsetInRegion) } : {}),
    kind: r.kind,
    readonly: r.readonly,
    hasRegisters: r.hasRegisters ?? false,
  }));
  return { data, status, regions };
}

/** The region of `regions` containing `address`, if any. */
export function regionAt(regions: readonly PageRegion[], address: bigint): PageRegion | undefined {
  for (const r of regions) if (address >= r.start && address <= r.last) return r;
  return undefined;
}
