/**
 * The Memory Tree's logic without vscode: which elements exist, their children and parents, what
 * each item shows, and — when a new snapshot arrives — which elements changed, so the provider
 * fires `onDidChangeTreeData` for those only (a whole-tree refresh per step is the classic
 * performance bug of debug tree views). Element objects are stable per key across snapshots, as
 * VS Code identifies refreshed elements by object.
 *
 * Top level as `info mtree` prints it: one node per distinct address-space root (spaces sharing a
 * root are listed together, like `address-space: cpu-memory-0` + `address-space: memory`), then one
 * `memory-region:` node per detached root reached only through aliases.
 */
import {
  formatSize,
  fromHex,
  indexTopology,
  mtreeHex,
  mtreeRange,
  regionFeatureMarkers,
  type AddressSpaceInfo,
  type RegionId,
  type RegionInfo,
  type RegionKind,
  type TopologyIndex,
  type TopologySnapshot,
} from '../../../protocol';
import { KIND_WORDS, regionTooltip, spokenFeatures } from './regionText';
import { escapeMarkdown, markdownCode } from '../../text';

export interface RootElement {
  readonly type: 'root';
  readonly key: string;
  /** The root region all these address spaces render. */
  readonly regionId: RegionId;
  /** Address-space ids, or empty for a detached `memory-region:` root. */
  readonly spaceIds: readonly string[];
}

export interface RegionElement {
  readonly type: 'region';
  readonly key: string;
  readonly regionId: RegionId;
  /** The top-level element this occurrence hangs under (a region under a shared root appears once). */
  readonly rootKey: string;
}

export type MemoryTreeElement = RootElement | RegionElement;

export type Collapsible = 'none' | 'collapsed' | 'expanded';

/** What one tree item shows, in vscode-free terms. */
export interface MemoryTreeItemData {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** Markdown. */
  readonly tooltip: string;
  /** A codicon id. */
  readonly icon: string;
  /** A theme colour id for the icon (and label decoration), e.g. `disabledForeground`. */
  readonly color?: string;
  readonly collapsible: Collapsible;
  /** `;`-separated flags menus match with regexes: `region;kind=ram;live;enabled;source`. */
  readonly contextValue: string;
  readonly accessibilityLabel: string;
  readonly dimmed: boolean;
}

/** Regions the adapter says changed from one snapshot version to the next one it sent. */
export interface KnownTopologyChanges {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly regionIds: readonly RegionId[];
}

export type TreeChange =
  /** Refresh everything (first snapshot, or the top level changed). */
  | { readonly kind: 'all' }
  /** Refresh only these elements (each refresh covers its subtree). */
  | { readonly kind: 'elements'; readonly elements: readonly MemoryTreeElement[] }
  | { readonly kind: 'none' };

export const KIND_ICONS: Readonly<Record<RegionKind, string>> = {
  container: 'symbol-namespace',
  ram: 'database',
  rom: 'lock',
  romDevice: 'file-binary',
  ramDevice: 'server',
  io: 'plug',
  alias: 'link',
  reservation: 'circle-slash',
};

export class MemoryTreeModel {
  private index: TopologyIndex | undefined;
  private readonly elements = new Map<string, MemoryTreeElement>();
  private roots: RootElement[] = [];

  get snapshot(): TopologySnapshot | undefined {
    return this.index?.snapshot;
  }

  get isLive(): boolean {
    return this.index?.snapshot.source.kind === 'machine';
  }

