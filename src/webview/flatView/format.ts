/** Text for the flat view: addresses, sizes, kinds and the colour class of a range. */
import { formatSize, type FlatRangeInfo, type MtreeType } from '../../protocol';
import type { Segment } from './layout';

/** `0x8000_0000` style: hex with `_` every 4 digits, readable at a glance. */
export function shortHex(value: bigint): string {
  const digits = value.toString(16);
  return `0x${digits.replace(/\B(?=(?:[0-9a-f]{4})+$)/g, '_')}`;
}

export const TYPE_WORDS: Readonly<Record<MtreeType, string>> = {
  ram: 'RAM',
  rom: 'ROM',
  romd: 'ROM device',
  ramd: 'RAM device',
  'i/o': 'MMIO',
};

/** CSS class of a range's colour. */
export function kindClass(range: FlatRangeInfo): string {
  return `kind-${range.mtreeType === 'i/o' ? 'io' : range.mtreeType}`;
}

export function segmentSize(segment: Segment): string {
  return formatSize(segment.end - segment.start);
}

/** One line a screen reader reads for a segment. */
export function segmentLabel(segment: Segment): string {
  const span = `${shortHex(segment.start)} to ${shortHex(segment.end - 1n)}, ${segmentSize(segment)}`;
  if (segment.kind === 'hole') return `unassigned hole, ${span}`;
  const r = segment.range!;
  return `${r.regionName}, ${TYPE_WORDS[r.mtreeType]}${r.readonly ? ' read-only' : ''}, ${span}`;
}
