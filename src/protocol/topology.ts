/**
 * The memory topology as the views see it: address spaces, the region tree as `info mtree` nests
 * it, the rendered flat views, and a version number. Plain JSON (addresses and sizes are hex
 * strings, because bigint does not survive JSON), built by `src/debug/topology.ts` from the
 * engine, carried by the custom DAP requests below and by the webview protocol.
 */

/** `0x` + lowercase hex digits, no padding; up to 2^64 for sizes (`0x10000000000000000`). */
export type HexString = string;

/**
 * A stable region id: the same region keeps its id across snapshots of one machine and across
 * rebuilds of the same board text (it is a path: root, then child name and index among same-named
 * siblings), so views can update only what changed.
 */
export type RegionId = string;

/** The engine's kind of region (one region type, one kind per factory; same names as the engine). */
export type RegionKind =
  'container' | 'ram' | 'rom' | 'romDevice' | 'io' | 'alias' | 'ramDevice' | 'reservation';

/**
 * The type word `info mtree` prints in `(prio N, TYPE)`: for an alias the target's type, for a
 * container QEMU 7.2 prints `i/o`.
 */
export type MtreeType = 'ram' | 'rom' | 'romd' | 'ramd' | 'i/o';

/** Where a region was declared in a board file (0-based line and column, as LSP does). */
export interface SourceLocation {
  /** A file path or URI string as the builder knows it. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface RegionAliasInfo {
  readonly targetId: RegionId;
  readonly targetName: string;
  /** Offset into the target where the alias window starts. */
  readonly offset: HexString;
}

/**
 * An ioeventfd registered on a region (`memory_region_add_eventfd`): a guest write matching it
 * signals a notifier instead of reaching the device.
 */
export interface RegionIoeventfdInfo {
  /** Offset inside the region. */
  readonly offset: HexString;
  /** Width of the write in bytes (1, 2, 4 or 8); 0 matches a write of any width and value. */
  readonly size: number;
  /** The value the write must carry, in target byte order (as the guest writes it); absent = any. */
  readonly data?: HexString;
}

/** A coalesced MMIO range of a region (`memory_region_add_coalescing`). */
export interface RegionCoalescedInfo {
  /** Offset inside the region. */
  readonly offset: HexString;
  readonly size: HexString;
}

/** One region, listed once in `TopologySnapshot.regions`. */
export interface RegionInfo {
  readonly id: RegionId;
  readonly name: string;
  readonly kind: RegionKind;
  readonly mtreeType: MtreeType;
  /** The region's parent container, absent for a root. */
  readonly parentId?: RegionId;
  /** Subregions in the order `info mtree` prints them (priority descending, newest first). */
  readonly childIds: readonly RegionId[];
  /** Offset inside the parent (QEMU `mr->addr`). */
  readonly offset: HexString;
  /** First address as `info mtree` prints it: relative to the root the region hangs under. */
  readonly start: HexString;
  /** Last address (inclusive), as `info mtree` prints it. */
  readonly end: HexString;
  readonly size: HexString;
  readonly priority: number;
  readonly enabled: boolean;
  readonly readonly: boolean;
  readonly alias?: RegionAliasInfo;
  /** The owning device or object (`info mtree -o`). */
  readonly owner?: string;
  readonly source?: SourceLocation;
  /** Resizeable RAM only: the most `size` may grow to (the RAM block's page-aligned max length). */
  readonly maxSize?: HexString;
  /** ioeventfds registered on the region, in the engine's order; absent when there are none. */
  readonly ioeventfds?: readonly RegionIoeventfdInfo[];
  /** Coalesced MMIO ranges of the region, in the order added; absent when there are none. */
  readonly coalesced?: readonly RegionCoalescedInfo[];
}

/** One rendered range of a flat view (`info mtree -f` line). */
export interface FlatRangeInfo {
  readonly start: HexString;
  /** Inclusive. */
  readonly end: HexString;
  /** The leaf region that answers accesses here (never an alias). */
  readonly regionId: RegionId;
  readonly regionName: string;
  readonly offsetInRegion: HexString;
  readonly mtreeType: MtreeType;
  readonly readonly: boolean;
}

export interface AddressSpaceInfo {
  /** Stable id (the address space's name, made unique). */
  readonly id: string;
  readonly name: string;
  readonly rootId: RegionId;
  /** Sorted, disjoint; holes are the gaps between ranges. */
  readonly flatView: readonly FlatRangeInfo[];
}

export interface TopologySource {
  readonly kind: 'board' | 'machine';
  /** What the user would call it: the board file name, or the session name. */
  readonly label: string;
  /** The board file's URI or path, when there is one. */
  readonly uri?: string;
}

export interface TopologySnapshot {
  /** Increases whenever the map changes (per machine; per rebuild for board text). */
  readonly version: number;
  readonly source: TopologySource;
  readonly addressSpaces: readonly AddressSpaceInfo[];
  /**
   * Roots that are not the root of any address space but are reached through aliases; `info mtree`
   * prints them as `memory-region: NAME` blocks.
   */
  readonly detachedRootIds: readonly RegionId[];
  /** Every region reachable from an address space root or a detached root, each once. */
  readonly regions: readonly RegionInfo[];
}