  /**
   * Installs a new snapshot (or none) and says what to refresh. `known` is the adapter's list of
   * changed regions (`boardmap/topologyChanged`): used instead of comparing every region when it
   * is relative to the snapshot shown now (`fromVersion`), else ignored.
   */
  setSnapshot(snapshot: TopologySnapshot | undefined, known?: KnownTopologyChanges): TreeChange {
    const previous = this.index;
    this.index = snapshot ? indexTopology(snapshot) : undefined;
    const oldRootKeys = this.roots.map((r) => `${r.key}=${r.spaceIds.join(',')}`).join('|');
    this.roots = snapshot ? this.buildRoots(snapshot) : [];
    const newRootKeys = this.roots.map((r) => `${r.key}=${r.spaceIds.join(',')}`).join('|');
    if (
      !previous ||
      !this.index ||
      oldRootKeys !== newRootKeys ||
      previous.snapshot.source.kind !== snapshot?.source.kind
    ) {
      this.dropElementsNotIn(this.index);
      return { kind: 'all' };
    }
    const changed =
      known &&
      known.fromVersion === previous.snapshot.version &&
      known.toVersion === this.index.snapshot.version
        ? new Set(known.regionIds)
        : changedRegionIds(previous, this.index);
    this.dropElementsNotIn(this.index);
    if (changed.size === 0) return { kind: 'none' };
    // Fire only the topmost changed elements that VS Code knows (an element never returned by
    // getChildren was never shown); a refresh covers the element's subtree.
    const fire: MemoryTreeElement[] = [];
    for (const element of this.elements.values()) {
      if (!changed.has(element.regionId)) continue;
      if (this.hasChangedAncestor(element, changed)) continue;
      fire.push(element);
    }
    return fire.length ? { kind: 'elements', elements: fire } : { kind: 'none' };
  }

  getChildren(element?: MemoryTreeElement): MemoryTreeElement[] {
    if (!this.index) return [];
    if (!element) return this.roots;
    const rootKey = element.type === 'root' ? element.key : element.rootKey;
    if (element.type === 'root') return [this.regionElement(element.regionId, rootKey)];
    const region = this.index.regions.get(element.regionId);
    if (!region) return [];
    return region.childIds.map((id) => this.regionElement(id, rootKey));
  }

  getParent(element: MemoryTreeElement): MemoryTreeElement | undefined {
    if (element.type === 'root' || !this.index) return undefined;
    const region = this.index.regions.get(element.regionId);
    if (region?.parentId === undefined) return this.elements.get(element.rootKey);
    return this.regionElement(region.parentId, element.rootKey);
  }

  /** The region behind an element (the root region for a top-level node). */
  regionOf(element: MemoryTreeElement): RegionInfo | undefined {
    return this.index?.regions.get(element.regionId);
  }

  /** The address spaces an element's region is visible in (through its root). */
  spacesOf(element: MemoryTreeElement): AddressSpaceInfo[] {
    const root = element.type === 'root' ? element : this.elements.get(element.rootKey);
    if (!root || root.type !== 'root' || !this.index) return [];
    return root.spaceIds
      .map((id) => this.index!.spaces.get(id))
      .filter((s): s is AddressSpaceInfo => !!s);
  }

  /** Every occurrence of a region in the tree (creating elements as needed), for `reveal`. */
  elementsForRegion(regionId: RegionId): RegionElement[] {
    if (!this.index?.regions.has(regionId)) return [];
    let top = regionId;
    for (
      let r = this.index.regions.get(regionId);
      r?.parentId !== undefined;
      r = this.index.regions.get(r.parentId)
    ) {
      top = r.parentId;
    }
    return this.roots
      .filter((root) => root.regionId === top)
      .map((root) => this.regionElement(regionId, root.key));
  }

  getItem(element: MemoryTreeElement): MemoryTreeItemData {
    const region = this.regionOf(element);
    if (!region) {
      return {
        id: element.key,
        label: '(gone)',
        description: '',
        tooltip: '',
        icon: 'question',
        collapsible: 'none',
        contextValue: 'gone',
        accessibilityLabel: 'region no longer present',
        dimmed: true,
      };
    }
    if (element.type === 'root') return this.rootItem(element, region);
    return this.regionItem(element, region);
  }

