/**
 * Host side of the hex editor webview: one panel per address space, restored after a reload by a
 * WebviewPanelSerializer. It answers the webview's requests by talking to the active Boardmap debug
 * session (MemoryClient) and forwards session state and memory changes (SessionTracker).
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import {
  type RpcEndpoint,
  RpcHandlerError,
  HEX_EDITOR_VIEW_TYPE,
  type ExportFormat,
  type HexEditorViewState,
  type HexHostContract,
  type HexWebviewContract,
  type RevealTarget,
  decodeBase64,
  SIZE_2_64,
  toHex,
  DAP_TOPOLOGY_REQUEST,
  type TopologyResponseBody,
  type TopologySnapshot,
} from '../../protocol';
import { extensionResourceUri, panelRpcEndpoint } from '../webviewHost';
import { hexEditorHtml, makeNonce, MemoryClient, regionList, exportProblem } from './model';
import { exportToFile } from './exportToFile';
import type { SessionEvent, SessionTracker } from './sessionTracker';
import { notificationText } from '../text';

export interface HexEditorDeps {
  extensionUri: vscode.Uri;
  tracker: SessionTracker;
  log: vscode.LogOutputChannel;
  /** Where each address space's last view is kept between openings (the workspace's state). */
  viewStates?: vscode.Memento;
}

const viewStateKey = (space: string) => `boardmap.hexEditor.viewState:${space}`;

/** A saved view of `space`, when the memento holds one that looks like it. */
function savedViewState(
  memento: vscode.Memento | undefined,
  space: string,
): HexEditorViewState | undefined {
  const saved = memento?.get<HexEditorViewState>(viewStateKey(space));
  return saved && typeof saved === 'object' && saved.addressSpace === space ? saved : undefined;
}

/** How long memory events are gathered before the webview hears of them (one burst). */
const MEMORY_BURST_MS = 10;
/** How soon after a stop a hidden editor counts as hidden by the stop's source reveal. */
const STOP_REVEAL_WINDOW_MS = 3_000;

