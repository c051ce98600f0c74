/**
 * "Why this address?": walks a topology snapshot from an address space's root down to the region
 * that answers an address, as QEMU's renderer decides it (render_memory_region): disabled regions
 * render nothing; subregions are tried in list order (priority descending, newest first among
 * equals) and the first one that renders something at the address wins; an alias continues in its
 * target at `address - alias start + alias offset`, clipped to the alias window and to the target;
 * a region that terminates (RAM, ROM, I/O — not a pure container) answers where no subregion does.
 * Pure and engine-free, so the adapter, the host and tests share it; the adapter checks the winner
 * against the engine's own flat view.
 */
import { fromHex, toHex } from './hex';
import { findFlatRange, type TopologyIndex } from './topologyIndex';
import type { AddressResolution, HiddenCandidate, RegionInfo, ResolutionStep } from './topology';

interface Walk {
  readonly steps: ResolutionStep[];
  readonly hidden: HiddenCandidate[];
}

function terminates(region: RegionInfo): boolean {
  return region.kind !== 'container' && region.kind !== 'alias';
}

/**
 * Tries to resolve `local` (an offset inside `region`, already known to be < its size) inside
 * `region`. Appends steps and hidden candidates for the successful path only; returns the winner.
 */
function resolveIn(
  index: TopologyIndex,
  region: RegionInfo,
  local: bigint,
  stepKind: ResolutionStep['kind'] | undefined,
  walk: Walk,
  depth: number,
): { region: RegionInfo; offset: bigint } | undefined {
  if (depth > 256) throw new Error(`region nesting deeper than 256 at '${region.name}' (cycle?)`);
  const steps: ResolutionStep[] = [];
  const hidden: HiddenCandidate[] = [];
  const kind =
    stepKind ?? (region.kind === 'alias' ? 'alias' : region.childIds.length ? 'container' : 'leaf');
  steps.push({
    kind,
    regionId: region.id,
    name: region.name,
    priority: region.priority,
    offsetInRegion: toHex(local),
    ...(region.alias ? { aliasOffset: region.alias.offset } : {}),
  });

  let result: { region: RegionInfo; offset: bigint } | undefined;
  if (region.alias) {
    const target = index.regions.get(region.alias.targetId);
    const targetLocal = local + fromHex(region.alias.offset);
    if (target && target.enabled && targetLocal < fromHex(target.size)) {
      const sub: Walk = { steps: [], hidden: [] };
      result = resolveIn(index, target, targetLocal, undefined, sub, depth + 1);
      if (result) {
        steps.push(...sub.steps);
        hidden.push(...sub.hidden);
      }
    }
  } else {
    let winnerId: string | undefined;
    for (const childId of region.childIds) {
      const child = index.regions.get(childId);
      if (!child) continue;
      const childStart = fromHex(child.offset);
      if (local < childStart || local - childStart >= fromHex(child.size)) continue;
      const base = {
        regionId: child.id,
        name: child.name,
        priority: child.priority,
        containerId: region.id,
      };
      if (!child.enabled) {
        hidden.push({ ...base, reason: 'disabled' });
        continue;
      }
      if (winnerId !== undefined) {
        hidden.push({ ...base, reason: 'outranked', outrankedBy: winnerId });
        continue;
      }
      const sub: Walk = { steps: [], hidden: [] };
      const found = resolveIn(index, child, local - childStart, undefined, sub, depth + 1);
      if (found) {
        result = found;
        winnerId = child.id;
        steps.push(...sub.steps);
        hidden.push(...sub.hidden);
      } else {
        hidden.push({ ...base, reason: 'hole' });
      }
    }
    if (!result && terminates(region)) {
      result = { region, offset: local };
      if (steps.length === 1 && steps[0]!.kind !== 'root')
        steps[0] = { ...steps[0]!, kind: 'leaf' };
    }
  }
  // The root keeps its hidden candidates even when nothing answers: a disabled or outranked
  // region is often exactly why an address is a hole.
  if (!result && stepKind !== 'root') return undefined;
  walk.steps.push(...steps);
  walk.hidden.push(...hidden);
  return result;
}

/** Resolves `address` in address space `addressSpaceId` of the indexed snapshot. */
export function resolveAddress(
  index: TopologyIndex,
  addressSpaceId: string,
  address: bigint,
): AddressResolution {
  const space = index.spaces.get(addressSpaceId);
  if (!space) throw new Error(`no address space '${addressSpaceId}'`);
  const root = index.regions.get(space.rootId);
  const walk: Walk = { steps: [], hidden: [] };
  let winner: AddressResolution['winner'];
  if (root && root.enabled) {
    // QEMU renders the root at base 0 + root->addr (0 for every root in practice).
    const rootStart = fromHex(root.offset);
    if (address >= rootStart && address - rootStart < fromHex(root.size)) {
      const found = resolveIn(index, root, address - rootStart, 'root', walk, 0);
      if (found) winner = { regionId: found.region.id, offsetInRegion: toHex(found.offset) };
    }
  }
  const flatRange = findFlatRange(space.flatView, address);
  return {
    addressSpaceId,
    address: toHex(address),
    path: walk.steps.length ? walk.steps : root ? [rootStep(root, address)] : [],
    ...(winner ? { winner } : {}),
    hidden: walk.hidden,
    ...(flatRange ? { flatRange } : {}),
  };
}

function rootStep(root: RegionInfo, address: bigint): ResolutionStep {
  return {
    kind: 'root',
    regionId: root.id,
    name: root.name,
    priority: root.priority,
    offsetInRegion: toHex(address),
  };
}