  private rootItem(element: RootElement, region: RegionInfo): MemoryTreeItemData {
    const detached = element.spaceIds.length === 0;
    const names = element.spaceIds.map((id) => this.index!.spaces.get(id)?.name ?? id);
    const label = detached ? `memory-region: ${region.name}` : `address-space: ${names.join(', ')}`;
    const ranges = detached
      ? 'reached through aliases'
      : `root ${region.name}, ${this.flatCount(element)} flat ranges`;
    return {
      id: element.key,
      label,
      description: ranges,
      tooltip: detached
        ? `**memory-region: ${escapeMarkdown(region.name)}**\n\nNot the root of an address space; aliases map parts of it.`
        : `**${names.map(escapeMarkdown).join(', ')}**\n\nAddress space${names.length > 1 ? 's' : ''} rendering root region ${markdownCode(region.name)}.`,
      icon: detached ? 'references' : 'symbol-module',
      collapsible: 'expanded',
      contextValue: detached ? 'memoryRegionRoot' : `addressSpace${this.isLive ? ';live' : ''}`,
      accessibilityLabel: label,
      dimmed: false,
    };
  }

  private flatCount(element: RootElement): number {
    const space = this.index!.spaces.get(element.spaceIds[0]!);
    return space ? space.flatView.length : 0;
  }

  private regionItem(element: RegionElement, region: RegionInfo): MemoryTreeItemData {
    const mtree = `${mtreeRange(region.start, region.end)} (prio ${region.priority}, ${region.mtreeType})`;
    let aliasText = '';
    if (region.alias) {
      const aliasStart = fromHex(region.alias.offset);
      const aliasEnd = aliasStart + fromHex(region.size) - 1n;
      aliasText = ` → @${region.alias.targetName} ${mtreeHex(aliasStart)}-${mtreeHex(aliasEnd)}`;
    }
    const markers = regionFeatureMarkers(region);
    const features = markers.length ? ` [${markers.join(', ')}]` : '';
    const disabled = region.enabled ? '' : ' [disabled]';
    const flags = [
      'region',
      `kind=${region.kind}`,
      this.isLive ? 'live' : 'board',
      region.enabled ? 'enabled' : 'disabled',
      ...(region.source ? ['source'] : []),
      ...(region.alias ? ['alias'] : []),
    ];
    const isTop = region.parentId === undefined;
    return {
      id: element.key,
      label: region.name,
      description: `${mtree}${aliasText}${features}${disabled}`,
      tooltip: regionTooltip(region),
      icon: KIND_ICONS[region.kind],
      ...(region.enabled ? {} : { color: 'disabledForeground' }),
      collapsible: region.childIds.length === 0 ? 'none' : isTop ? 'expanded' : 'collapsed',
      contextValue: flags.join(';'),
      accessibilityLabel: `${KIND_WORDS[region.kind]} ${region.name}, ${formatSize(fromHex(region.size))} at ${region.start}, priority ${region.priority}${region.alias ? `, alias of ${region.alias.targetName} at offset ${region.alias.offset}` : ''}${spokenFeatures(region)}${region.enabled ? '' : ', disabled'}`,
      dimmed: !region.enabled,
    };
  }

  private buildRoots(snapshot: TopologySnapshot): RootElement[] {
    const byRoot = new Map<RegionId, string[]>();
    for (const space of snapshot.addressSpaces) {
      const list = byRoot.get(space.rootId) ?? [];
      list.push(space.id);
      byRoot.set(space.rootId, list);
    }
    const roots: RootElement[] = [];
    for (const [regionId, spaceIds] of byRoot)
      roots.push(this.rootElement(`as:${regionId}`, regionId, spaceIds));
    for (const regionId of snapshot.detachedRootIds) {
      if (!byRoot.has(regionId)) roots.push(this.rootElement(`mr:${regionId}`, regionId, []));
    }
    return roots;
  }

