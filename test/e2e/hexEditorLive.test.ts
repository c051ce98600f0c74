/**
 * The hex editor live, in a real VS Code (code-server) with the real debug adapter: ticker.elf on the
 * built-in virt board increments `ticker_count` forever. Stopped on entry, the hex editor opens on
 * the counter (its address read from the ELF's symbol table); after Continue the counter's cells
 * show new values while the machine status says running; after Pause the source opens and the hex
 * editor moves beside it, showing what `x/1xw` reads. Then a byte typed into the grid is undone
 * with Ctrl+Z and redone with Ctrl+Y and Ctrl+Shift+Z pressed inside the webview, each checked in
 * the grid and with `x/1xb`.
 *
 * The launch configuration comes from user settings (`launch`), so no file in examples/ is written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { parseElf } from '../../src/machine/loader';
import { EXAMPLES, type Session } from './harness';
import {
  cell,
  cellShows,
  consoleText,
  debugToolbar,
  hexFrame,
  machineStatus,
  openHexEditorAt,
  replInput,
  startBoardSession,
  startDebugging,
  statusMessage,
  waitForConsole,
  waitForPause,
} from './hexEditorPage';

const CONFIG_NAME = 'Debug ticker.elf on virt (live hex editor e2e)';
const tickerSymbol = parseElf(
  new Uint8Array(readFileSync(join(EXAMPLES, 'firmware', 'build', 'ticker.elf'))),
).symbols.byName('ticker_count');
const COUNTER = BigInt(tickerSymbol?.value ?? 0);
const counterHex = COUNTER.toString(16);
const RUNNING = /virt: running/;

const byteText = (value: number) => value.toString(16).padStart(2, '0');

/**
 * The 32-bit little-endian word the grid shows at `address`, read in one go (one DOM snapshot);
 * undefined while any of its cells shows no value.
 */
async function shownWord(frame: Frame, address: bigint): Promise<number | undefined> {
  return frame.evaluate((first) => {
    let value = 0;
    for (let i = 3n; i >= 0n; i--) {
      const text = document.querySelector(
        `.grid-body [data-col="hex"][data-addr="${BigInt(first) + i}"]`,
      )?.textContent;
      if (!text || !/^[0-9a-f]{2}$/.test(text)) return undefined;
      value = value * 256 + parseInt(text, 16);
    }
    return value;
  }, String(address));
}

/** Waits until all four cells of the word at `address` show `value` (little-endian). */
async function wordShows(session: Session, frame: Frame, address: bigint, value: number) {
  for (let i = 0; i < 4; i++) {
    await cellShows(session, frame, address + BigInt(i), byteText((value >>> (8 * i)) & 0xff));
  }
}

/** Clears the Debug Console, runs `command` there and returns the first capture of `answer`. */
async function monitor(session: Session, command: string, answer: RegExp): Promise<string> {
  await session.workbench.runCommand('Clear Console');
  // No earlier answer left to be mistaken for this one.
  const deadline = Date.now() + 10_000;
  while (answer.test(await consoleText(session))) {
    if (Date.now() > deadline) assert.fail('the Debug Console was not cleared');
    await session.workbench.page.waitForTimeout(100);
  }
  await replInput(session, command);
  return (await waitForConsole(session, answer))[1]!;
}

const readByte = (session: Session) =>
  monitor(session, `x/1xb 0x${counterHex}`, new RegExp(`^${counterHex}: 0x([0-9a-f]{2})$`, 'm'));

/** Presses `keys` with keyboard focus in the grid (a click on the counter's cell puts it there). */
async function pressInGrid(session: Session, frame: Frame, keys: string) {
  await cell(frame, COUNTER).click();
  await frame.waitForFunction(
    () => document.hasFocus() && document.activeElement?.classList.contains('grid') === true,
  );
  await session.workbench.page.keyboard.press(keys);
}

