/**
 * The hex editor in a real VS Code (code-server) with the real debug adapter: hello.elf on the
 * built-in virt board stops at `hello_counter = i;` (hello.c line 45); the hex editor opens on RAM at
 * hello_counter, a typed byte is written at once and `x/1xb` in the Debug Console reads it back; on
 * the UART, bytes typed into the transmit register appear as console output; stepping over line 45
 * changes hello_counter in the grid, highlighted as changed since the last stop.
 *
 * The launch configuration comes from user settings (`launch`), so no file in examples/ is written
 * and other e2e suites pressing F5 there are unaffected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { EXAMPLES, startSession, type Session } from './harness';

const HELLO_COUNTER = 0x8000_03e8n;
const UART_THR = 0x1000_0000n;
const CONFIG_NAME = 'Debug hello.elf on virt (hex editor e2e)';
const counterLine =
  readFileSync(join(EXAMPLES, 'firmware', 'src', 'hello.c'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('hello_counter = i;')) + 1;

const cell = (frame: Frame, address: bigint) =>
  frame.locator(`.grid-body [data-col="hex"][data-addr="${address}"]`);

/** Waits until the hex cell at `address` shows `text` (the grid re-renders cells in place). */
async function cellShows(
  session: Session,
  frame: Frame,
  address: bigint,
  text: string,
  timeout = 15_000,
) {
  await frame
    .waitForFunction(
      ([a, t]) =>
        document.querySelector(`.grid-body [data-col="hex"][data-addr="${a}"]`)?.textContent === t,
      [String(address), text] as const,
      { timeout },
    )
    .catch(async (error: unknown) => {
      const shown = await cell(frame, address)
        .textContent({ timeout: 1000 })
        .catch(() => '(no cell)');
      const status = await frame
        .locator('.status-message')
        .textContent()
        .catch(() => '');
      const shot = await session.workbench.screenshot(`hex-failure-cell-${address.toString(16)}`);
      throw new Error(
        `cell ${address.toString(16)} shows ${JSON.stringify(shown)}, not ${text}; status ` +
          `${JSON.stringify(status)} (${shot}): ${String(error)}`,
      );
    });
}

async function statusMessage(frame: Frame, pattern: RegExp, timeout = 10_000) {
  await frame.waitForFunction(
    (source) =>
      new RegExp(source).test(document.querySelector('.status-message')?.textContent ?? ''),
    pattern.source,
    { timeout },
  );
}

async function goTo(frame: Frame, text: string) {
  await frame.locator('#goto input').fill(text);
  await frame.locator('#goto input').press('Enter');
}

/** Every line the Debug Console shows (its rows are virtualized; recent ones are on screen). */
async function consoleText(session: Session): Promise<string> {
  return (await session.workbench.page.locator('.repl .monaco-list-row').allInnerTexts()).join(
    '\n',
  );
}

async function waitForConsole(session: Session, pattern: RegExp, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await consoleText(session);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) {
      await session.workbench.screenshot('hex-console-timeout');
      throw new Error(`Debug Console never matched ${pattern}; it shows:\n${text}`);
    }
    await session.workbench.page.waitForTimeout(200);
  }
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

async function waitForPause(session: Session, reason: string) {
  await session.workbench.page
    .locator('.statusbar-item', { hasText: new RegExp(`paused \\(${reason}\\)`) })
    .first()
    .waitFor({ timeout: 60_000 });
}

/**
 * Runs a palette command that answers with its own quick input (a pick or an input box), which
 * reuses the palette's widget: so, unlike runCommand, no wait for the palette to close.
 */
