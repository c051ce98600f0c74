/** Text for the flat view: addresses, sizes, kinds, hover rows and the colour class of a range. */
import {
  formatSize,
  fromHex,
  ioeventfdMatchText,
  regionFeatureMarkers,
  type FlatRangeInfo,
  type MtreeType,
  type RegionInfo,
} from '../../protocol';
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

/**
 * One line a screen reader reads for a segment; `region` (the range's region) adds its markers
 * (`resizeable`, `ioeventfd×2`, `coalesced`).
 */
export function segmentLabel(segment: Segment, region?: RegionInfo): string {
  const span = `${shortHex(segment.start)} to ${shortHex(segment.end - 1n)}, ${segmentSize(segment)}`;
  if (segment.kind === 'hole') return `unassigned hole, ${span}`;
  const r = segment.range!;
  const markers = region ? regionFeatureMarkers(region).map((m) => `, ${m}`) : [];
  return `${r.regionName}, ${TYPE_WORDS[r.mtreeType]}${r.readonly ? ' read-only' : ''}, ${span}${markers.join('')}`;
}

/** A hover row: key and value; the first row of a card is its title. */
export type TooltipRow = readonly [key: string, value: string];

/**
 * The hover card of a segment: name and type, range, size, offset in the region, then the
 * region's engine facts (see `featureRows`).
 */
export function tooltipRows(segment: Segment, region?: RegionInfo): TooltipRow[] {
  const span: TooltipRow[] = [
    ['Range', `${shortHex(segment.start)} – ${shortHex(segment.end - 1n)}`],
    ['Size', segmentSize(segment)],
  ];
  if (segment.kind === 'hole') return [['Unassigned', ''], ...span];
  const r = segment.range!;
  return [
    [r.regionName, `${TYPE_WORDS[r.mtreeType]}${r.readonly ? ', read-only' : ''}`],
    ...span,
    ['Offset in region', r.offsetInRegion],
    ...(region ? featureRows(segment, region) : []),
  ];
}

/**
 * Resizeable RAM's max size, and the ioeventfds and coalesced ranges that lie in this segment, at
 * address-space addresses (the region starts at segment start − offset in region here); those of
 * the region that this range does not show are counted, since their addresses belong to
 * whatever is mapped there.
 */
function featureRows(segment: Segment, region: RegionInfo): TooltipRow[] {
  const base = segment.start - fromHex(segment.range!.offsetInRegion);
  const rows: TooltipRow[] = [];
  if (region.maxSize !== undefined) {
    rows.push([
      'Resizeable up to',
      `${formatSize(fromHex(region.maxSize))} (${shortHex(fromHex(region.maxSize))})`,
    ]);
  }
  let outside = 0;
  for (const fd of region.ioeventfds ?? []) {
    const address = base + fromHex(fd.offset);
    if (address < segment.start || address >= segment.end) outside++;
    else rows.push(['ioeventfd', `${shortHex(address)}: ${ioeventfdMatchText(fd)}`]);
  }
  let outsideRanges = 0;
  for (const range of region.coalesced ?? []) {
    const first = base + fromHex(range.offset);
    const end = first + fromHex(range.size);
    const lo = first > segment.start ? first : segment.start;
    const hi = end < segment.end ? end : segment.end;
    if (lo >= hi) outsideRanges++;
    else rows.push(['Coalesced MMIO', `${shortHex(lo)} – ${shortHex(hi - 1n)}`]);
  }
  const elsewhere = [
    ...(outside ? [`${outside} ioeventfd${outside > 1 ? 's' : ''}`] : []),
    ...(outsideRanges ? [`${outsideRanges} coalesced range${outsideRanges > 1 ? 's' : ''}`] : []),
  ];
  if (elsewhere.length) rows.push(['Not in this range', elsewhere.join(', ')]);
  return rows;
}
