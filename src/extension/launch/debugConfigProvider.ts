/**
 * F5 on a `.board` file (or on a folder with one) just works: fills `board` from the active file
 * (or the folder's only board), `program` from an obvious sibling ELF, and refuses to start a
 * machine in an untrusted workspace, saying why. Also offers one dynamic configuration per board
 * file, and validates paths after variable substitution.
 */
import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import { guessProgram, isBuiltInBoard, nodeLister } from './guess';
import { ensureTrusted } from './trust';
import { notificationText } from '../text';

export const DEBUG_TYPE = 'boardmap';

export function boardConfiguration(
  boardUri: vscode.Uri,
  noDebug = false,
): vscode.DebugConfiguration {
  const name = boardUri.path.split('/').pop() ?? 'board';
  const program =
    boardUri.scheme === 'file' ? guessProgram(boardUri.fsPath, nodeLister) : undefined;
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `${noDebug ? 'Run' : 'Debug'} ${name}`,
    board: boardUri.fsPath,
    ...(program ? { program } : {}),
    stopOnEntry: !program,
    ...(noDebug ? { noDebug: true } : {}),
  };
}

async function boardFilesIn(
  folder: vscode.WorkspaceFolder | undefined,
  max: number,
): Promise<vscode.Uri[]> {
  const include = folder ? new vscode.RelativePattern(folder, '**/*.board') : '**/*.board';
  return vscode.workspace.findFiles(include, '**/node_modules/**', max);
}

export class BoardDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** launch.json creation: one configuration per board file found (at most 8). */
  async provideDebugConfigurations(
    folder: vscode.WorkspaceFolder | undefined,
  ): Promise<vscode.DebugConfiguration[]> {
    const boards = await boardFilesIn(folder, 8);
    if (boards.length === 0) {
      return [
        {
          type: DEBUG_TYPE,
          request: 'launch',
          name: 'Debug board',
          board: '${file}',
          stopOnEntry: true,
        },
      ];
    }
    return boards.map((uri) => relativeTo(folder, boardConfiguration(uri)));
  }

  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined | null> {
    if (!(await ensureTrusted('start a board'))) return undefined;
    // F5 without a launch.json: VS Code passes an empty configuration.
    if (!config.type && !config.request && !config.name) {
      const board = await this.pickBoard(folder);
      if (!board) return undefined;
      return boardConfiguration(board);
    }
    if (config.type === DEBUG_TYPE && !config.board) {
      const board = await this.pickBoard(folder);
      if (!board) return undefined;
      const filled = boardConfiguration(board);
      return {
        ...filled,
        ...config,
        board: filled.board,
        program: config.program ?? filled.program,
      };
    }
    return config;
  }

  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    const base = typeof config.cwd === 'string' ? config.cwd : folder?.uri.fsPath;
    const problems: string[] = [];
    const board = config.board;
    if (typeof board !== 'string' || board === '') {
      problems.push('"board" must name a .board file or a built-in board (virt, spike).');
    } else if (!isBuiltInBoard(board) && !isFile(resolvePath(base, board))) {
      problems.push(`The board file ${board} does not exist.`);
    }
    if (
      config.program !== undefined &&
      (typeof config.program !== 'string' || !isFile(resolvePath(base, config.program)))
    ) {
      problems.push(
        `The program ${String(config.program)} does not exist (leave "program" out to explore the map without code).`,
      );
    }
    if (problems.length) {
      void vscode.window
        .showErrorMessage(
          notificationText(`Cannot start "${config.name ?? 'board'}": ${problems.join(' ')}`),
          'Open launch.json',
        )
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.debug.configure');
        });
      return undefined;
    }
    return config;
  }

  /** The active .board editor, else the folder's only board, else ask. */
  private async pickBoard(
    folder: vscode.WorkspaceFolder | undefined,
  ): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    if (active && (active.languageId === 'boardmap' || active.fileName.endsWith('.board')))
      return active.uri;
    const boards = await boardFilesIn(folder, 50);
    if (boards.length === 1) return boards[0];
    if (boards.length === 0) {
      void vscode.window.showInformationMessage(
        'Open a .board file (or add one to the workspace) to start a Boardmap machine.',
      );
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      boards.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { placeHolder: 'Which board should run?' },
    );
    return pick?.uri;
  }
}

/** Dynamic configurations (the Run and Debug view's dropdown): one per board file. */
export class DynamicBoardConfigurations implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(
    folder: vscode.WorkspaceFolder | undefined,
  ): Promise<vscode.DebugConfiguration[]> {
    const boards = await boardFilesIn(folder, 20);
    return boards.map((uri) => boardConfiguration(uri));
  }
}

function relativeTo(
  folder: vscode.WorkspaceFolder | undefined,
  config: vscode.DebugConfiguration,
): vscode.DebugConfiguration {
  if (!folder) return config;
  const root = folder.uri.fsPath;
  const rel = (p: unknown) =>
    typeof p === 'string' && p.startsWith(root)
      ? '${workspaceFolder}' + p.slice(root.length).replace(/\\/g, '/')
      : p;
  return {
    ...config,
    board: rel(config.board),
    ...(config.program ? { program: rel(config.program) } : {}),
  };
}

function resolvePath(base: string | undefined, path: string): string {
  if (/^([a-z]:)?[\\/]/i.test(path) || !base) return path;
  return `${base}/${path}`;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
