/**
 * Engine -> protocol: turns a MemorySystem into a `TopologySnapshot` (address spaces, the region
 * tree as `info mtree` nests it, detached alias targets, flat views), keeps region ids stable, and
 * answers "why this address?" with the snapshot resolver checked against the engine's own flat
 * view. Used by the debug adapter (live machine) and by the extension (a board file's static map).
 */
import {
  MemorySystem,
  UINT64_MAX,
  type AddressSpace,
  type MemoryRegion,
  type QomObject,
} from '../engine';
import {
  indexTopology,
  resolveAddress,
  toHex,
  type AddressResolution,
  type AddressSpaceInfo,
  type FlatRangeInfo,
  type RegionId,
  type RegionInfo,
  type SourceLocation,
  type TopologyIndex,
  type TopologySnapshot,
  type TopologySource,
} from '../protocol';
import { engineFeatures } from './topologyFeatures';

export interface SnapshotOptions {
  readonly version: number;
  readonly source: TopologySource;
  /** Where each region was declared (the board builder knows); absent = no source. */
  readonly sourceOf?: (region: MemoryRegion) => SourceLocation | undefined;
}

export interface TopologyCapture {
  readonly snapshot: TopologySnapshot;
  /** Region id -> engine region, to act on ids coming back from the views. */
  readonly regions: ReadonlyMap<RegionId, MemoryRegion>;
  /** Address-space id -> engine address space. */
  readonly spaces: ReadonlyMap<string, AddressSpace>;
}

