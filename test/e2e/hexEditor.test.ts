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
import { EXAMPLES, type Session } from './harness';
import {
  cell,
  cellShows,
  consoleText,
  debugToolbar,
  goTo,
  hexFrame,
  openHexEditorAt,
  replInput,
  startBoardSession,
  startDebugging,
  statusMessage,
  waitForConsole,
  waitForPause,
} from './hexEditorPage';

const HELLO_COUNTER = 0x8000_03e8n;
const UART_THR = 0x1000_0000n;
const CONFIG_NAME = 'Debug hello.elf on virt (hex editor e2e)';
const counterLine =
  readFileSync(join(EXAMPLES, 'firmware', 'src', 'hello.c'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('hello_counter = i;')) + 1;

describe('hex editor in code-server with the real adapter', { timeout: 300_000 }, () => {
  let session: Session;
  let frame: Frame;
  before(async () => {
    session = await startBoardSession(CONFIG_NAME, 'hello.elf', false);
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
    await startDebugging(session, CONFIG_NAME);
    try {
      await waitForPause(session, 'breakpoint');
    } finally {
      await session.workbench.screenshot('hex-stopped-at-breakpoint');
    }

    frame = await openHexEditorAt(session, 'hello_counter');
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
    frame = await hexFrame(session);
    await goTo(frame, '0x800003e8');
    await cellShows(session, frame, HELLO_COUNTER, '2a');
    // The cursor elsewhere, so the screenshots show the changed-byte colour, not the selection.
    await cell(frame, HELLO_COUNTER + 0x10n).click();
    // Back in the hex column, the grid scrolls back to show the addresses again.
    await frame.waitForFunction(() => document.querySelector('.grid')!.scrollLeft === 0, null, {
      timeout: 5_000,
    });
    await debugToolbar(session, 'Step Over');
    await waitForPause(session, 'step');
    await cellShows(session, frame, HELLO_COUNTER, '01');
    assert.match((await cell(frame, HELLO_COUNTER).getAttribute('class')) ?? '', /\bchg\b/);
    await session.workbench.screenshot('hex-step-changed');
    // Continue to the breakpoint again: the counter is unchanged since the last stop.
    await debugToolbar(session, 'Continue');
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
    await debugToolbar(session, 'Step Over');
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
