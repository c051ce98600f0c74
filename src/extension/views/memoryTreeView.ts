/**
 * The Memory Tree view (`boardmap.memoryTree`): a TreeDataProvider over MemoryTreeModel, fed by
 * the TopologyHub, firing only changed elements. Disabled regions are dimmed through a file
 * decoration on a `boardmap-region:` resource URI (label colour) plus the icon colour.
 */
import * as vscode from 'vscode';
import type { TopologyHub, TopologyState } from './topologyHub';
import { MemoryTreeModel, type MemoryTreeElement } from './model';

export const MEMORY_TREE_VIEW_ID = 'boardmap.memoryTree';
const REGION_SCHEME = 'boardmap-region';

export class MemoryTreeProvider
  implements
    vscode.TreeDataProvider<MemoryTreeElement>,
    vscode.FileDecorationProvider,
    vscode.Disposable
{
  readonly model = new MemoryTreeModel();
  private readonly treeEmitter = new vscode.EventEmitter<
    MemoryTreeElement | MemoryTreeElement[] | undefined
  >();
  readonly onDidChangeTreeData = this.treeEmitter.event;
  private readonly decorationEmitter = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.decorationEmitter.event;
  private readonly disabledKeys = new Set<string>();
  readonly view: vscode.TreeView<MemoryTreeElement>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(hub: TopologyHub) {
    this.view = vscode.window.createTreeView(MEMORY_TREE_VIEW_ID, {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      this.treeEmitter,
      this.decorationEmitter,
      vscode.window.registerFileDecorationProvider(this),
      hub.onDidChange((state) => this.update(state)),
    );
    this.update(hub.state);
  }

  private update(state: TopologyState): void {
    const change = this.model.setSnapshot(state.snapshot, state.changes);
    const snapshot = state.snapshot;
    void vscode.commands.executeCommand(
      'setContext',
      'boardmap.topologyLive',
      state.live && !!snapshot,
    );
    void vscode.commands.executeCommand('setContext', 'boardmap.hasTopology', !!snapshot);
    this.view.message = state.message;
    this.view.description = snapshot
      ? `${state.live ? 'live: ' : ''}${snapshot.source.label}${state.live ? ` (v${snapshot.version})` : ''}`
      : undefined;
    // Recompute dimmed labels for the regions VS Code may show.
    const disabled = new Set(snapshot?.regions.filter((r) => !r.enabled).map((r) => r.id));
    const decorationChanged =
      [...this.disabledKeys].some((id) => !disabled.has(id)) ||
      [...disabled].some((id) => !this.disabledKeys.has(id));
    this.disabledKeys.clear();
    for (const id of disabled) this.disabledKeys.add(id);
    if (change.kind === 'all') this.treeEmitter.fire(undefined);
    else if (change.kind === 'elements') this.treeEmitter.fire([...change.elements]);
    if (decorationChanged) this.decorationEmitter.fire(undefined);
  }

  getTreeItem(element: MemoryTreeElement): vscode.TreeItem {
    const data = this.model.getItem(element);
    const collapsible =
      data.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : data.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(data.label, collapsible);
    item.id = data.id;
    item.description = data.description;
    item.iconPath = new vscode.ThemeIcon(
      data.icon,
      data.color ? new vscode.ThemeColor(data.color) : undefined,
    );
    item.contextValue = data.contextValue;
    item.accessibilityInformation = { label: data.accessibilityLabel, role: 'treeitem' };
    if (element.type === 'region') {
      item.resourceUri = vscode.Uri.from({
        scheme: REGION_SCHEME,
        path: `/${encodeURIComponent(element.regionId)}`,
      });
    }
    // The Markdown tooltip is filled lazily in resolveTreeItem.
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: MemoryTreeElement): vscode.TreeItem {
    const md = new vscode.MarkdownString(this.model.getItem(element).tooltip);
    md.supportThemeIcons = true;
    item.tooltip = md;
    return item;
  }

  getChildren(element?: MemoryTreeElement): MemoryTreeElement[] {
    return this.model.getChildren(element);
  }

  getParent(element: MemoryTreeElement): MemoryTreeElement | undefined {
    return this.model.getParent(element);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== REGION_SCHEME) return undefined;
    const id = decodeURIComponent(uri.path.slice(1));
    if (!this.disabledKeys.has(id)) return undefined;
    return { color: new vscode.ThemeColor('disabledForeground'), tooltip: 'disabled' };
  }

  /** Selects and reveals a region (every occurrence's first); false when it is not in the tree. */
  async revealRegion(regionId: string, focus = false): Promise<boolean> {
    const [element] = this.model.elementsForRegion(regionId);
    if (!element) return false;
    await this.view.reveal(element, { select: true, focus, expand: false });
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
