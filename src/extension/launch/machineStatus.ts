/**
 * The status bar item of the running machine: which board, and whether it runs, is paused (and
 * why) or has exited; click for actions. Follows the active `boardmap` session through a debug
 * adapter tracker (DAP events), so it works the same inline and out of process.
 */
import * as vscode from 'vscode';
import { RESUMING_REQUESTS } from '../hexEditor';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_TYPE } from './debugConfigProvider';
import { escapeMarkdown } from '../text';

export const MACHINE_STATUS_COMMAND = 'boardmap.machineStatusActions';

type MachineState =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'paused'; reason: string }
  | { kind: 'exited'; code?: number };

export class MachineStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'boardmap.machine',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly states = new Map<string, MachineState>();
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor() {
    this.item.name = 'Boardmap Machine';
    this.item.command = MACHINE_STATUS_COMMAND;
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onWillStartSession: () => this.set(session, { kind: 'starting' }),
          onDidSendMessage: (message: DebugProtocol.ProtocolMessage) =>
            this.onMessage(session, message),
          onExit: (code) =>
            this.set(session, { kind: 'exited', ...(code !== undefined ? { code } : {}) }),
        }),
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.render()),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.states.delete(s.id);
        this.render();
      }),
      vscode.commands.registerCommand(MACHINE_STATUS_COMMAND, () => this.showActions()),
    );
    this.render();
  }

  private onMessage(session: vscode.DebugSession, message: DebugProtocol.ProtocolMessage): void {
    // A successful continue/step response means the machine runs: adapters send `continued` only
    // for resumptions no request asked for, so the response is the usual sign.
    if (message.type === 'response') {
      const response = message as DebugProtocol.Response;
      if (response.success && RESUMING_REQUESTS.has(response.command)) {
        this.set(session, { kind: 'running' });
      }
      return;
    }
    if (message.type !== 'event') return;
    const event = message as DebugProtocol.Event;
    switch (event.event) {
      case 'stopped':
        this.set(session, {
          kind: 'paused',
          reason: (event as DebugProtocol.StoppedEvent).body.reason,
        });
        break;
      case 'continued':
        this.set(session, { kind: 'running' });
        break;
      case 'initialized':
        if (this.states.get(session.id)?.kind === 'starting')
          this.set(session, { kind: 'running' });
        break;
      case 'exited':
        this.set(session, {
          kind: 'exited',
          code: (event as DebugProtocol.ExitedEvent).body.exitCode,
        });
        break;
    }
  }

  private set(session: vscode.DebugSession, state: MachineState): void {
    this.states.set(session.id, state);
    this.render();
  }

  private session(): vscode.DebugSession | undefined {
    const active = vscode.debug.activeDebugSession;
    return active?.type === DEBUG_TYPE ? active : undefined;
  }

  private render(): void {
    const session = this.session();
    const state = session ? this.states.get(session.id) : undefined;
    if (!session || !state) {
      this.item.hide();
      return;
    }
    const board = String(session.configuration.board ?? session.name)
      .split(/[\\/]/)
      .pop();
    const [icon, text] =
      state.kind === 'running'
        ? ['$(play)', 'running']
        : state.kind === 'paused'
          ? ['$(debug-pause)', `paused (${state.reason})`]
          : state.kind === 'starting'
            ? ['$(loading~spin)', 'starting']
            : ['$(circle-slash)', `exited${state.code !== undefined ? ` (${state.code})` : ''}`];
    this.item.text = `${icon} ${board}: ${text}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Boardmap machine** — ${escapeMarkdown(board ?? '')}\n\nState: ${escapeMarkdown(text)}\n\nClick for actions (memory tree, flat view, pause, stop).`,
    );
    this.item.accessibilityInformation = { label: `Boardmap machine ${board}, ${text}` };
    this.item.show();
  }

  private async showActions(): Promise<void> {
    const items: (vscode.QuickPickItem & { command: string })[] = [
      { label: '$(list-tree) Show Memory Tree', command: 'boardmap.memoryTree.focus' },
      { label: '$(graph) Show Flat View', command: 'boardmap.showFlatView' },
      { label: '$(debug-pause) Pause', command: 'workbench.action.debug.pause' },
      { label: '$(debug-continue) Continue', command: 'workbench.action.debug.continue' },
      { label: '$(debug-stop) Stop', command: 'workbench.action.debug.stop' },
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Boardmap machine' });
    if (pick) void vscode.commands.executeCommand(pick.command);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
