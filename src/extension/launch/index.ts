/**
 * Registers the launch experience: the debug configuration providers, "Run Board" / "Debug Board",
 * and the machine status bar item.
 */
import * as vscode from 'vscode';
import {
  BoardDebugConfigurationProvider,
  DEBUG_TYPE,
  DynamicBoardConfigurations,
  boardConfiguration,
} from './debugConfigProvider';
import { MachineStatus } from './machineStatus';
import { ensureTrusted } from './trust';

export const LAUNCH_COMMANDS = {
  runBoard: 'boardmap.runBoard',
  debugBoard: 'boardmap.debugBoard',
  /** Walkthrough links: opens a workspace-relative file. */
  openWorkspaceFile: 'boardmap.walkthrough.openFile',
} as const;

/** Opens `relativePath` in the first workspace folder that has it. */
async function openWorkspaceFile(relativePath: string): Promise<void> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, relativePath);
    try {
      await vscode.workspace.fs.stat(uri);
      await vscode.window.showTextDocument(uri);
      return;
    } catch {
      // not in this folder
    }
  }
  void vscode.window.showWarningMessage(
    `${relativePath} is not in this workspace; open the Boardmap repository's folder.`,
  );
}

export function registerLaunch(context: vscode.ExtensionContext): void {
  const start = async (noDebug: boolean, uri?: vscode.Uri): Promise<boolean> => {
    if (!(await ensureTrusted(noDebug ? 'run a board' : 'debug a board'))) return false;
    const target =
      uri instanceof vscode.Uri
        ? uri
        : vscode.window.activeTextEditor?.document.fileName.endsWith('.board')
          ? vscode.window.activeTextEditor.document.uri
          : undefined;
    if (!target) {
      void vscode.window.showInformationMessage(
        'Open a .board file first (or use the Explorer context menu on one).',
      );
      return false;
    }
    const folder = vscode.workspace.getWorkspaceFolder(target);
    return vscode.debug.startDebugging(folder, boardConfiguration(target, noDebug), { noDebug });
  };
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new BoardDebugConfigurationProvider(),
    ),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new DynamicBoardConfigurations(),
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.commands.registerCommand(LAUNCH_COMMANDS.runBoard, (uri?: vscode.Uri) =>
      start(true, uri),
    ),
    vscode.commands.registerCommand(LAUNCH_COMMANDS.debugBoard, (uri?: vscode.Uri) =>
      start(false, uri),
    ),
    vscode.commands.registerCommand(LAUNCH_COMMANDS.openWorkspaceFile, (path: string) =>
      openWorkspaceFile(path),
    ),
    new MachineStatus(),
  );
}
