/**
 * The harness's own helpers against VS Code's built-in features (no Boardmap needed), so later
 * tests can rely on them: Quick Open, the status-bar language, and reaching into a webview
 * (the Markdown preview here; the flat view and hex editor later).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSession, type Session } from './harness';

describe('e2e harness helpers', { timeout: 180_000 }, () => {
  const workspace = mkdtempSync(join(tmpdir(), 'boardmap-e2e-workspace-'));
  let session: Session;
  before(async () => {
    writeFileSync(join(workspace, 'NOTES.md'), '# Harness probe\n\nA paragraph.\n');
    session = await startSession({ workspace, vsix: false, workspaceTrust: false });
  });
  after(async () => {
    await session?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('openFile opens a workspace file and editorLanguage reads its language', async () => {
    await session.workbench.openFile('NOTES.md');
    assert.equal(await session.workbench.editorLanguage(), 'Markdown');
  });

  test('webview reaches into a webview document', async () => {
    await session.workbench.runCommand('Markdown: Open Preview to the Side');
    // The Markdown preview sets no <title>, so match the empty one.
    const preview = await session.workbench.webview('');
    await preview.getByRole('heading', { name: 'Harness probe' }).waitFor({ timeout: 15_000 });
    await session.workbench.screenshot('harness-webview');
    await assert.rejects(session.workbench.webview('No Such Webview', 1_000), /no webview titled/);
  });

  test('a failed wait says what it waited for and saves a screenshot', async () => {
    const error = await session.workbench.waitForNotification('No such notification', 500).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error);
    assert.match(error.message, /^e2e: no notification "No such notification" within 500 ms/);
    const shot = /screenshot: (\S+\.png)/.exec(error.message)?.[1];
    assert.ok(shot && existsSync(shot), `no screenshot named in: ${error.message}`);
    rmSync(shot);
  });
});