  private rootElement(key: string, regionId: RegionId, spaceIds: string[]): RootElement {
    const existing = this.elements.get(key);
    if (existing?.type === 'root' && existing.spaceIds.join(',') === spaceIds.join(','))
      return existing;
    const element: RootElement = { type: 'root', key, regionId, spaceIds };
    this.elements.set(key, element);
    return element;
  }

  private regionElement(regionId: RegionId, rootKey: string): RegionElement {
    const key = `${rootKey}|${regionId}`;
    const existing = this.elements.get(key);
    if (existing?.type === 'region') return existing;
    const element: RegionElement = { type: 'region', key, regionId, rootKey };
    this.elements.set(key, element);
    return element;
  }

  private dropElementsNotIn(index: TopologyIndex | undefined): void {
    const rootKeys = new Set(this.roots.map((r) => r.key));
    for (const [key, element] of this.elements) {
      const alive =
        index?.regions.has(element.regionId) &&
        (element.type === 'root' ? rootKeys.has(key) : rootKeys.has(element.rootKey));
      if (!alive) this.elements.delete(key);
    }
  }

  private hasChangedAncestor(element: MemoryTreeElement, changed: ReadonlySet<RegionId>): boolean {
    if (element.type === 'root') return false;
    let region = this.index!.regions.get(element.regionId);
    while (region?.parentId !== undefined) {
      if (changed.has(region.parentId)) return true;
      region = this.index!.regions.get(region.parentId);
    }
    // A change of the root region refreshes through the top-level node.
    const root = this.elements.get(element.rootKey);
    return root !== undefined && root.regionId !== element.regionId && changed.has(root.regionId);
  }
}

/** Regions whose own fields or child list differ between two snapshots (present in the new one). */
export function changedRegionIds(before: TopologyIndex, after: TopologyIndex): Set<RegionId> {
  const changed = new Set<RegionId>();
  for (const region of after.snapshot.regions) {
    const old = before.regions.get(region.id);
    if (!old) {
      if (region.parentId !== undefined) changed.add(region.parentId);
      changed.add(region.id);
      continue;
    }
    if (!sameRegion(old, region)) changed.add(region.id);
  }
  for (const old of before.snapshot.regions) {
    if (
      !after.regions.has(old.id) &&
      old.parentId !== undefined &&
      after.regions.has(old.parentId)
    ) {
      changed.add(old.parentId);
    }
  }
  return changed;
}

function sameRegion(a: RegionInfo, b: RegionInfo): boolean {
  return (
    a.name === b.name &&
    a.kind === b.kind &&
    a.mtreeType === b.mtreeType &&
    a.parentId === b.parentId &&
    a.offset === b.offset &&
    a.start === b.start &&
    a.end === b.end &&
    a.size === b.size &&
    a.priority === b.priority &&
    a.enabled === b.enabled &&
    a.readonly === b.readonly &&
    a.owner === b.owner &&
    a.alias?.targetId === b.alias?.targetId &&
    a.alias?.targetName === b.alias?.targetName &&
    a.alias?.offset === b.alias?.offset &&
    sameSource(a, b) &&
    sameFeatures(a, b) &&
    a.childIds.length === b.childIds.length &&
    a.childIds.every((id, i) => b.childIds[i] === id)
  );
}

/** Max size, ioeventfds and coalesced ranges (small lists, compared as the JSON they travel as). */
function sameFeatures(a: RegionInfo, b: RegionInfo): boolean {
  return (
    a.maxSize === b.maxSize &&
    JSON.stringify(a.ioeventfds) === JSON.stringify(b.ioeventfds) &&
    JSON.stringify(a.coalesced) === JSON.stringify(b.coalesced)
  );
}

function sameSource(a: RegionInfo, b: RegionInfo): boolean {
  const x = a.source;
  const y = b.source;
  if (!x || !y) return x === y;
  return (
    x.file === y.file &&
    x.line === y.line &&
    x.column === y.column &&
    x.endLine === y.endLine &&
    x.endColumn === y.endColumn
  );
}
