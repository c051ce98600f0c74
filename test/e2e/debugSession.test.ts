/**
 * A Boardmap debug session as a user drives it in a real VS Code (code-server), real adapter.
 *
 * Debug Console links open the hex editor:
 * hello.elf on the built-in virt board stops on entry; the launch banner's link (Ctrl+click)
 * opens the hex editor on RAM at 0x80000000; `hex hello_counter` typed in the console answers with
 * a link that opens it on the variable with its 4 bytes selected. No "allow this extension to open
 * this URI?" prompt gets in the way. (Fault and watchpoint stop links: test/debug/hexLinks.test.ts.)
 *
 * Watch view: "Set Value" on a watch expression assigns it through the adapter's setExpression.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import type { Session } from './harness';
import {
  consoleText,
  replInput,
  startBoardSession,
  startDebugging,
  waitForPause,
} from './hexEditorPage';

const CONFIG_NAME = 'Debug hello.elf on virt (console link e2e)';

/** The newest console link whose row matches `row`, waited for. */
async function consoleLink(session: Session, row: RegExp, timeout = 20_000): Promise<Locator> {
  const link = session.workbench.page
    .locator('.repl .monaco-list-row', { hasText: row })
    .last()
    .locator('a.link', { hasText: /boardmap\.boardmap\/hex/ });
  try {
    await link.waitFor({ state: 'visible', timeout });
  } catch (error) {
    const shot = await session.workbench.screenshot('hex-link-missing');
    throw new Error(
      `no console link in a row matching ${row} (${shot}); console:\n${await consoleText(session)}\n${String(error)}`,
    );
  }
  return link;
}

/** Waits until the hex editor's cursor is at `address` and `selected` bytes are selected. */
async function hexShows(session: Session, frame: Frame, address: bigint, selected: number) {
  await frame
    .waitForFunction(
      ([a, n]) => {
        const cursor = document.querySelector('.grid-body [data-col="hex"].cur');
        const count = document.querySelectorAll('.grid-body [data-col="hex"].sel').length;
        return cursor?.getAttribute('data-addr') === a && count === n;
      },
      [String(address), selected] as const,
      { timeout: 15_000 },
    )
    .catch(async (error: unknown) => {
      const shot = await session.workbench.screenshot(`hex-link-failure-${address.toString(16)}`);
      throw new Error(`hex editor not at ${address.toString(16)} (${shot}): ${String(error)}`);
    });
}

describe(
  'Debug Console links open the hex editor (code-server, real adapter)',
  { timeout: 300_000 },
  () => {
    let session: Session;
    before(async () => {
      session = await startBoardSession(CONFIG_NAME, 'hello.elf', true);
    });
    after(async () => {
      await session?.stop();
    });

    test('the launch banner link opens the hex editor on RAM', async () => {
      await startDebugging(session, CONFIG_NAME);
      await waitForPause(session, 'entry');
      await session.workbench.runCommand('Debug Console: Focus on Debug Console View');
      const link = await consoleLink(session, /Hex editor on riscv_virt_board\.ram/);
      await session.workbench.screenshot('hex-link-banner');
      await link.click({ modifiers: ['Control'] });
      const frame = await session.workbench.webview('Hex Editor', 30_000);
      await hexShows(session, frame, 0x8000_0000n, 1);
      await session.workbench.screenshot('hex-link-opened-ram');
    });

    test('hex hello_counter answers with a link that selects the variable', async () => {
      await replInput(session, 'hex hello_counter');
      const link = await consoleLink(session, /in riscv_virt_board\.ram/);
      const linkText = (await link.textContent()) ?? '';
      const address = BigInt(/%40(0x[0-9a-f]+)/.exec(linkText)?.[1] ?? 'x');
      await link.click({ modifiers: ['Control'] });
      const frame = await session.workbench.webview('Hex Editor', 30_000);
      await hexShows(session, frame, address, 4);
      await session.workbench.screenshot('hex-link-symbol');
      assert.deepEqual(
        session.workbench.errors().filter((e) => /boardmap|hexEditor|uri/i.test(e)),
        [],
      );
    });

    test('Set Value on a Watch expression assigns the variable (setExpression)', async () => {
      const { page } = session.workbench;
      const watch = session.workbench.view('Watch');
      await watch.waitFor({ state: 'visible', timeout: 10_000 });
      await page
        .locator('.pane-header', { hasText: /^\s*Watch/i })
        .first()
        .hover();
      await page.locator('.pane-header .action-label[aria-label="Add Expression"]').first().click();
      await page.keyboard.type('hello_counter');
      await page.keyboard.press('Enter');
      const row = watch.locator('.monaco-list-row', { hasText: 'hello_counter' }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await row.click({ button: 'right' });
      await page.locator('.context-view .action-label', { hasText: 'Set Value' }).hover();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('0x1234');
      await page.keyboard.press('Enter');
      await row
        .filter({ hasText: '0x1234 (4660)' })
        .waitFor({ state: 'visible', timeout: 10_000 })
        .catch(async (error: unknown) => {
          const shot = await session.workbench.screenshot('watch-set-value-failure');
          throw new Error(`the watch does not show 0x1234 (${shot}): ${String(error)}`);
        });
      await replInput(session, 'x/1xw &hello_counter');
      await page
        .locator('.repl .monaco-list-row', { hasText: /0x00001234/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await session.workbench.screenshot('watch-set-value');
    });
  },
);