export class HexEditorPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, HexEditorPanel>();
  private readonly rpc: RpcEndpoint<HexHostContract, HexWebviewContract>;
  private readonly disposables: vscode.Disposable[] = [];
  private topology: TopologySnapshot | undefined;
  private client: MemoryClient | undefined;
  private clientSession: vscode.DebugSession | undefined;
  /** The session whose state the webview was last told. */
  private shownSession: vscode.DebugSession | undefined;
  private ready = false;
  private readonly pendingRanges = new Map<string, { start: bigint; end: bigint }>();
  private memoryTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the shown session last stopped (Date.now()); 0 once a stop's reveal was handled. */
  private lastStopAt = 0;

  /** Opens (or reveals) the editor of `space` and shows `target`. */
  static show(deps: HexEditorDeps, space: string, target: RevealTarget | undefined): void {
    const existing = HexEditorPanel.panels.get(space);
    if (existing) {
      existing.panel.reveal(undefined, false);
      if (target) {
        if (existing.ready) existing.rpc.emit('reveal', target);
        else existing.pendingReveal = target;
      }
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      HEX_EDITOR_VIEW_TYPE,
      `Hex: ${space}`,
      // While debugging, beside the source: every stop reveals the source in its group, which
      // would otherwise hide (and dispose) the grid whose bytes the user wants to see change.
      {
        viewColumn: deps.tracker.activeSession()
          ? vscode.ViewColumn.Beside
          : vscode.ViewColumn.Active,
        preserveFocus: false,
      },
      HexEditorPanel.options(deps.extensionUri),
    );
    new HexEditorPanel(panel, deps, space, target);
  }

  static registerSerializer(deps: HexEditorDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(HEX_EDITOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const space =
          typeof state === 'object' && state && 'addressSpace' in state
            ? String((state as { addressSpace: unknown }).addressSpace)
            : 'memory';
        panel.webview.options = HexEditorPanel.options(deps.extensionUri);
        new HexEditorPanel(panel, deps, space, undefined);
      },
    });
  }

  private static options(uri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(uri, 'dist'), vscode.Uri.joinPath(uri, 'media')],
      // The undo history, the bytes changed since the last stop and the failed-write marks live
      // in the page: hiding the tab (another editor in its group, a stop's source) must keep it.
      retainContextWhenHidden: true,
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: HexEditorDeps,
    private readonly space: string,
    private pendingReveal: RevealTarget | undefined,
  ) {
    HexEditorPanel.panels.get(space)?.dispose();
    HexEditorPanel.panels.set(space, this);
    panel.title = `Hex: ${space}`;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'boardmap.svg');
    this.rpc = panelRpcEndpoint(panel, deps.log, 'hex editor');
    this.registerHandlers();
    const webview = panel.webview;
    const asUri = extensionResourceUri(webview, deps.extensionUri);
    webview.html = hexEditorHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => randomBytes(n)),
      scriptUri: asUri('dist', 'webview', 'hexEditor.js'),
      styleUri: asUri('media', 'hexEditor.css'),
      codiconUri: asUri('dist', 'media', 'codicon.css'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m) => this.rpc.deliver(m)),
      panel.onDidDispose(() => this.dispose()),
      // Either may arrive first when a stop's source replaces this editor in its group.
      panel.onDidChangeViewState(() => this.stayVisibleAcrossStop()),
      vscode.window.onDidChangeActiveTextEditor(() => this.stayVisibleAcrossStop()),
      deps.tracker.onEvent((e) => this.onSessionEvent(e)),
      vscode.debug.onDidChangeActiveDebugSession(() => this.syncSession()),
    );
  }

  /** Forwards what happens in the session this editor shows; notices when that session changes. */
  private onSessionEvent(e: SessionEvent): void {
    if (e.session !== this.shownSession) {
      // Another session started or stopped: maybe it is the one to show now.
      this.syncSession();
      return;
    }
    if (e.kind === 'memory') {
      if (e.space === this.space) this.queueMemoryChange(e.start, e.end);
      return;
    }
    // Whatever comes next happened after the changes queued so far: they go first.
    if (e.kind === 'memoryAll') this.pendingRanges.clear();
    this.flushMemoryChanges();
    switch (e.kind) {
      case 'state':
        this.lastStopAt = e.state === 'stopped' ? Date.now() : 0;
        this.rpc.emit('sessionChanged', {
          state: e.state,
          name: e.session.name,
          ...(e.reason ? { reason: e.reason } : {}),
        });
        // After the tracker has forgotten an ended session, switch to the next one (or none).
        if (e.state === 'none') setTimeout(() => this.syncSession(), 0);
        break;
      case 'memoryAll':
        this.rpc.emit('memoryChanged', { all: true });
        break;
      case 'topology':
        this.topology = undefined;
        this.rpc.emit('topologyChanged', { version: e.version });
    }
  }

  /**
   * The adapter reports one change under several memory references (VS Code matches views by
   * reference), so the same range arrives many times in a row: send each range once per burst.
   */
  private queueMemoryChange(start: bigint, end: bigint): void {
    this.pendingRanges.set(`${start}:${end}`, { start, end });
    this.memoryTimer ??= setTimeout(() => this.flushMemoryChanges(), MEMORY_BURST_MS);
  }

  private flushMemoryChanges(): void {
    if (this.memoryTimer) clearTimeout(this.memoryTimer);
    this.memoryTimer = undefined;
    if (this.pendingRanges.size === 0) return;
    const ranges = [...this.pendingRanges.values()].map((r) => ({
      start: toHex(r.start),
      end: toHex(r.end),
    }));
    this.pendingRanges.clear();
    this.rpc.emit('memoryChanged', { ranges });
  }

  /**
   * A stop shows its source in the active editor group. When that is this editor's group (it was
   * opened with no source editor open, or focused since), the source hides the grid whose bytes the
   * stop changed: move the editor beside the source instead, keeping the focus on the source.
   */
  private stayVisibleAcrossStop(): void {
    if (this.panel.visible || Date.now() - this.lastStopAt > STOP_REVEAL_WINDOW_MS) return;
    const source = vscode.window.activeTextEditor;
    if (!source || source.viewColumn !== this.panel.viewColumn) return;
    this.lastStopAt = 0;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** Makes the shown session the active one; tells the webview when it changed. */
  private syncSession(): void {
    const session = this.deps.tracker.activeSession();
    if (session === this.shownSession) return;
    this.shownSession = session;
    this.client = undefined;
    this.topology = undefined;
    if (!this.ready) return;
    this.rpc.emit('sessionChanged', {
      state: this.deps.tracker.stateOf(session),
      ...(session ? { name: session.name } : {}),
    });
    this.rpc.emit('memoryChanged', { all: true });
  }

  /** The client of the active session, or a clear error when there is none. */
  private memory(): MemoryClient {
    const session = this.deps.tracker.activeSession();
    if (!session) {
      throw new RpcHandlerError(
        'no Boardmap debug session: start one to read memory',
        'no-session',
      );
    }
    if (!this.client || this.clientSession !== session) {
      this.clientSession = session;
      this.client = new MemoryClient(
        (command, args) => Promise.resolve(session.customRequest(command, args)),
        this.space,
        () => this.topology,
      );
    }
    return this.client;
  }

  private async loadTopology(): Promise<TopologySnapshot | undefined> {
    const session = this.deps.tracker.activeSession();
    if (!session) return undefined;
    if (!this.topology) {
      try {
        const body = (await session.customRequest(
          DAP_TOPOLOGY_REQUEST,
          {},
        )) as TopologyResponseBody;
        if (!body.unchanged) this.topology = body.snapshot;
      } catch (error) {
        this.deps.log.warn(`hex editor: topology unavailable: ${describe(error)}`);
      }
    }
    return this.topology;
  }

  private registerHandlers(): void {
    const rpc = this.rpc;
    rpc.handle('ready', async () => {
      this.ready = true;
      const session = this.deps.tracker.activeSession();
      this.shownSession = session;
      const topology = await this.loadTopology();
      const info = topology?.addressSpaces.find((s) => s.id === this.space);
      const root = info && topology?.regions.find((r) => r.id === info.rootId);
      const reveal = this.pendingReveal;
      this.pendingReveal = undefined;
      const savedState = savedViewState(this.deps.viewStates, this.space);
      return {
        ...(savedState ? { savedState } : {}),
        addressSpace: this.space,
        addressSpaceName: info?.name ?? this.space,
        // The root's size bounds the space; a full 64-bit space when unknown.
        spaceSize: toHex(root ? BigInt(root.size) : SIZE_2_64),
        ...(reveal ? { reveal } : {}),
        session: {
          state: this.deps.tracker.stateOf(session),
          ...(session ? { name: session.name } : {}),
        },
      };
    });
    rpc.handle('saveViewState', async (state) => {
      if (state?.addressSpace === this.space)
        await this.deps.viewStates?.update(viewStateKey(this.space), state);
      return null;
    });
    rpc.handle('readPage', ({ address }) => this.memory().read(BigInt(address), 4096));
    rpc.handle('readWithSideEffects', ({ address, count }) =>
      this.memory().readWithSideEffects(BigInt(address), count),
    );
    rpc.handle('write', async ({ address, data }) => {
      const result = await this.memory().write(BigInt(address), decodeBase64(data));
      if (result.bytesWritten > 0) {
        // Our own write: other editors of this space re-read it even if the adapter sends no event.
        this.rpc.emit('memoryChanged', {
          ranges: [
            {
              start: address,
              end: toHex(BigInt(address) + BigInt(result.bytesWritten)),
            },
          ],
        });
      }
      return result;
    });
    rpc.handle('registerInfo', ({ address, count }) =>
      this.memory().registerInfo(BigInt(address), count),
    );
    rpc.handle('resolveExpression', async ({ expression }) => {
      const item = vscode.debug.activeStackItem;
      const frameId =
        item instanceof vscode.DebugStackFrame && item.session === this.clientSession
          ? item.frameId
          : undefined;
      const address = await this.memory().resolveExpression(expression, frameId);
      return { address: toHex(address) };
    });
    rpc.handle('listRegions', async () => regionList(await this.loadTopology(), this.space));
    rpc.handle('exportRange', async ({ address, length, format }) => {
      const chosen = format ?? (await askFormat());
      if (!chosen) return { bytes: 0, unreadable: 0 };
      const start = BigInt(address);
      const problem = exportProblem(start, BigInt(length), chosen);
      if (problem) throw new Error(problem); // before the save dialog, not after it
      const ext = chosen === 'ihex' ? 'hex' : 'bin';
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const fileName = `${this.space.replace(/[^\w.-]+/g, '_')}-${address}.${ext}`;
      const target = await vscode.window.showSaveDialog({
        title: `Export ${length} bytes at ${address}`,
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
        filters: chosen === 'ihex' ? { 'Intel HEX': ['hex', 'ihex'] } : { Binary: ['bin'] },
      });
      if (!target) return { bytes: 0, unreadable: 0 };
      const out = await exportToFile(this.memory(), target, start, BigInt(length), chosen);
      return { path: target.fsPath, bytes: out.bytes, unreadable: out.unreadable };
    });
    rpc.handle('copyText', async ({ text }) => {
      await vscode.env.clipboard.writeText(text);
      return null;
    });
    rpc.handle('notify', ({ severity, message: raw }) => {
      // the webview's messages quote region names and addresses the user typed
      const message = notificationText(raw);
      if (severity === 'error') void vscode.window.showErrorMessage(message);
      else if (severity === 'warning') void vscode.window.showWarningMessage(message);
      else void vscode.window.showInformationMessage(message);
      return null;
    });
  }

  dispose(): void {
    if (this.memoryTimer) clearTimeout(this.memoryTimer);
    if (HexEditorPanel.panels.get(this.space) === this) HexEditorPanel.panels.delete(this.space);
    this.rpc.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

async function askFormat(): Promise<ExportFormat | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: 'Binary',
        description: 'raw bytes; unreadable bytes written as 00',
        format: 'binary' as const,
      },
      {
        label: 'Intel HEX',
        description: 'addresses below 4 GiB; unreadable bytes left out',
        format: 'ihex' as const,
      },
    ],
    { title: 'Export format' },
  );
  return pick?.format;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
