/** Extension entry: activation and wiring. The only layer that imports 'vscode'. */
import * as vscode from 'vscode';
import { BoardmapDebugSession } from '../debug';
import { registerHexEditor } from './hexEditor';
import { registerViews } from './views';
import { registerLaunch } from './launch';
import { registerBoardLanguage, workspaceBoardDocuments } from './language';

export function activate(context: vscode.ExtensionContext): void {
  const version = (context.extension.packageJSON as { version: string }).version;
  context.subscriptions.push(
    vscode.commands.registerCommand('boardmap.showVersion', () => {
      void vscode.window.showInformationMessage(`Boardmap ${version}`);
      return version;
    }),
    vscode.commands.registerCommand('boardmap.openExample', async () => {
      const files = await vscode.workspace.findFiles('**/*.board', '**/node_modules/**', 1);
      if (files[0]) await vscode.window.showTextDocument(files[0]);
      else void vscode.window.showWarningMessage('No .board file in this workspace.');
    }),
    vscode.debug.registerDebugAdapterDescriptorFactory('boardmap', {
      createDebugAdapterDescriptor: () =>
        new vscode.DebugAdapterInlineImplementation(new BoardmapDebugSession()),
    }),
  );
  const log = vscode.window.createOutputChannel('Boardmap', { log: true });
  context.subscriptions.push(log);
  // One language service and board host: the views show the language features' analysis.
  const documents = workspaceBoardDocuments();
  registerViews(context, log, documents);
  registerLaunch(context);
  registerHexEditor(context);
  registerBoardLanguage(context, documents);
}

export function deactivate(): void {}
