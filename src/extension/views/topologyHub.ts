/**
 * Where the views get their topology: the live machine of the active `boardmap` debug session
 * (custom DAP requests, refreshed on `boardmap/topologyChanged`), else the active (or last active,
 * still open) `.board` editor, rebuilt as the user types (debounced). One hub feeds the Memory
 * Tree and the flat view, so both always show the same thing.
 */
import * as vscode from 'vscode';
import {
  DAP_RESOLVE_ADDRESS_REQUEST,
  DAP_SET_REGION_ENABLED_REQUEST,
  DAP_TOPOLOGY_CHANGED_EVENT,
  DAP_TOPOLOGY_REQUEST,
  indexTopology,
  resolveAddress,
  toHex,
  type AddressResolution,
  type ResolveAddressArguments,
  type SetRegionEnabledArguments,
  type TopologyChangedEventBody,
  type TopologyIndex,
  type TopologyRequestArguments,
  type TopologyResponseBody,
  type TopologySnapshot,
} from '../../protocol';
import { analysisSnapshot, type BoardSnapshotResult, type KnownTopologyChanges } from './model';
import type { BoardDocuments } from '../language';

export const DEBUG_TYPE = 'boardmap';
const BOARD_DEBOUNCE_MS = 250;

export interface TopologyState {
  readonly snapshot: TopologySnapshot | undefined;
  /** A note for the user: why nothing is shown, or that an older map is shown after an error. */
  readonly message: string | undefined;
  readonly live: boolean;
  /** What the adapter said changed since the previously fired live snapshot, when it said so. */
  readonly changes?: KnownTopologyChanges;
}

function isBoardDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'boardmap' || doc.fileName.endsWith('.board');
}

