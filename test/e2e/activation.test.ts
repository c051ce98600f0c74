/** The packaged .vsix in code-server: installed, activated, its view container and a command work. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, REPO_ROOT, startSession, type Session } from './harness';

const version = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

describe('Boardmap in code-server (trusted workspace)', { timeout: 180_000 }, () => {
  let session: Session;
  before(async () => {
    session = await startSession({ trust: 'trust' });
  });
  after(async () => {
    await session?.stop();
  });

  test('the workbench opens examples/ trusted', async () => {
    const { page } = session.workbench;
    await page.locator('.explorer-folders-view').waitFor({ timeout: 15_000 });
    await session.workbench.screenshot('workbench-trusted');
    assert.equal(await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).count(), 0);
  });

  test('the Boardmap container shows the Memory Tree view with its welcome content', async () => {
    const sidebar = await session.workbench.openViewContainer('Boardmap');
    await sidebar
      .getByText('Open a .board file or start a Boardmap debug session', { exact: false })
      .waitFor({ timeout: 15_000 });
    await session.workbench.view('Memory Tree').waitFor({ timeout: 5_000 });
    await session.workbench.screenshot('memory-tree');
    assert.match(await sidebar.innerText(), /memory tree/i);
  });

  test('a .board file from examples/ opens in the Board Map language', async () => {
    const board = readdirSync(EXAMPLES).find((f) => f.endsWith('.board'));
    assert.ok(board, 'examples/ has no .board file');
    await session.workbench.openFile(board);
    assert.equal(await session.workbench.editorLanguage(), 'Board Map');
    await session.workbench.screenshot('board-file');
  });

  test('Boardmap: Show Version runs and shows the manifest version', async () => {
    await session.workbench.runCommand('Boardmap: Show Version');
    const toast = await session.workbench.waitForNotification(`Boardmap ${version}`);
    await session.workbench.screenshot('show-version');
    assert.match(await toast.innerText(), new RegExp(`Boardmap ${version.replace(/\./g, '\\.')}`));
  });
});

describe('Boardmap in code-server (restricted mode)', { timeout: 180_000 }, () => {
  let session: Session;
  before(async () => {
    session = await startSession({ trust: 'restricted' });
  });
  after(async () => {
    await session?.stop();
  });

  // package.json declares limited support for untrusted workspaces: the extension still activates.
  test('the extension activates and its commands run in an untrusted folder', async () => {
    const { page } = session.workbench;
    assert.equal(await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).count(), 1);
    await session.workbench.runCommand('Boardmap: Show Version');
    await session.workbench.waitForNotification(`Boardmap ${version}`);
    await session.workbench.screenshot('restricted-show-version');
  });
});
