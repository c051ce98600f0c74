/**
 * Host side of the flat-view webview: one panel per window, restored after a reload by a
 * WebviewPanelSerializer (its state comes back to the webview through getState), fed by the
 * TopologyHub, answering the webview's requests through the typed RPC.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import {
  FLAT_VIEW_VIEW_TYPE,
  RpcHandlerError,
  parseUserAddress,
  type RpcEndpoint,
  type FlatViewHostContract,
  type FlatViewWebviewContract,
  HexEditorCommand,
} from '../../protocol';
import type { MemoryTreeProvider } from './memoryTreeView';
import { revealRegionInSource } from './regionActions';
import type { TopologyHub } from './topologyHub';
import { extensionResourceUri, panelRpcEndpoint } from '../webviewHost';
import { buildWebviewHtml } from './model';

export interface FlatViewDeps {
  readonly extensionUri: vscode.Uri;
  readonly hub: TopologyHub;
  readonly tree: MemoryTreeProvider;
  readonly log: vscode.LogOutputChannel;
}

export class FlatViewPanel implements vscode.Disposable {
  private static current: FlatViewPanel | undefined;
  private readonly rpc: RpcEndpoint<FlatViewHostContract, FlatViewWebviewContract>;
  private readonly disposables: vscode.Disposable[] = [];
  private pendingFocus: { regionId: string; addressSpaceId?: string } | undefined;

  /** Opens (or reveals) the flat view, optionally focused on a region. */
  static show(
    deps: FlatViewDeps,
    focus?: { regionId: string; addressSpaceId?: string },
  ): FlatViewPanel {
    let view = FlatViewPanel.current;
    if (view) {
      view.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(
        FLAT_VIEW_VIEW_TYPE,
        'Flat View',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        FlatViewPanel.options(deps.extensionUri),
      );
      view = new FlatViewPanel(panel, deps);
    }
    if (focus) {
      // Also kept for the page's next getTopology: an event sent while it loads is lost.
      view.pendingFocus = focus;
      view.rpc.emit('focusRegion', focus);
    }
    return view;
  }

  /** The serializer that brings the panel back after a window reload. */
  static registerSerializer(deps: FlatViewDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(FLAT_VIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        panel.webview.options = FlatViewPanel.options(deps.extensionUri);
        new FlatViewPanel(panel, deps);
      },
    });
  }

  private static options(
    extensionUri: vscode.Uri,
  ): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(extensionUri, 'dist'),
        vscode.Uri.joinPath(extensionUri, 'media'),
      ],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: FlatViewDeps,
  ) {
    FlatViewPanel.current?.dispose();
    FlatViewPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'boardmap.svg');
    this.rpc = panelRpcEndpoint(panel, deps.log, 'flat view');
    this.registerHandlers();
    const webview = panel.webview;
    const asUri = extensionResourceUri(webview, deps.extensionUri);
    webview.html = buildWebviewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      title: 'Flat View',
      scriptUri: asUri('dist', 'webview', 'flatView.js'),
      styleUris: [asUri('media', 'flatView.css')],
      codiconUri: asUri('dist', 'media', 'codicon.css'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m) => this.rpc.deliver(m)),
      deps.hub.onDidChange((state) => {
        this.updateTitle();
        this.rpc.emit('topology', {
          snapshot: state.snapshot ?? null,
          ...(state.message ? { reason: state.message } : {}),
        });
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.updateTitle();
  }

  /** The tab says whose map it is: `Flat View: remap.board` or `Flat View: live remap.board`. */
  private updateTitle(): void {
    const { snapshot, live } = this.deps.hub.state;
    this.panel.title = snapshot
      ? `Flat View: ${live ? 'live ' : ''}${snapshot.source.label}`
      : 'Flat View';
  }

  private registerHandlers(): void {
    const { hub, tree } = this.deps;
    this.rpc.handle('getTopology', () => {
      const { snapshot, message } = hub.state;
      const focus = this.pendingFocus;
      this.pendingFocus = undefined;
      return snapshot
        ? { snapshot, ...(focus ? { focus } : {}) }
        : {
            snapshot: null,
            reason: message ?? 'Open a .board file or start a Boardmap debug session.',
          };
    });
    this.rpc.handle('resolveAddress', ({ addressSpaceId, address }) => {
      const parsed = parseUserAddress(address);
      if (!parsed.ok) throw new RpcHandlerError(parsed.error, 'bad-address');
      return hub.resolveAddress(addressSpaceId, parsed.value);
    });
    this.rpc.handle('revealRegion', async ({ regionId, inTree, inSource }) => {
      const region = tree.model.snapshot?.regions.find((r) => r.id === regionId);
      if (!region)
        throw new RpcHandlerError(`region ${regionId} is not in the current map`, 'unknown-region');
      if (inTree) await tree.revealRegion(regionId, false);
      const revealedInSource = inSource
        ? await revealRegionInSource(region, true, this.panel.viewColumn)
        : false;
      return { revealedInSource };
    });
    this.rpc.handle('openHexEditor', async ({ addressSpaceId, address, regionId }) => {
      await vscode.commands.executeCommand(HexEditorCommand.open, {
        addressSpace: addressSpaceId,
        address,
        ...(regionId ? { regionId } : {}),
      });
      return null;
    });
  }

  dispose(): void {
    if (FlatViewPanel.current === this) FlatViewPanel.current = undefined;
    this.rpc.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
