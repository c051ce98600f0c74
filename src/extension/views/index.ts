/**
 * Registers the views: the topology hub, the Memory Tree with its region commands, and the flat
 * view (command + restore serializer). Returns what other parts of the extension may call.
 */
import * as vscode from 'vscode';
import type { RegionInfo } from '../../protocol';
import type { BoardDocuments } from '../language';
import { FlatViewPanel, type FlatViewDeps } from './flatViewPanel';
import type { MemoryTreeElement } from './model';
import { MemoryTreeProvider } from './memoryTreeView';
import {
  copyRegionRange,
  openRegionInHexEditor,
  revealRegionInSource,
  setRegionEnabled,
} from './regionActions';
import { TopologyHub } from './topologyHub';
import { notificationText } from '../text';

export const VIEW_COMMANDS = {
  showFlatView: 'boardmap.showFlatView',
  revealRegion: 'boardmap.revealRegion',
  refresh: 'boardmap.memoryTree.refresh',
  revealInSource: 'boardmap.memoryTree.revealInSource',
  openInHexEditor: 'boardmap.memoryTree.openInHexEditor',
  showInFlatView: 'boardmap.memoryTree.showInFlatView',
  copyRange: 'boardmap.memoryTree.copyRange',
  enableRegion: 'boardmap.memoryTree.enableRegion',
  disableRegion: 'boardmap.memoryTree.disableRegion',
} as const;

/** Arguments of `boardmap.revealRegion` (also accepted by `boardmap.showFlatView`). */
export interface RevealRegionArgs {
  readonly regionId: string;
  readonly addressSpaceId?: string;
  /** Default true. */
  readonly inTree?: boolean;
  /** Default false. */
  readonly inSource?: boolean;
  /** Default false. */
  readonly inFlatView?: boolean;
}

export interface ViewsApi {
  readonly hub: TopologyHub;
  readonly tree: MemoryTreeProvider;
  /** Opens the flat view, optionally focused on a region. */
  showFlatView(focus?: { regionId: string; addressSpaceId?: string }): void;
}

export function registerViews(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  documents: BoardDocuments,
): ViewsApi {
  const hub = new TopologyHub(documents);
  const tree = new MemoryTreeProvider(hub);
  const deps: FlatViewDeps = { extensionUri: context.extensionUri, hub, tree, log };
  const showFlatView = (focus?: { regionId: string; addressSpaceId?: string }) => {
    FlatViewPanel.show(deps, focus);
  };

  /** The region behind a tree element, or behind `{ regionId }` args from other callers. */
  const regionOf = (
    arg: MemoryTreeElement | { regionId: string } | undefined,
  ): RegionInfo | undefined => {
    const selected = arg ?? tree.view.selection[0];
    if (!selected) return undefined;
    if ('type' in selected) return tree.model.regionOf(selected);
    return tree.model.snapshot?.regions.find((r) => r.id === selected.regionId);
  };
  const spaceOf = (
    arg: MemoryTreeElement | { addressSpaceId?: string } | undefined,
  ): string | undefined => {
    if (arg && 'type' in arg) return tree.model.spacesOf(arg)[0]?.id;
    return (
      (arg as { addressSpaceId?: string } | undefined)?.addressSpaceId ??
      tree.model.snapshot?.addressSpaces[0]?.id
    );
  };
  const withRegion =
    (action: (region: RegionInfo, arg: MemoryTreeElement | undefined) => unknown) =>
    (arg?: MemoryTreeElement) => {
      const region = regionOf(arg);
      if (!region) {
        void vscode.window.showInformationMessage('Select a region in the Memory Tree first.');
        return;
      }
      return action(region, arg);
    };

  context.subscriptions.push(
    hub,
    tree,
    FlatViewPanel.registerSerializer(deps),
    vscode.commands.registerCommand(VIEW_COMMANDS.showFlatView, (arg?: RevealRegionArgs) =>
      showFlatView(arg?.regionId ? arg : undefined),
    ),
    vscode.commands.registerCommand(VIEW_COMMANDS.refresh, () => hub.refresh()),
    vscode.commands.registerCommand(
      VIEW_COMMANDS.revealInSource,
      withRegion(async (region) => {
        if (!(await revealRegionInSource(region))) {
          void vscode.window.showInformationMessage(
            notificationText(
              `${region.name} has no board-file source (it comes from a built-in board or device).`,
            ),
          );
        }
      }),
    ),
    vscode.commands.registerCommand(
      VIEW_COMMANDS.openInHexEditor,
      withRegion((region, arg) => openRegionInHexEditor(hub, region, spaceOf(arg))),
    ),
    vscode.commands.registerCommand(
      VIEW_COMMANDS.showInFlatView,
      withRegion((region, arg) => {
        const addressSpaceId = spaceOf(arg);
        showFlatView({ regionId: region.id, ...(addressSpaceId ? { addressSpaceId } : {}) });
      }),
    ),
    vscode.commands.registerCommand(VIEW_COMMANDS.copyRange, withRegion(copyRegionRange)),
    vscode.commands.registerCommand(
      VIEW_COMMANDS.enableRegion,
      withRegion((region) => setRegionEnabled(hub, region, true)),
    ),
    vscode.commands.registerCommand(
      VIEW_COMMANDS.disableRegion,
      withRegion((region) => setRegionEnabled(hub, region, false)),
    ),
    vscode.commands.registerCommand(VIEW_COMMANDS.revealRegion, async (args: RevealRegionArgs) => {
      const region = regionOf(args);
      if (!region) throw new Error(`region ${args?.regionId} is not in the current map`);
      if (args.inTree !== false) await tree.revealRegion(region.id, true);
      if (args.inSource) await revealRegionInSource(region, true);
      if (args.inFlatView)
        showFlatView({
          regionId: region.id,
          ...(args.addressSpaceId ? { addressSpaceId: args.addressSpaceId } : {}),
        });
      return true;
    }),
  );
  return { hub, tree, showFlatView };
}
