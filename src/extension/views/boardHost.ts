/**
 * The board layer's file access for includes, from the extension host: the text of an open
 * document when there is one (unsaved edits count), else the file on disk.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import type { BoardHost } from '../../board';

export function workspaceBoardHost(): BoardHost {
  return {
    readFile(uri: string): string | undefined {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      if (open) return open.getText();
      try {
        const parsed = vscode.Uri.parse(uri);
        return parsed.scheme === 'file' ? readFileSync(parsed.fsPath, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    resolveInclude(fromUri: string, path: string): string {
      if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
      const base = vscode.Uri.parse(fromUri);
      const dir = vscode.Uri.joinPath(base, '..');
      return (
        path.startsWith('/') ? base.with({ path }) : vscode.Uri.joinPath(dir, path)
      ).toString();
    },
  };
}