/** `/` and `#` structure ids; `%` escapes; names may contain anything else (QEMU names contain '@'). */
function escapeIdPart(name: string): string {
  return name.replace(/[%/#]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

function ownerName(owner: QomObject | null): string | undefined {
  if (!owner) return undefined;
  return owner.id ?? owner.path ?? owner.typeName;
}

/** mtree's `MR_SIZE`: size - 1, or 0 for an empty region; addresses wrap at 2^64 as hwaddr does. */
function lastAddress(start: bigint, size: bigint): bigint {
  return (start + (size === 0n ? 0n : size - 1n)) & UINT64_MAX;
}

/** Captures the whole topology of `system` as plain data. */
export function captureTopology(system: MemorySystem, options: SnapshotOptions): TopologyCapture {
  const ids = new Map<MemoryRegion, RegionId>();
  const regionsById = new Map<RegionId, MemoryRegion>();
  const infos: RegionInfo[] = [];
  const rootNameCounts = new Map<string, number>();
  const pendingAliasTargets: MemoryRegion[] = [];

  const visit = (
    mr: MemoryRegion,
    id: RegionId,
    parentId: RegionId | undefined,
    base: bigint,
  ): void => {
    ids.set(mr, id);
    regionsById.set(id, mr);
    const start = (base + mr.addr) & UINT64_MAX;
    const counts = new Map<string, number>();
    const childIds = mr.subregions.map((child) => {
      const n = counts.get(child.name) ?? 0;
      counts.set(child.name, n + 1);
      return `${id}/${escapeIdPart(child.name)}#${n}`;
    });
    const owner = ownerName(mr.owner);
    const source = options.sourceOf?.(mr);
    const info: RegionInfo = {
      id,
      name: mr.name,
      kind: mr.kind,
      mtreeType: mr.typeLabel(),
      ...(parentId !== undefined ? { parentId } : {}),
      childIds,
      offset: toHex(mr.addr),
      start: toHex(start),
      end: toHex(lastAddress(start, mr.size)),
      size: toHex(mr.size),
      priority: mr.priority,
      enabled: mr.enabled,
      readonly: mr.readonly,
      ...(owner !== undefined ? { owner } : {}),
      ...(source ? { source } : {}),
      ...engineFeatures(mr),
    };
    infos.push(info);
    if (mr.alias) pendingAliasTargets.push(mr.alias);
    mr.subregions.forEach((child, i) => visit(child, childIds[i]!, id, start));
  };

  const visitRoot = (root: MemoryRegion): RegionId => {
    const existing = ids.get(root);
    if (existing !== undefined) return existing;
    const n = rootNameCounts.get(root.name) ?? 0;
    rootNameCounts.set(root.name, n + 1);
    const id = `${escapeIdPart(root.name)}#${n}`;
    visit(root, id, undefined, 0n);
    return id;
  };

  const topOf = (mr: MemoryRegion): MemoryRegion => {
    let top = mr;
    while (top.container) top = top.container;
    return top;
  };

  const spaceNameCounts = new Map<string, number>();
  const spacePairs: { as: AddressSpace; id: string; rootId: RegionId }[] = [];
  for (const as of system.addressSpaces) {
    if (!as.root) continue;
    const n = spaceNameCounts.get(as.name) ?? 0;
    spaceNameCounts.set(as.name, n + 1);
    const id = n === 0 ? as.name : `${as.name}#${n}`;
    spacePairs.push({ as, id, rootId: visitRoot(as.root) });
  }
  const spaceRootIds = new Set(spacePairs.map((p) => p.rootId));
  const detachedRootIds: RegionId[] = [];
  // Alias targets outside every address-space tree: `info mtree` prints them as memory-region blocks.
  while (pendingAliasTargets.length) {
    const top = topOf(pendingAliasTargets.shift()!);
    if (ids.has(top)) continue;
    const id = visitRoot(top);
    if (!spaceRootIds.has(id)) detachedRootIds.push(id);
  }
  // Alias fields need every target's id, so they are filled in after the walk.
  const withAliases = infos.map((info) => {
    const mr = regionsById.get(info.id)!;
    if (!mr.alias) return info;
    return {
      ...info,
      alias: {
        targetId: ids.get(mr.alias)!,
        targetName: mr.alias.name,
        offset: toHex(mr.aliasOffset),
      },
    };
  });

  const addressSpaces: AddressSpaceInfo[] = spacePairs.map(({ as, id, rootId }) => ({
    id,
    name: as.name,
    rootId,
    flatView: as.flatView.ranges.map((fr): FlatRangeInfo => {
      let regionId = ids.get(fr.mr);
      if (regionId === undefined) {
        // Rendered but unreachable by walking (cannot happen for a consistent engine); still show it.
        regionId = `unlisted:${escapeIdPart(fr.mr.name)}`;
      }
      return {
        start: toHex(fr.start),
        end: toHex(fr.end - 1n),
        regionId,
        regionName: fr.mr.name,
        offsetInRegion: toHex(fr.offsetInRegion),
        mtreeType: fr.mr.typeLabel(),
        readonly: fr.readonly,
      };
    }),
  }));

  return {
    snapshot: {
      version: options.version,
      source: options.source,
      addressSpaces,
      detachedRootIds,
      regions: withAliases,
    },
    regions: regionsById,
    spaces: new Map(spacePairs.map((p) => [p.id, p.as])),
  };
}

/**
 * Resolves an address with the snapshot walker and checks the winner against the engine's flat
 * view (the authority); a disagreement is reported in `warning` and the engine's answer wins.
 */
export function resolveInCapture(
  capture: TopologyCapture,
  index: TopologyIndex,
  addressSpaceId: string | undefined,
  address: bigint,
): AddressResolution {
  const spaceId = addressSpaceId ?? capture.snapshot.addressSpaces[0]?.id;
  if (spaceId === undefined) throw new Error('this machine has no address space');
  const as = capture.spaces.get(spaceId);
  if (!as) throw new Error(`no address space '${spaceId}'`);
  if (address < 0n || address > UINT64_MAX)
    throw new Error(`address ${address} is outside 64 bits`);
  const resolution = resolveAddress(index, spaceId, address);
  const fr = as.flatView.lookup(address);
  const engineWinner = fr
    ? capture.snapshot.regions.find((r) => capture.regions.get(r.id) === fr.mr)?.id
    : undefined;
  if (engineWinner === resolution.winner?.regionId) return resolution;
  return {
    ...resolution,
    ...(fr && engineWinner
      ? {
          winner: {
            regionId: engineWinner,
            offsetInRegion: toHex(fr.offsetInRegion + (address - fr.start)),
          },
        }
      : { winner: undefined }),
    warning: `the resolution path disagrees with the engine's flat view at ${toHex(address)} (engine: ${fr ? fr.mr.name : 'hole'}); please report this`,
  };
}

export interface Disposable {
  dispose(): void;
}

/**
 * Follows a live MemorySystem for the debug adapter: the version increases once after each
 * snapshot whenever the engine commits a topology change, listeners hear about it, and snapshots
 * are built lazily and cached per version.
 */
export class TopologyTracker {
  private currentVersion = 1;
  private cached: { capture: TopologyCapture; index: TopologyIndex } | undefined;
  private readonly listeners = new Set<(version: number) => void>();
  private readonly hook = () => this.noteChange();
  private spaceCount: number;

  constructor(
    private readonly system: MemorySystem,
    private readonly options: Omit<SnapshotOptions, 'version'>,
  ) {
    system.addressSpaceUpdateHooks.push(this.hook);
    // Adding or removing an ioeventfd commits without a topology update: only these hooks run.
    system.ioeventfdUpdateHooks.push(this.hook);
    // Coalesced ranges change with no commit at all.
    system.coalescedUpdateHooks.push(this.hook);
    this.spaceCount = system.addressSpaces.length;
  }

  get version(): number {
    this.checkSpaces();
    return this.currentVersion;
  }

  snapshot(): TopologySnapshot {
    return this.capture().capture.snapshot;
  }

  /** The engine region behind a snapshot id, or undefined. */
  regionById(id: RegionId): MemoryRegion | undefined {
    return this.capture().capture.regions.get(id);
  }

  /** Enables or disables a region (user action from the tree); returns the new version. */
  setRegionEnabled(id: RegionId, enabled: boolean): number {
    const region = this.regionById(id);
    if (!region) throw new Error(`no region '${id}' in topology version ${this.currentVersion}`);
    region.setEnabled(enabled);
    return this.version;
  }

  resolve(addressSpaceId: string | undefined, address: bigint): AddressResolution {
    const { capture, index } = this.capture();
    return resolveInCapture(capture, index, addressSpaceId, address);
  }

  onDidChange(listener: (version: number) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    for (const hooks of [
      this.system.addressSpaceUpdateHooks,
      this.system.ioeventfdUpdateHooks,
      this.system.coalescedUpdateHooks,
    ] as Array<Array<() => void>>) {
      const i = hooks.indexOf(this.hook);
      if (i >= 0) hooks.splice(i, 1);
    }
    this.listeners.clear();
  }

  private checkSpaces(): void {
    // Creating or destroying an address space does not commit; notice it here.
    if (this.system.addressSpaces.length !== this.spaceCount) {
      this.spaceCount = this.system.addressSpaces.length;
      this.noteChange();
    }
  }

  private noteChange(): void {
    // One bump per snapshot taken: changes between two snapshots share the next version.
    if (!this.cached) return;
    this.cached = undefined;
    this.currentVersion++;
    for (const listener of [...this.listeners]) listener(this.currentVersion);
  }

  private capture(): { capture: TopologyCapture; index: TopologyIndex } {
    this.checkSpaces();
    if (!this.cached) {
      const capture = captureTopology(this.system, {
        ...this.options,
        version: this.currentVersion,
      });
      this.cached = { capture, index: indexTopology(capture.snapshot) };
    }
    return this.cached;
  }
}

// ---------------------------------------------------------------------------------------------
// The custom DAP requests, for the adapter's `customRequest(command, response, args)`:
//   const answer = answerTopologyRequest(tracker, command, args);
//   if (answer.handled) { response.body = answer.body; this.sendResponse(response); }
// Bad arguments throw an Error whose message is meant for the DAP error response.
