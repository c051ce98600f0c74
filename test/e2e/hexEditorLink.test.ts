/**
 * Debug Console links open the hex editor, in a real VS Code (code-server) with the real adapter:
 * hello.elf on the built-in virt board stops on entry; the launch banner's link (Ctrl+click)
 * opens the hex editor on RAM at 0x80000000; `hex hello_counter` typed in the console answers with
 * a link that opens it on the variable with its 4 bytes selected. No "allow this extension to open
 * this URI?" prompt gets in the way. (Fault and watchpoint stop links: test/debug/hexLinks.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { startSession, type Session } from './harness';

const CONFIG_NAME = 'Debug hello.elf on virt (console link e2e)';

/** Every line the Debug Console shows (its rows are virtualized; recent ones are on screen). */
async function consoleText(session: Session): Promise<string> {
  return (await session.workbench.page.locator('.repl .monaco-list-row').allInnerTexts()).join(
    '\n',
  );
}

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

/** Types one line into the Debug Console input and submits it (closing any suggestion first). */
async function replInput(session: Session, line: string) {
  const { page } = session.workbench;
  await session.workbench.runCommand('Debug Console: Focus on Debug Console View');
  const input = page.locator('.repl-input-wrapper .monaco-editor');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.click();
  await page.keyboard.type(line);
  await page.waitForTimeout(300);
  if (await page.locator('.repl-input-wrapper .suggest-widget.visible').count()) {
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
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
      session = await startSession({
        trust: 'trust',
        settings: {
          launch: {
            version: '0.2.0',
            configurations: [
              {
                type: 'boardmap',
                request: 'launch',
                name: CONFIG_NAME,
                board: 'virt',
                program: '${workspaceFolder}/firmware/build/hello.elf',
                stopOnEntry: true,
              },
            ],
          },
        },
      });
    });
    after(async () => {
      await session?.stop();
    });

    test('the launch banner link opens the hex editor on RAM', async () => {
      const { page } = session.workbench;
      await page.keyboard.press('F1');
      const title = 'Debug: Select and Start Debugging';
      await page.locator('.quick-input-widget input').fill(`>${title}`);
      await page
        .locator('.quick-input-widget .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: title }) })
        .first()
        .click();
      const pick = page
        .locator('.quick-input-widget .monaco-list-row', { hasText: CONFIG_NAME })
        .first();
      await pick.waitFor({ state: 'visible', timeout: 15_000 });
      await pick.click();
      await page
        .locator('.statusbar-item', { hasText: /paused \(entry\)/ })
        .first()
        .waitFor({ timeout: 60_000 });
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
  },
);
