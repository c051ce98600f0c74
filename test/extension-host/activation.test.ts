/** The extension as VS Code sees it: present, active, and its contributions wired to real code. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describe, test } from './runner';

const EXTENSION_ID = 'boardmap.boardmap';

interface Manifest {
  version: string;
  contributes: {
    commands: { command: string }[];
    debuggers: { type: string }[];
    languages: { id: string; extensions: string[] }[];
  };
}

function boardmap(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return extension;
}

const manifest = (): Manifest => boardmap().packageJSON as Manifest;

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describe('activation', () => {
  test('activates by itself in a workspace that contains .board files', async (t) => {
    const boards = await vscode.workspace.findFiles('**/*.board', '**/node_modules/**', 1);
    if (boards.length === 0) {
      t.skip('the workspace has no .board file, so no activation event fires on its own');
      return;
    }
    assert.ok(
      await waitFor(() => boardmap().isActive, 10_000),
      'not active 10 s after startup although the workspace contains .board files',
    );
  });

  test('activate() succeeds and leaves the extension active', async () => {
    await boardmap().activate();
    assert.equal(boardmap().isActive, true);
  });
});

describe('contributions', () => {
  test('every contributed command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
      'contributed but not registered',
    );
  });

  test('boardmap.showVersion answers with the manifest version', async () => {
    const version = await vscode.commands.executeCommand<string>('boardmap.showVersion');
    assert.equal(version, manifest().version);
  });

  test('the debug type boardmap is contributed by this extension only', () => {
    const owners = vscode.extensions.all
      .filter((e) =>
        ((e.packageJSON as Partial<Manifest>).contributes?.debuggers ?? []).some(
          (d) => d.type === 'boardmap',
        ),
      )
      .map((e) => e.id);
    assert.deepEqual(owners, [EXTENSION_ID]);
  });

  test('the Memory Tree view is contributed and can be focused', async () => {
    // VS Code registers `<view id>.focus` for every contributed view; it fails for unknown views.
    await vscode.commands.executeCommand('boardmap.memoryTree.focus');
  });

  test('a .board file opens in the boardmap language', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('boardmap'), 'language boardmap is not registered');
    const dir = mkdtempSync(join(tmpdir(), 'boardmap-ext-host-'));
    try {
      const file = join(dir, 'probe.board');
      writeFileSync(file, '# an empty board map\n');
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      assert.equal(document.languageId, 'boardmap');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
