/**
 * Workspace trust: the language features and views work in Restricted Mode; running a machine
 * (which loads and executes firmware from the workspace) needs a trusted workspace.
 */
import * as vscode from 'vscode';

/** True when trusted; otherwise explains and offers to manage trust, and returns false. */
export async function ensureTrusted(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `Boardmap cannot ${action} in Restricted Mode: running a machine loads and executes firmware from this workspace. ` +
      'The Memory Tree and the flat view keep working on board files without trust.',
    'Manage Workspace Trust',
  );
  if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
