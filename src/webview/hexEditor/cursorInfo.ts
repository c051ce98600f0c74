/**
 * What the status line and the data inspector say about the cursor, from the pages already held
 * (nothing here reads memory): the region it is in, and the readable bytes from it.
 */
import { STATUS_OK, type PageCache } from './pageCache';
import { regionAt } from './pageDecode';
import { PAGE_SIZE_N } from './scrollModel';

/** Bytes the inspector decodes at most (a 64-bit value). */
const INSPECTED_BYTES = 8n;

/** ` in dram +0x100` for the region at `address`, when its page is loaded. */
export function regionTextAt(cache: PageCache, address: bigint): string {
  const page = cache.peek(address / PAGE_SIZE_N);
  if (!page) return '';
  const region = regionAt(page.regions, address);
  if (!region) return ' (unmapped)';
  const offset =
    region.offsetInRegion !== undefined
      ? ` +0x${(region.offsetInRegion + address - region.start).toString(16)}`
      : '';
  return ` in ${region.name}${offset}`;
}

/**
 * The readable bytes from `origin` (up to 8, stopping at the first unreadable one or the end of
 * the space), and a note when not even the first is readable.
 */
export function inspectedBytes(
  cache: PageCache,
  origin: bigint,
  spaceSize: bigint,
): { bytes: Uint8Array; note?: string } {
  const bytes: number[] = [];
  let note: string | undefined;
  for (let i = 0n; i < INSPECTED_BYTES; i++) {
    const a = origin + i;
    const page = cache.peek(a / PAGE_SIZE_N);
    const offset = Number(a % PAGE_SIZE_N);
    if (a >= spaceSize || !page || page.status[offset] !== STATUS_OK) {
      if (i === 0n) note = page ? 'no readable value here' : 'loading';
      break;
    }
    bytes.push(page.data[offset]!);
  }
  return { bytes: Uint8Array.from(bytes), note };
}