describe('hex editor live refresh and undo keys in code-server', { timeout: 300_000 }, () => {
  let session: Session;
  let frame: Frame;
  before(async () => {
    session = await startBoardSession(CONFIG_NAME, 'ticker.elf', true);
  });
  after(async () => {
    await session?.stop();
  });

  test('ticker.elf stops on entry; the hex editor opens on ticker_count from the ELF', async () => {
    assert.ok(tickerSymbol && tickerSymbol.kind === 'object' && tickerSymbol.size === 4);
    assert.ok(COUNTER >= 0x8000_0000n, `ticker_count in RAM (0x${counterHex})`);
    await startDebugging(session, CONFIG_NAME);
    try {
      await waitForPause(session, 'entry');
    } finally {
      await session.workbench.screenshot('hex-live-entry');
    }
    frame = await openHexEditorAt(session, `0x${counterHex}`);
    await wordShows(session, frame, COUNTER, 0);
    assert.match(
      (await frame.locator('.grid-body .grid-row .label').allTextContents()).join(' '),
      /riscv_virt_board\.ram \(RAM\)/,
    );
    await session.workbench.screenshot('hex-live-opened');
  });

  test('while the machine runs, the counter cells show new values; paused, they equal x/1xw', async () => {
    const { page } = session.workbench;
    await debugToolbar(session, 'Continue');
    try {
      await machineStatus(session, RUNNING).waitFor({ timeout: 30_000 });
    } catch (error) {
      const shown = await machineStatus(session, /virt:/).innerText();
      throw new Error(`the machine status item says ${JSON.stringify(shown)}, not running`, {
        cause: error,
      });
    } finally {
      await session.workbench.screenshot('hex-live-continued');
    }
    await statusMessage(frame, /running \(live refresh\)/);
    // Values the grid shows while the status bar says running, before and after the read; the one
    // shown at the entry stop (0) does not count, so each is a live refresh.
    const seen: number[] = [];
    const deadline = Date.now() + 60_000;
    while (seen.length < 2) {
      const runningBefore = await machineStatus(session, RUNNING).isVisible();
      const value = await shownWord(frame, COUNTER);
      const runningAfter = await machineStatus(session, RUNNING).isVisible();
      if (
        runningBefore &&
        runningAfter &&
        value !== undefined &&
        value !== 0 &&
        !seen.includes(value)
      ) {
        seen.push(value);
        await session.workbench.screenshot(`hex-live-running-${seen.length}`);
      }
      if (Date.now() > deadline) {
        const shot = await session.workbench.screenshot('hex-live-no-refresh');
        assert.fail(`the running counter showed only ${JSON.stringify(seen)} in 60 s (${shot})`);
      }
      await page.waitForTimeout(100);
    }
    assert.ok(seen[1]! > seen[0]!, `the counter grows: ${seen.join(' then ')}`);

    await debugToolbar(session, 'Pause');
    await waitForPause(session, 'pause');
    // No source was open: the pause shows ticker.c in the hex editor's group, and the editor moves
    // beside it rather than stay hidden behind it, leaving the keyboard to the source.
    for (const tab of ['ticker.c', 'Hex: memory']) {
      await page.locator('.editor-group-container .tab.active', { hasText: tab }).waitFor();
    }
    frame = await hexFrame(session);
    await frame.waitForFunction(
      (a) =>
        /^[0-9a-f]{2}$/.test(
          document.querySelector(`.grid-body [data-col="hex"][data-addr="${a}"]`)?.textContent ??
            '',
        ),
      String(COUNTER),
    );
    assert.equal(await frame.evaluate(() => document.hasFocus()), false, 'focus left to ticker.c');
    const word = await monitor(
      session,
      `x/1xw 0x${counterHex}`,
      new RegExp(`^${counterHex}: 0x([0-9a-f]{8})$`, 'm'),
    );
    const paused = parseInt(word, 16);
    assert.ok(paused >= seen[1]!, `paused at ${paused}, after ${seen[1]} was shown`);
    await wordShows(session, frame, COUNTER, paused);
    await session.workbench.screenshot('hex-live-paused');
    // Paused: the machine no longer changes the counter, so the next steps see only our edits.
    assert.equal(parseInt(await readByte(session), 16), paused & 0xff);
  });

  test('Ctrl+Z in the webview undoes a typed byte; Ctrl+Y and Ctrl+Shift+Z redo it', async () => {
    const previous = byteText(parseInt(await readByte(session), 16));
    const typed = byteText(parseInt(previous, 16) ^ 0xa5);
    await cellShows(session, frame, COUNTER, previous);

    await cell(frame, COUNTER).click();
    await session.workbench.page.keyboard.type(typed);
    await cellShows(session, frame, COUNTER, typed);
    await statusMessage(frame, new RegExp(`Wrote 1 byte at 0x${counterHex}`));
    assert.equal(await readByte(session), typed);

    const steps: [keys: string, verb: string, byte: string][] = [
      ['Control+z', 'Undid', previous],
      ['Control+y', 'Redid', typed],
      ['Control+z', 'Undid', previous],
      ['Control+Shift+z', 'Redid', typed],
    ];
    for (const [keys, verb, byte] of steps) {
      await pressInGrid(session, frame, keys);
      await cellShows(session, frame, COUNTER, byte);
      await statusMessage(frame, new RegExp(`${verb} 1 byte at 0x${counterHex}`));
      assert.equal(await readByte(session), byte, `after ${keys}`);
      await session.workbench.screenshot(`hex-live-${keys.replace(/\+/g, '-')}-${verb}`);
    }
    assert.deepEqual(
      session.workbench.errors().filter((e) => /boardmap|hexEditor/i.test(e)),
      [],
    );
  });
  test('hiding the tab keeps the undo history (another file opened in its group, then back)', async () => {
    const { page } = session.workbench;
    const previous = byteText(parseInt(await readByte(session), 16));
    const typed = byteText(parseInt(previous, 16) ^ 0x3c);
    await cell(frame, COUNTER).click();
    await page.keyboard.type(typed);
    await cellShows(session, frame, COUNTER, typed);
    // Quick Open puts the file in the active group. Focus inside a webview does not reliably make
    // its group the active one, so click the editor's own tab first (workbench UI, no doubt).
    const hexTab = page.locator('.tabs-container .tab', { hasText: 'Hex: memory' }).first();
    await hexTab.click();
    await page
      .locator('.editor-group-container.active .tab.active', { hasText: 'Hex: memory' })
      .first()
      .waitFor({ timeout: 5_000 });
    await session.workbench.openFile('firmware/src/hello.c'); // not open anywhere yet
    await page.locator('.tabs-container .tab.active', { hasText: 'hello.c' }).first().waitFor();
    assert.equal(await hexTab.getAttribute('aria-selected'), 'false', 'the hex editor is hidden');
    await hexTab.click();
    frame = await hexFrame(session);
    await cellShows(session, frame, COUNTER, typed);
    await pressInGrid(session, frame, 'Control+z');
    await cellShows(session, frame, COUNTER, previous);
    await statusMessage(frame, new RegExp(`Undid 1 byte at 0x${counterHex}`));
    assert.equal(await readByte(session), previous);
    await session.workbench.screenshot('hex-live-undo-after-hidden');
  });
});
