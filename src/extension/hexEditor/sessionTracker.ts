/**
 * Watches the DAP traffic of Boardmap debug sessions (a DebugAdapterTracker) so hex editors know
 * when the machine runs or stops, and which memory changed: `memory` events (resolved to absolute
 * ranges through the memory-reference contract), `invalidated`, and the topology-changed event.
 */
import * as vscode from 'vscode';
import { interpretAdapterMessage, type DapMessage } from './model';
import type { SessionState } from '../../protocol';

export const DEBUG_TYPE = 'boardmap';

export type SessionEvent =
  | { kind: 'state'; session: vscode.DebugSession; state: SessionState; reason?: string }
  | { kind: 'memory'; session: vscode.DebugSession; space: string; start: bigint; end: bigint }
  | { kind: 'memoryAll'; session: vscode.DebugSession }
  | { kind: 'topology'; session: vscode.DebugSession; version: number };

export class SessionTracker implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SessionEvent>();
  readonly onEvent = this.emitter.event;
  private readonly states = new Map<string, SessionState>();
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor() {
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => this.trackerFor(session),
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE) this.sessions.set(s.id, s);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.type === DEBUG_TYPE) this.setState(s, 'none', 'session ended');
        this.sessions.delete(s.id);
        this.states.delete(s.id);
      }),
    );
  }

  /** The session hex editors talk to: the active Boardmap session, else the newest live one. */
  activeSession(): vscode.DebugSession | undefined {
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE) return active;
    return [...this.sessions.values()].at(-1);
  }

  stateOf(session: vscode.DebugSession | undefined): SessionState {
    if (!session) return 'none';
    return this.states.get(session.id) ?? 'stopped';
  }

  private trackerFor(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    this.sessions.set(session.id, session);
    return {
      onDidSendMessage: (m: DapMessage) => this.fromAdapter(session, m),
      onWillStopSession: () => this.setState(session, 'none', 'session stopping'),
      onExit: () => this.setState(session, 'none', 'adapter exited'),
    };
  }

  private fromAdapter(session: vscode.DebugSession, m: DapMessage): void {
    const update = interpretAdapterMessage(m);
    if (!update) return;
    if (update.kind === 'state') this.setState(session, update.state, update.reason);
    else this.emitter.fire({ ...update, session });
  }

  private setState(session: vscode.DebugSession, state: SessionState, reason?: string): void {
    if (this.states.get(session.id) === state && state !== 'stopped') return;
    this.states.set(session.id, state);
    this.emitter.fire({ kind: 'state', session, state, ...(reason ? { reason } : {}) });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
