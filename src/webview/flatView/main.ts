/**
 * Flat-view webview entry: per address space, the rendered flat view drawn as a map on a folded
 * axis, the ranges in view listed beside it, hover details, click to reveal in the tree and the
 * board source, zoom and pan, the "why this address?" box, live updates, saved state.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import {
  fromHex,
  SIZE_2_64,
  type AddressSpaceInfo,
  type FlatViewHostContract,
  type FlatViewState,
  type FlatViewWebviewContract,
  type RegionInfo,
  type TopologySnapshot,
} from '../../protocol';
import { connectToHost, vscodeApi } from '../common';
import { FlatMap } from './mapView';
import { RangeList } from './listView';
import { ResolverBox } from './resolverBox';
import type { Segment } from './layout';

const api = vscodeApi<FlatViewState>();
let state: FlatViewState = api.getState() ?? { zoom: 1, scroll: 0 };
let snapshot: TopologySnapshot | null = null;
let regionsById = new Map<string, RegionInfo>();
let space: AddressSpaceInfo | undefined;

const root = document.getElementById('root') ?? document.body;
root.classList.add('flat-view');

// ---- toolbar
const toolbar = div('toolbar');
toolbar.setAttribute('role', 'toolbar');
toolbar.setAttribute('aria-label', 'Flat view');
const spaceSelect = document.createElement('vscode-single-select') as HTMLElement & {
  value: string;
};
spaceSelect.id = 'space-select';
spaceSelect.setAttribute('aria-label', 'Address space');
const zoomOut = toolbarButton('zoom-out', 'Zoom out (-)');
const zoomIn = toolbarButton('zoom-in', 'Zoom in (+)');
const zoomFit = toolbarButton('screen-normal', 'Fit the whole address space (0)');
const openHex = toolbarButton('file-binary', 'Open the selected region in the hex editor');
const zoomLabel = div('zoom-label');
zoomLabel.setAttribute('aria-live', 'polite');
const status = div('status');
status.setAttribute('role', 'status');
toolbar.append(spaceSelect, zoomOut, zoomIn, zoomFit, zoomLabel, openHex, status);

// ---- map, list, resolver
const mapSection = div('map-section');
mapSection.setAttribute('aria-label', 'Map');
const lower = div('lower');
const listSection = div('list-section');
const resolverSection = div('resolver-section');
resolverSection.setAttribute('role', 'search');
resolverSection.setAttribute('aria-labelledby', 'resolver-heading');
lower.append(listSection, resolverSection);
const empty = div('empty-message');
empty.hidden = true;
root.append(toolbar, empty, mapSection, lower);

const host = connectToHost<FlatViewWebviewContract, FlatViewHostContract>((problem) =>
  showStatus(`Message problem: ${problem}`, true),
);

const map = new FlatMap(mapSection, {
  activate: (segment, how) => activate(segment, how === 'double-click'),
  viewChanged: () => {
    list.show(map.allSegments, map.visibleRangeIndexes());
    zoomLabel.textContent = `${formatZoom(map.zoom)}`;
    saveState({ zoom: map.zoom, scroll: map.scrollFraction });
  },
  regionInfo: (regionId) => regionsById.get(regionId),
});
const list = new RangeList(listSection, (segment) => activate(segment, false));
const resolver = new ResolverBox(resolverSection, {
  resolve: async (address) => {
    if (!space) throw new Error('no address space to resolve in');
    const resolution = await host.request('resolveAddress', {
      addressSpaceId: space.id,
      address: `0x${address.toString(16)}`,
    });
    map.showMarker(address);
    if (resolution.winner) selectRegion(resolution.winner.regionId, true);
    return resolution;
  },
  inputChanged: (text) => saveState({ resolverInput: text }),
  regionClicked: (regionId) => {
    selectRegion(regionId, true);
    void reveal(regionId);
  },
});
if (state.resolverInput) resolver.setInput(state.resolverInput);

zoomIn.addEventListener('click', () => map.setZoom(map.zoom * 2));
zoomOut.addEventListener('click', () => map.setZoom(map.zoom / 2));
zoomFit.addEventListener('click', () => map.setZoom(1));
openHex.addEventListener('click', () => {
  const segment = map.allSegments.find((s) => s.range?.regionId === state.selectedRegionId);
  if (segment) void openInHexEditor(segment);
  else showStatus('Select a region first.', true);
});
spaceSelect.addEventListener('change', () => {
  saveState({ addressSpaceId: spaceSelect.value, scroll: 0 });
  showSpace(0);
});

host.on('topology', ({ snapshot: next, reason }) => applySnapshot(next, reason));
host.on('focusRegion', (focus) => focusRegion(focus));

function focusRegion({ regionId, addressSpaceId }: { regionId: string; addressSpaceId?: string }) {
  if (
    addressSpaceId &&
    addressSpaceId !== space?.id &&
    snapshot?.addressSpaces.some((s) => s.id === addressSpaceId)
  ) {
    saveState({ addressSpaceId });
    showSpace(0);
  }
  selectRegion(regionId, true);
  map.viewport.focus();
}

void host
  .request('getTopology', {})
  .then((answer) => {
    applySnapshot(answer.snapshot, answer.snapshot ? undefined : answer.reason, state.scroll);
    if (answer.snapshot && answer.focus) focusRegion(answer.focus);
  })
  .catch((error: unknown) => showStatus(`Could not get the memory map: ${String(error)}`, true));

function applySnapshot(next: TopologySnapshot | null, reason?: string, scroll?: number): void {
  // Measured (performance entry 'flatView.render') so tests and users can see render cost.
  const start = performance.now();
  try {
    render(next, reason, scroll);
  } finally {
    performance.measure('flatView.render', { start, end: performance.now() });
  }
}

function render(next: TopologySnapshot | null, reason?: string, scroll?: number): void {
  snapshot = next;
  regionsById = new Map(next?.regions.map((r) => [r.id, r]));
  if (!next || next.addressSpaces.length === 0) {
    empty.textContent =
      reason ?? 'Nothing to show: open a .board file or start a Boardmap debug session.';
    empty.hidden = false;
    mapSection.hidden = true;
    lower.hidden = true;
    space = undefined;
    return;
  }
  empty.hidden = true;
  mapSection.hidden = false;
  lower.hidden = false;
  spaceSelect.replaceChildren(
    ...next.addressSpaces.map((s) => {
      const option = document.createElement('vscode-option') as HTMLElement & { value: string };
      option.value = s.id;
      option.textContent = `${s.name} (${s.flatView.length} ranges)`;
      return option;
    }),
  );
  showSpace(scroll);
  showStatus(
    `${next.source.kind === 'machine' ? 'Live' : 'Board'}: ${next.source.label}, v${next.version}`,
    false,
  );
}

function showSpace(scroll?: number): void {
  if (!snapshot) return;
  space =
    snapshot.addressSpaces.find((s) => s.id === state.addressSpaceId) ??
    defaultSpace(snapshot.addressSpaces);
  if (!space) return;
  spaceSelect.value = space.id;
  const rootRegion = snapshot.regions.find((r) => r.id === space!.rootId);
  const end = rootRegion ? fromHex(rootRegion.offset) + fromHex(rootRegion.size) : SIZE_2_64;
  if (map.zoom !== state.zoom && scroll !== undefined) map.setZoom(state.zoom);
  map.show(space.flatView, end > SIZE_2_64 ? SIZE_2_64 : end, scroll);
  map.select(state.selectedRegionId, false);
  list.select(state.selectedRegionId);
  list.show(map.allSegments, map.visibleRangeIndexes());
  zoomLabel.textContent = formatZoom(map.zoom);
  mapSection.setAttribute('aria-label', `Map of address space ${space.name}`);
}

/** The CPU's view: QEMU's `memory` space when there is one, else the space with the most ranges. */
function defaultSpace(spaces: readonly AddressSpaceInfo[]): AddressSpaceInfo | undefined {
  return (
    spaces.find((s) => s.name === 'memory') ??
    [...spaces].sort((a, b) => b.flatView.length - a.flatView.length)[0]
  );
}