export class TopologyHub implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TopologyState>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  private boardDoc: vscode.TextDocument | undefined;
  private boardVersion = 0;
  private boardIndex: TopologyIndex | undefined;
  private boardMessage: string | undefined;
  private boardTimer: ReturnType<typeof setTimeout> | undefined;
  /** Incremented per build request; an analysis that finishes after a newer request is dropped. */
  private boardRequest = 0;

  private session: vscode.DebugSession | undefined;
  /** Ids of sessions that terminated (the active session can lag behind the terminate event). */
  private readonly ended = new Set<string>();
  private liveIndex: TopologyIndex | undefined;
  private liveMessage: string | undefined;
  private liveFetch: Promise<void> | undefined;
  private liveRefetch = false;
  /** Version of the last `topologyChanged` event: the base of the next event's region ids. */
  private lastEventVersion: number | undefined;
  /** Region ids the events named since the snapshot shown, for the fetch they triggered. */
  private pendingChanges: KnownTopologyChanges | undefined;
  /** Set only while firing the snapshot those changes lead to. */
  private firingChanges: KnownTopologyChanges | undefined;

  /** @documents: the language features' analyses, which the static map reuses (one per edit). */
  constructor(private readonly documents: BoardDocuments) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => this.onActiveEditor(e)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.boardDoc) this.scheduleBoardBuild();
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc === this.boardDoc) this.setBoardDocument(this.visibleBoardDocument());
      }),
      vscode.debug.onDidStartDebugSession((s) => this.onSessionsChanged(s)),
      vscode.debug.onDidChangeActiveDebugSession(() => this.onSessionsChanged()),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.ended.add(s.id);
        if (s === this.session) this.setSession(this.pickSession());
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session === this.session && e.event === DAP_TOPOLOGY_CHANGED_EVENT) {
          const body = e.body as TopologyChangedEventBody | undefined;
          this.noteChangedRegions(body);
          if (!this.liveIndex || !body || body.version !== this.liveIndex.snapshot.version)
            this.fetchLive();
        }
      }),
    );
    this.onActiveEditor(vscode.window.activeTextEditor);
    this.setSession(this.pickSession());
  }

  get state(): TopologyState {
    if (this.session) {
      const snapshot = this.liveIndex?.snapshot;
      const live = snapshot?.source.kind === 'machine';
      const changes = this.firingChanges;
      return { snapshot, message: this.liveMessage, live, ...(changes ? { changes } : {}) };
    }
    if (this.boardIndex || this.boardMessage) {
      return { snapshot: this.boardIndex?.snapshot, message: this.boardMessage, live: false };
    }
    return { snapshot: undefined, message: undefined, live: false };
  }

  /** The board document the static map comes from, if any. */
  get boardDocument(): vscode.TextDocument | undefined {
    return this.boardDoc;
  }

  get debugSession(): vscode.DebugSession | undefined {
    return this.session;
  }

  /** "Why this address?": the adapter answers for a live machine, the snapshot walker otherwise. */
  async resolveAddress(addressSpaceId: string, address: bigint): Promise<AddressResolution> {
    if (this.session && this.state.live) {
      const args: ResolveAddressArguments = { addressSpaceId, address: toHex(address) };
      return (await this.session.customRequest(
        DAP_RESOLVE_ADDRESS_REQUEST,
        args,
      )) as AddressResolution;
    }
    const index = this.session ? this.liveIndex : this.boardIndex;
    if (!index) throw new Error('no memory map to resolve in');
    return resolveAddress(index, addressSpaceId, address);
  }

  /** Enables or disables a region of the live machine. */
  async setRegionEnabled(regionId: string, enabled: boolean): Promise<void> {
    if (!this.session || !this.state.live)
      throw new Error('regions can be enabled or disabled only on a running machine');
    const args: SetRegionEnabledArguments = { regionId, enabled };
    await this.session.customRequest(DAP_SET_REGION_ENABLED_REQUEST, args);
    this.fetchLive();
  }

  /** Re-reads the current source (user "Refresh"). */
  refresh(): void {
    if (this.session) this.fetchLive(true);
    else if (this.boardDoc) this.buildBoard();
  }

  dispose(): void {
    if (this.boardTimer) clearTimeout(this.boardTimer);
    for (const d of this.disposables) d.dispose();
  }

  // ---- board source

  private onActiveEditor(editor: vscode.TextEditor | undefined): void {
    if (editor && isBoardDocument(editor.document)) this.setBoardDocument(editor.document);
  }

  private visibleBoardDocument(): vscode.TextDocument | undefined {
    return vscode.window.visibleTextEditors.map((e) => e.document).find(isBoardDocument);
  }

  private setBoardDocument(doc: vscode.TextDocument | undefined): void {
    if (doc === this.boardDoc) return;
    this.boardDoc = doc;
    this.boardIndex = undefined;
    this.boardMessage = undefined;
    if (doc) this.buildBoard();
    else if (!this.session) this.fire();
  }

  private scheduleBoardBuild(): void {
    if (this.boardTimer) clearTimeout(this.boardTimer);
    this.boardTimer = setTimeout(() => {
      this.boardTimer = undefined;
      this.buildBoard();
    }, BOARD_DEBOUNCE_MS);
  }

  private buildBoard(): void {
    const doc = this.boardDoc;
    if (!doc) return;
    const request = ++this.boardRequest;
    void this.documents.analysis(doc).then(
      (analysis) => {
        if (request !== this.boardRequest || doc !== this.boardDoc) return;
        this.showBoard(analysisSnapshot(analysis, ++this.boardVersion));
      },
      (error: unknown) => {
        if (request !== this.boardRequest || doc !== this.boardDoc) return;
        this.showBoard({
          ok: false,
          message: `could not analyse the board: ${error instanceof Error ? error.message : String(error)}`,
        });
      },
    );
  }

  private showBoard(result: BoardSnapshotResult): void {
    if (result.ok) {
      this.boardIndex = indexTopology(result.snapshot);
      this.boardMessage = undefined;
    } else {
      // Keep the last good map while the user is mid-edit, and say so.
      this.boardMessage = this.boardIndex
        ? `Showing the last valid map. ${result.message}`
        : result.message;
    }
    if (!this.session) this.fire();
  }

  // ---- live source

  /** The active boardmap session, else the one shown so far while it lives; never an ended one. */
  private pickSession(): vscode.DebugSession | undefined {
    const alive = (s: vscode.DebugSession | undefined) =>
      s?.type === DEBUG_TYPE && !this.ended.has(s.id) ? s : undefined;
    return alive(vscode.debug.activeDebugSession) ?? alive(this.session);
  }

  private onSessionsChanged(started?: vscode.DebugSession): void {
    if (started?.type === DEBUG_TYPE && !this.session) this.setSession(started);
    else this.setSession(this.pickSession());
  }

  private setSession(session: vscode.DebugSession | undefined): void {
    if (session === this.session) return;
    this.session = session;
    this.liveIndex = undefined;
    this.lastEventVersion = undefined;
    this.pendingChanges = undefined;
    this.liveMessage = session ? 'Waiting for the machine…' : undefined;
    this.fire();
    if (session) this.fetchLive(true);
  }

  /** Fetches the live snapshot; calls during a fetch coalesce into one more fetch. */
  private fetchLive(force = false): void {
    if (this.liveFetch) {
      this.liveRefetch = true;
      return;
    }
    const session = this.session;
    if (!session) return;
    const args: TopologyRequestArguments =
      !force && this.liveIndex ? { ifNewerThan: this.liveIndex.snapshot.version } : {};
    this.liveFetch = Promise.resolve(session.customRequest(DAP_TOPOLOGY_REQUEST, args))
      .then((body: TopologyResponseBody) => {
        if (session !== this.session) return;
        if ('snapshot' in body && body.snapshot) {
          const previous = this.liveIndex?.snapshot.version;
          this.liveIndex = indexTopology(body.snapshot);
          this.liveMessage = undefined;
          const pending = this.pendingChanges;
          const version = body.snapshot.version;
          if (pending && pending.toVersion <= version) this.pendingChanges = undefined;
          // Usable only when they lead exactly from the snapshot shown to this one.
          this.firingChanges =
            pending !== undefined &&
            pending.fromVersion === previous &&
            pending.toVersion === version
              ? pending
              : undefined;
          try {
            this.fire();
          } finally {
            this.firingChanges = undefined;
          }
        }
      })
      .catch((error: unknown) => {
        if (session !== this.session) return;
        const reason = error instanceof Error ? error.message : String(error);
        // Still show something useful: the launched board file's static map.
        return this.staticMapOf(session).then((fallback) => {
          if (session !== this.session) return;
          if (fallback) this.liveIndex = indexTopology(fallback);
          this.liveMessage = fallback
            ? `The machine did not send its live memory map (${reason}); showing the board file's static map.`
            : `The machine did not send its memory map: ${reason}`;
          this.fire();
        });
      })
      .finally(() => {
        this.liveFetch = undefined;
        if (this.liveRefetch) {
          this.liveRefetch = false;
          this.fetchLive();
        }
      });
  }

  /**
   * Event ids are relative to the previous event's version (the adapter diffs snapshot to
   * snapshot); consecutive events before a fetch add up. Unknown bases leave nothing pending.
   */
  private noteChangedRegions(body: TopologyChangedEventBody | undefined): void {
    const base = this.lastEventVersion;
    const version = body?.version;
    this.lastEventVersion = typeof version === 'number' ? version : undefined;
    const ids = body?.changedRegionIds;
    if (base === undefined || typeof version !== 'number' || !Array.isArray(ids)) {
      this.pendingChanges = undefined;
      return;
    }
    if (this.liveIndex?.snapshot.version === version) {
      this.pendingChanges = undefined; // already shown (fetched after a user toggle)
      return;
    }
    const pending = this.pendingChanges;
    if (pending && pending.toVersion === base) {
      const regionIds = [...new Set([...pending.regionIds, ...ids])];
      this.pendingChanges = { fromVersion: pending.fromVersion, toVersion: version, regionIds };
    } else {
      this.pendingChanges = { fromVersion: base, toVersion: version, regionIds: ids };
    }
  }

  /** The static map of the board file a session was launched with, when it is a file. */
  private async staticMapOf(session: vscode.DebugSession): Promise<TopologySnapshot | undefined> {
    const board: unknown = session.configuration.board;
    if (typeof board !== 'string' || !board.endsWith('.board')) return undefined;
    const uri = /^[a-z][a-z0-9+.-]+:/i.test(board)
      ? vscode.Uri.parse(board)
      : vscode.Uri.file(board);
    const text = await this.documents.host.readDocument(uri.toString());
    if (typeof text !== 'string') return undefined;
    const analysis = await this.documents.analysis({ uri, getText: () => text });
    const result = analysisSnapshot(analysis, 0);
    return result.ok ? result.snapshot : undefined;
  }

  private fire(): void {
    this.emitter.fire(this.state);
  }
}
