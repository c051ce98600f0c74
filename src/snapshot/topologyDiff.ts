/**
 * Which regions changed between two topology snapshots, for `boardmap/topologyChanged`'s
 * `changedRegionIds`: the views refresh only those. Same rule as the Memory Tree's own diff
 * (src/extension/views/memoryTreeModel.ts changedRegionIds), so a view may use either.
 */
import type { RegionId, RegionInfo, TopologySnapshot } from '../protocol';

/**
 * Ids (sorted) of regions in `after` whose entry differs from `before` (any field: enabled,
 * offset, start/end, size, alias target and offset, priority, children, max size, ioeventfds,
 * coalesced ranges…), of regions that are new
 * (and their parent, whose child list grew), and of surviving parents that lost a child.
 */
export function changedRegionIds(before: TopologySnapshot, after: TopologySnapshot): RegionId[] {
  const old = new Map<RegionId, RegionInfo>(before.regions.map((r) => [r.id, r]));
  const now = new Set<RegionId>(after.regions.map((r) => r.id));
  const changed = new Set<RegionId>();
  for (const region of after.regions) {
    const previous = old.get(region.id);
    if (!previous) {
      changed.add(region.id);
      if (region.parentId !== undefined) changed.add(region.parentId);
    } else if (!sameEntry(previous, region)) {
      changed.add(region.id);
    }
  }
  for (const region of before.regions) {
    if (!now.has(region.id) && region.parentId !== undefined && now.has(region.parentId))
      changed.add(region.parentId);
  }
  return [...changed].sort();
}

/**
 * Entries come from the same capture code, so their keys are in the same order and a JSON
 * comparison is exact; it also covers fields added to RegionInfo later.
 */
function sameEntry(a: RegionInfo, b: RegionInfo): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