async function commandWithPrompt(session: Session, title: string) {
  const { page } = session.workbench;
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${title}`);
  await page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: title }) })
    .first()
    .click();
}

/** The hex editor's content frame, found again each time (VS Code may rebuild webview frames). */
async function hexFrame(session: Session): Promise<Frame> {
  return session.workbench.webview('Hex Editor', 30_000);
}

describe('hex editor in code-server with the real adapter', { timeout: 300_000 }, () => {
  let session: Session;
  let frame: Frame;
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
              stopOnEntry: false,
            },
          ],
        },
      },
    });
  });
  after(async () => {
    await session?.stop();
  });

  test('hello.elf stops at hello_counter = i; the hex editor opens on RAM at hello_counter', async () => {
    const { page } = session.workbench;
    assert.ok(counterLine > 0, 'hello.c has the hello_counter store');
    await session.workbench.openFile('firmware/src/hello.c');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(counterLine));
    await page.keyboard.press('Enter');
    await page.keyboard.press('F9');
    await commandWithPrompt(session, 'Debug: Select and Start Debugging');
    const pick = page
      .locator('.quick-input-widget .monaco-list-row', { hasText: CONFIG_NAME })
      .first();
    await pick.waitFor({ state: 'visible', timeout: 15_000 });
    await pick.click();
    try {
      await waitForPause(session, 'breakpoint');
    } finally {
      await session.workbench.screenshot('hex-stopped-at-breakpoint');
    }

    await commandWithPrompt(session, 'Boardmap: Open Hex Editor at Address…');
    const spacePick = page.locator('.quick-input-widget', { hasText: 'address space' });
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    if (await spacePick.isVisible()) {
      await page
        .locator('.quick-input-widget .monaco-list-row', { hasText: 'memory' })
        .first()
        .click();
    }
    await page.locator('.quick-input-widget', { hasText: 'go to' }).waitFor({ timeout: 10_000 });
    await input.fill('hello_counter');
    await input.press('Enter');
    frame = await session.workbench.webview('Hex Editor', 30_000);
    // Stopped before the first store: the .bss variable is still 0.
    await cellShows(session, frame, HELLO_COUNTER, '00');
    assert.match(
      (await frame.locator('.grid-body .grid-row .label').allTextContents()).join(' '),
      /riscv_virt_board\.ram \(RAM\)/,
    );
    await session.workbench.screenshot('hex-opened-on-ram');
  });

  test('a byte typed into RAM is written at once and x/1xb in the Debug Console reads it', async () => {
    frame = await hexFrame(session);
    await cell(frame, HELLO_COUNTER).click();
    await session.workbench.page.keyboard.type('2a');
    await cellShows(session, frame, HELLO_COUNTER, '2a');
    await statusMessage(frame, /Wrote 1 byte at 0x800003e8/);
    await replInput(session, 'x/1xb 0x800003e8');
    await waitForConsole(session, /800003e8: 0x2a/);
    await session.workbench.screenshot('hex-ram-edit-read-back');
    // Beside the source the panel is narrower than a row: Tab to the ASCII column scrolls the grid
    // sideways so the cursor is on screen.
    await cell(frame, HELLO_COUNTER).click();
    await session.workbench.page.keyboard.press('Tab');
    const ascii = frame.locator(`.grid-body [data-col="ascii"][data-addr="${HELLO_COUNTER}"].cur`);
    await ascii.waitFor({ timeout: 5_000 });
    const grid = (await frame.locator('.grid').boundingBox())!;
    const box = (await ascii.boundingBox())!;
    assert.ok(
      box.x >= grid.x - 0.5 && box.x + box.width <= grid.x + grid.width + 0.5,
      `ASCII cursor ${JSON.stringify(box)} inside the grid ${JSON.stringify(grid)}`,
    );
    assert.equal(await ascii.textContent(), '*');
    await session.workbench.screenshot('hex-ram-ascii-column');
  });

  test('bytes typed into the UART transmit register appear in the Debug Console', async () => {
    const { page } = session.workbench;
    // From the live Memory Tree: the UART's region, context menu "Open in Hex Editor".
    await session.workbench.openViewContainer('Boardmap');
    const serial = session.workbench
      .view('Memory Tree')
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^serial$/ }) })
      .first();
    await serial.waitFor({ state: 'visible', timeout: 30_000 });
    await serial.click({ button: 'right' });
    // Hover + Enter, as with the keyboard: VS Code ignores a click that lands as the menu opens.
    await page.locator('.context-view .action-label', { hasText: 'Open in Hex Editor' }).hover();
    await page.keyboard.press('Enter');
    frame = await hexFrame(session);
    await cell(frame, UART_THR).waitFor({ timeout: 10_000 });
    await session.workbench.screenshot('hex-uart-from-tree');
    const before = await consoleText(session);
    assert.doesNotMatch(before, /HEX/);
    // The cursor moves on after each byte, so each character is typed at the register again.
    for (const byte of ['48', '45', '58', '0a']) {
      await cell(frame, UART_THR).click();
      await session.workbench.page.keyboard.type(byte);
      await statusMessage(frame, /Wrote 1 byte at 0x10000000/);
    }
    await waitForConsole(session, /^HEX$/m);
    await session.workbench.screenshot('hex-uart-transmit');
  });

  test('stepping over line 45 changes hello_counter live, highlighted as changed', async () => {
    const { page } = session.workbench;
    frame = await hexFrame(session);
    await goTo(frame, '0x800003e8');
    await cellShows(session, frame, HELLO_COUNTER, '2a');
    // The cursor elsewhere, so the screenshots show the changed-byte colour, not the selection.
    await cell(frame, HELLO_COUNTER + 0x10n).click();
    // Back in the hex column, the grid scrolls back to show the addresses again.
    await frame.waitForFunction(() => document.querySelector('.grid')!.scrollLeft === 0, null, {
      timeout: 5_000,
    });
    await page.locator('.debug-toolbar .action-label[aria-label^="Step Over"]').click();
    await waitForPause(session, 'step');
    await cellShows(session, frame, HELLO_COUNTER, '01');
    assert.match((await cell(frame, HELLO_COUNTER).getAttribute('class')) ?? '', /\bchg\b/);
    await session.workbench.screenshot('hex-step-changed');
    // Continue to the breakpoint again: the counter is unchanged since the last stop.
    await page.locator('.debug-toolbar .action-label[aria-label^="Continue"]').click();
    await waitForConsole(session, /counter = 1/);
    await waitForPause(session, 'breakpoint');
    await cellShows(session, frame, HELLO_COUNTER, '01');
    await frame.waitForFunction(
      (a) =>
        !document
          .querySelector(`.grid-body [data-col="hex"][data-addr="${a}"]`)
          ?.classList.contains('chg'),
      String(HELLO_COUNTER),
      { timeout: 10_000 },
    );
    await page.locator('.debug-toolbar .action-label[aria-label^="Step Over"]').click();
    await waitForPause(session, 'step');
    await cellShows(session, frame, HELLO_COUNTER, '02');
    assert.match((await cell(frame, HELLO_COUNTER).getAttribute('class')) ?? '', /\bchg\b/);
    await session.workbench.screenshot('hex-step-changed-again');
    assert.deepEqual(
      session.workbench.errors().filter((e) => /boardmap|hexEditor/i.test(e)),
      [],
    );
  });
});
