/**
 * VS Code's side of the extension's one `BoardHost` (rules in model/preparedHost.ts):
 *
 * - includes resolve as on every platform: relative to the including file's folder; an absolute
 *   path names that path on the including file's file system (a `file:` path on disk);
 * - "inside the workspace" is inside a workspace folder; on disk the real path (symlinks
 *   resolved) must be inside a folder's real path, so a symlink cannot lead out;
 * - `file:` uris are read by the Node host's safe asynchronous read (regular files only, size
 *   cap, a FIFO is refused before it can block); other schemes through `workspace.fs`, with the
 *   same checks on its `stat`.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import { MAX_BOARD_FILE_BYTES } from '../../board';
import { readBoardFile } from '../../host';
import { BoardDocuments, PreparedBoardHost, type WorkspaceAccess } from './model';

export function resolveWorkspaceInclude(fromUri: string, path: string): string {
  const base = vscode.Uri.parse(fromUri);
  const windowsAbsolute = /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\');
  if (base.scheme === 'file' && (path.startsWith('/') || windowsAbsolute))
    return vscode.Uri.file(path).toString();
  if (path.startsWith('/')) return base.with({ path }).toString();
  return vscode.Uri.joinPath(base, '..', path).toString();
}

function isInside(child: string, folder: string): boolean {
  const rel = relative(folder, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function realOrSelf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

function parse(uri: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(uri, true);
  } catch {
    return undefined;
  }
}

/** The real workspace: `vscode.workspace` and, for `file:` uris, the Node host's safe reads. */
export function vscodeWorkspaceAccess(): WorkspaceAccess {
  return {
    get isTrusted() {
      return vscode.workspace.isTrusted;
    },
    openDocumentText(uri) {
      return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.getText();
    },
    async insideWorkspace(text) {
      const uri = parse(text);
      if (!uri) return false;
      if (uri.scheme !== 'file') return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
      const real = await realOrSelf(uri.fsPath);
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (folder.uri.scheme !== 'file') continue;
        if (isInside(real, await realOrSelf(folder.uri.fsPath))) return true;
      }
      return false;
    },
    async readFile(text) {
      const uri = parse(text);
      if (!uri) return undefined;
      if (uri.scheme === 'file') return readBoardFile(uri.fsPath);
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if ((stat.type & vscode.FileType.File) === 0) return { error: 'it is not a regular file' };
        if (stat.size > MAX_BOARD_FILE_BYTES)
          return { error: `it is larger than ${MAX_BOARD_FILE_BYTES / (1024 * 1024)} MiB` };
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        return undefined;
      }
    },
    resolveInclude: resolveWorkspaceInclude,
  };
}

/** The extension's shared documents: one service, one VS Code workspace host. */
export function workspaceBoardDocuments(): BoardDocuments {
  return new BoardDocuments(new PreparedBoardHost(vscodeWorkspaceAccess()));
}
