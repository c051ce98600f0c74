/**
 * Watches the DAP traffic of Boardmap debug sessions (a DebugAdapterTracker) so hex editors know
 * when the machine runs or stops, and which memory changed: `memory` events (resolved to absolute
 * ranges through the memory-reference contract), `invalidated`, and the topology-changed event.
 */
import * as vscode from 'vscode';
import { resolveMemoryReference } from '../../protocol/memory';
import { DAP_TOPOLOGY_CHANGED_EVENT } from '../../protocol/topology';
import type { SessionState } from '../../protocol/hexEditor';

export const DEBUG_TYPE = 'boardmap';

export type SessionEvent =
  | { kind: 'state'; session: vscode.DebugSession; state: SessionState; reason?: string }
  | { kind: 'memory'; session: vscode.DebugSession; space: string; start: bigint; end: bigint }
  | { kind: 'memoryAll'; session: vscode.DebugSession }
  | { kind: 'topology'; session: vscode.DebugSession; version: number };

/**
 * Requests after whose success the debuggee runs (after configurationDone it runs unless a
 * `stopped` event for the entry follows at once).
 */
const RESUMING = new Set([
  'configurationDone',
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseContinue',
]);

interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
  success?: boolean;
  body?: Record<string, unknown>;
}

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
    if (m.type === 'response' && m.success && m.command && RESUMING.has(m.command)) {
      this.setState(session, 'running');
      return;
    }
    if (m.type !== 'event') return;
    const body = m.body ?? {};
    switch (m.event) {
      case 'stopped':
        this.setState(
          session,
          'stopped',
          typeof body.reason === 'string' ? body.reason : undefined,
        );
        break;
      case 'continued':
        this.setState(session, 'running');
        break;
      case 'terminated':
      case 'exited':
        this.setState(session, 'none', m.event);
        break;
      case 'memory': {
        const ref = typeof body.memoryReference === 'string' ? body.memoryReference : '';
        const offset = typeof body.offset === 'number' ? body.offset : 0;
        const count = typeof body.count === 'number' ? body.count : 0;
        const loc = resolveMemoryReference(ref, offset);
        if (loc.ok && count > 0) {
          const start = loc.value.address;
          this.emitter.fire({
            kind: 'memory',
            session,
            space: loc.value.space,
            start,
            end: start + BigInt(count),
          });
        } else {
          // A reference we cannot place: re-read everything rather than show stale bytes.
          this.emitter.fire({ kind: 'memoryAll', session });
        }
        break;
      }
      case 'invalidated': {
        const areas = Array.isArray(body.areas) ? body.areas : ['all'];
        if (areas.includes('all')) this.emitter.fire({ kind: 'memoryAll', session });
        break;
      }
      case DAP_TOPOLOGY_CHANGED_EVENT:
        this.emitter.fire({
          kind: 'topology',
          session,
          version: typeof body.version === 'number' ? body.version : 0,
        });
        break;
    }
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
