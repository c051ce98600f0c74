/**
 * Where "open in hex editor" should land for a region: in the address space whose tree holds it,
 * at the region's own start (what `info mtree` prints; the hex editor selects the region's visible
 * bytes from `regionId`); for a region only reachable through aliases (a `memory-region:` root or
 * inside one), the first address space and address where its bytes are visible. No vscode.
 */
import {
  ancestorsOf,
  indexTopology,
  type RegionInfo,
  type TopologySnapshot,
} from '../../../protocol';

export interface HexEditorTarget {
  readonly addressSpace?: string;
  readonly address: string;
}

export function hexEditorTarget(
  snapshot: TopologySnapshot,
  region: RegionInfo,
  spaceId: string | undefined,
): HexEditorTarget {
  const index = indexTopology(snapshot);
  const chain = ancestorsOf(index, region.id);
  const rootId = chain.length ? chain[chain.length - 1]!.id : region.id;
  const inTree = snapshot.addressSpaces.filter((s) => s.rootId === rootId);
  const own = inTree.find((s) => s.id === spaceId) ?? inTree[0];
  if (own) return { addressSpace: own.id, address: region.start };
  // Detached: find the region (or one of its descendants) rendered somewhere.
  const subtree = new Set<string>();
  const collect = (id: string) => {
    subtree.add(id);
    for (const child of index.regions.get(id)?.childIds ?? []) collect(child);
  };
  collect(region.id);
  const spaces = [...snapshot.addressSpaces].sort((a, b) =>
    a.id === spaceId ? -1 : b.id === spaceId ? 1 : 0,
  );
  for (const space of spaces) {
    const range = space.flatView.find((r) => subtree.has(r.regionId));
    if (range) return { addressSpace: space.id, address: range.start };
  }
  return { address: region.start };
}
