/** Lookups over a `TopologySnapshot` (by id, parent chain, flat-range search). Pure. */
import { fromHex } from './hex';
import type {
  AddressSpaceInfo,
  FlatRangeInfo,
  RegionId,
  RegionInfo,
  TopologySnapshot,
} from './topology';

export interface TopologyIndex {
  readonly snapshot: TopologySnapshot;
  readonly regions: ReadonlyMap<RegionId, RegionInfo>;
  readonly spaces: ReadonlyMap<string, AddressSpaceInfo>;
}

export function indexTopology(snapshot: TopologySnapshot): TopologyIndex {
  const regions = new Map<RegionId, RegionInfo>();
  for (const region of snapshot.regions) regions.set(region.id, region);
  const spaces = new Map<string, AddressSpaceInfo>();
  for (const space of snapshot.addressSpaces) spaces.set(space.id, space);
  return { snapshot, regions, spaces };
}

/** The region's ancestors, nearest first, ending at its root. */
export function ancestorsOf(index: TopologyIndex, id: RegionId): RegionInfo[] {
  const chain: RegionInfo[] = [];
  const seen = new Set<RegionId>([id]);
  let parentId = index.regions.get(id)?.parentId;
  while (parentId !== undefined && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = index.regions.get(parentId);
    if (!parent) break;
    chain.push(parent);
    parentId = parent.parentId;
  }
  return chain;
}

/** Binary search of a sorted flat view; undefined for a hole. */
export function findFlatRange(
  flatView: readonly FlatRangeInfo[],
  address: bigint,
): FlatRangeInfo | undefined {
  let lo = 0;
  let hi = flatView.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = flatView[mid]!;
    if (address < fromHex(range.start)) hi = mid - 1;
    else if (address > fromHex(range.end)) lo = mid + 1;
    else return range;
  }
  return undefined;
}