function selectRegion(regionId: string, scroll: boolean): void {
  saveState({ selectedRegionId: regionId });
  map.select(regionId, scroll);
  list.select(regionId);
  list.show(map.allSegments, map.visibleRangeIndexes());
}

function activate(segment: Segment, openHexEditor: boolean): void {
  const regionId = segment.range!.regionId;
  selectRegion(regionId, false);
  if (openHexEditor) void openInHexEditor(segment);
  else void reveal(regionId);
}

async function reveal(regionId: string): Promise<void> {
  try {
    const { revealedInSource } = await host.request('revealRegion', {
      regionId,
      ...(space ? { addressSpaceId: space.id } : {}),
      inTree: true,
      inSource: true,
    });
    const name = snapshot?.regions.find((r) => r.id === regionId)?.name ?? regionId;
    showStatus(
      revealedInSource ? `Revealed ${name}.` : `${name} has no board source; shown in the tree.`,
      false,
    );
  } catch (error) {
    showStatus(String(error instanceof Error ? error.message : error), true);
  }
}

async function openInHexEditor(segment: Segment): Promise<void> {
  try {
    await host.request('openHexEditor', {
      addressSpaceId: space!.id,
      address: segment.range!.start,
      regionId: segment.range!.regionId,
    });
  } catch (error) {
    showStatus(String(error instanceof Error ? error.message : error), true);
  }
}

function saveState(patch: Partial<FlatViewState>): void {
  state = { ...state, ...patch };
  api.setState(state);
}

function showStatus(text: string, isError: boolean): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function formatZoom(zoom: number): string {
  return `×${zoom >= 10 ? Math.round(zoom) : zoom.toFixed(zoom % 1 ? 1 : 0)}`;
}

function div(className: string): HTMLElement {
  const node = document.createElement('div');
  node.className = className;
  return node;
}

function toolbarButton(icon: string, label: string): HTMLElement {
  const button = document.createElement('vscode-toolbar-button');
  button.setAttribute('icon', icon);
  button.setAttribute('label', label);
  button.setAttribute('title', label);
  button.setAttribute('aria-label', label);
  return button;
}