// ---------------------------------------------------------------------------------------------
// "Why this address?" — the resolution path

export type ResolutionStepKind = 'root' | 'container' | 'alias' | 'leaf';

/** One hop of the walk from the address space root to the region that answers. */
export interface ResolutionStep {
  readonly kind: ResolutionStepKind;
  readonly regionId: RegionId;
  readonly name: string;
  readonly priority: number;
  /** The address expressed inside this region (offset from its start). */
  readonly offsetInRegion: HexString;
  /** For an alias: the target's offset that the alias window starts at. */
  readonly aliasOffset?: HexString;
}

/** Why a region that covers the address does not answer it. */
export type HiddenReason =
  /** A sibling earlier in the container's list (higher priority, or same priority added later) wins. */
  | 'outranked'
  /** The region is disabled. */
  | 'disabled'
  /** Covers the address, but nothing is mapped inside it there (a container hole). */
  | 'hole';

export interface HiddenCandidate {
  readonly regionId: RegionId;
  readonly name: string;
  readonly priority: number;
  readonly reason: HiddenReason;
  /** The container whose subregion list it lost in. */
  readonly containerId: RegionId;
  /** For 'outranked': who beat it. */
  readonly outrankedBy?: RegionId;
}

export interface AddressResolution {
  readonly addressSpaceId: string;
  readonly address: HexString;
  /** Root first, winning region last; empty when the address space has no root. */
  readonly path: readonly ResolutionStep[];
  /** The region answering the access, absent for a hole. */
  readonly winner?: { readonly regionId: RegionId; readonly offsetInRegion: HexString };
  readonly hidden: readonly HiddenCandidate[];
  /** The flat-view range containing the address, absent for a hole. */
  readonly flatRange?: FlatRangeInfo;
  /** Set when the path walk and the engine's flat view disagree (a bug to report). */
  readonly warning?: string;
}

// ---------------------------------------------------------------------------------------------
// Custom DAP requests and events (implemented by the debug adapter, called by the extension)

export const DAP_TOPOLOGY_REQUEST = 'boardmap/topology';
export const DAP_SET_REGION_ENABLED_REQUEST = 'boardmap/setRegionEnabled';
export const DAP_RESOLVE_ADDRESS_REQUEST = 'boardmap/resolveAddress';
export const DAP_TOPOLOGY_CHANGED_EVENT = 'boardmap/topologyChanged';

/** `boardmap/topology` arguments. */
export interface TopologyRequestArguments {
  /** When given and equal to the current version the adapter may answer `{ unchanged: true }`. */
  readonly ifNewerThan?: number;
}
/** `boardmap/topology` response body. */
export type TopologyResponseBody =
  | { readonly unchanged: true; readonly version: number }
  | { readonly unchanged?: false; readonly snapshot: TopologySnapshot };

/** `boardmap/setRegionEnabled` arguments. */
export interface SetRegionEnabledArguments {
  readonly regionId: RegionId;
  readonly enabled: boolean;
}
/** `boardmap/setRegionEnabled` response body: the topology version after the change. */
export interface SetRegionEnabledResponseBody {
  readonly version: number;
}

/** `boardmap/resolveAddress` arguments. */
export interface ResolveAddressArguments {
  /** An `AddressSpaceInfo.id`; the first address space when absent. */
  readonly addressSpaceId?: string;
  readonly address: HexString;
}
export type ResolveAddressResponseBody = AddressResolution;

/** `boardmap/topologyChanged` event body. Sent after the map changed (firmware or user). */
export interface TopologyChangedEventBody {
  readonly version: number;
  /** Regions whose properties or children changed, when the adapter knows; absent = unknown. */
  readonly changedRegionIds?: readonly RegionId[];
  /** Why, for the user: e.g. `REMAP written`, `region dram-mirror enabled`. */
  readonly reason?: string;
}

// ---------------------------------------------------------------------------------------------
// Resizeable RAM, ioeventfds and coalesced MMIO as text: the same words in the Memory Tree and the
// flat view.

/** Short markers for a region's description: `resizeable`, `ioeventfd`/`ioeventfd×2`, `coalesced`. */
export function regionFeatureMarkers(region: RegionInfo): string[] {
  const markers: string[] = [];
  if (region.maxSize !== undefined) markers.push('resizeable');
  const fds = region.ioeventfds?.length ?? 0;
  if (fds > 0) markers.push(fds === 1 ? 'ioeventfd' : `ioeventfd×${fds}`);
  if (region.coalesced?.length) markers.push('coalesced');
  return markers;
}

/** Which writes an ioeventfd catches: `any write`, `any 4-byte write`, `4-byte write of 0x1`. */
export function ioeventfdMatchText(fd: RegionIoeventfdInfo): string {
  if (fd.size === 0) return 'any write';
  const width = `${fd.size}-byte write`;
  return fd.data === undefined ? `any ${width}` : `${width} of ${fd.data}`;
}
