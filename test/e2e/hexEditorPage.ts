/**
 * Page helpers for the hex editor e2e suites (hexEditor.test.ts, hexEditorLive.test.ts): the grid's
 * cells, its status line, the Debug Console (monitor commands and their output), the debug toolbar
 * and the machine's status bar item, starting a launch configuration and opening the editor.
 */
import type { Frame } from 'playwright-core';
import { startSession, type Session } from './harness';

export const cell = (frame: Frame, address: bigint) =>
  frame.locator(`.grid-body [data-col="hex"][data-addr="${address}"]`);

/** Waits until the hex cell at `address` shows `text` (the grid re-renders cells in place). */
export async function cellShows(
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

export async function statusMessage(frame: Frame, pattern: RegExp, timeout = 10_000) {
  await frame.waitForFunction(
    (source) =>
      new RegExp(source).test(document.querySelector('.status-message')?.textContent ?? ''),
    pattern.source,
    { timeout },
  );
}

export async function goTo(frame: Frame, text: string) {
  await frame.locator('#goto input').fill(text);
  await frame.locator('#goto input').press('Enter');
}

/** Every line the Debug Console shows (its rows are virtualized; recent ones are on screen). */
export async function consoleText(session: Session): Promise<string> {
  return (await session.workbench.page.locator('.repl .monaco-list-row').allInnerTexts()).join(
    '\n',
  );
}

/** Waits until the Debug Console text matches `pattern`; returns the match. */
export async function waitForConsole(
  session: Session,
  pattern: RegExp,
  timeout = 15_000,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await consoleText(session);
    const match = pattern.exec(text);
    if (match) return match;
    if (Date.now() > deadline) {
      await session.workbench.screenshot('hex-console-timeout');
      throw new Error(`Debug Console never matched ${pattern}; it shows:\n${text}`);
    }
    await session.workbench.page.waitForTimeout(200);
  }
}

/** Types one line into the Debug Console input and submits it (closing any suggestion first). */
export async function replInput(session: Session, line: string) {
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

/** The Boardmap machine's status bar item showing `text` (e.g. 'running', 'paused (pause)'). */
export const machineStatus = (session: Session, text: RegExp) =>
  session.workbench.page.locator('.statusbar-item', { hasText: text }).first();

export async function waitForPause(session: Session, reason: string) {
  await machineStatus(session, new RegExp(`paused \\(${reason}\\)`)).waitFor({ timeout: 60_000 });
}

/** Clicks a debug toolbar button by the start of its label ('Continue', 'Pause', 'Step Over'). */
export async function debugToolbar(session: Session, label: string) {
  await session.workbench.page
    .locator(`.debug-toolbar .action-label[aria-label^="${label}"]`)
    .click();
}

/**
 * Runs a palette command that answers with its own quick input (a pick or an input box), which
 * reuses the palette's widget: so, unlike runCommand, no wait for the palette to close. Like
 * runCommand, it reopens the palette until the command is listed (right after the workbench loads,
 * focus or the extension's contributions may not be there yet), but clicks it only once.
 */
export async function commandWithPrompt(session: Session, title: string, timeout = 30_000) {
  const { page } = session.workbench;
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: title }) })
    .first();
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`);
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        const shot = await session.workbench.screenshot('hex-palette-timeout');
        throw new Error(`"${title}" not in the command palette (${shot}): ${String(error)}`);
      }
      await page.keyboard.press('Escape');
    }
  }
  await row.click();
}

/** Debug: Select and Start Debugging, choosing the launch configuration named `name`. */
export async function startDebugging(session: Session, name: string) {
  const { page } = session.workbench;
  await commandWithPrompt(session, 'Debug: Select and Start Debugging');
  const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  await pick.waitFor({ state: 'visible', timeout: 15_000 });
  await pick.click();
}

/**
 * Boardmap: Open Hex Editor at Address… on the hart's address space (`memory`), going to `where`
 * (an address or a symbol); returns the editor's content frame.
 */
export async function openHexEditorAt(session: Session, where: string): Promise<Frame> {
  const { page } = session.workbench;
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
  await input.fill(where);
  await input.press('Enter');
  return hexFrame(session);
}

/** The hex editor's content frame, found again each time (VS Code may rebuild webview frames). */
export async function hexFrame(session: Session): Promise<Frame> {
  return session.workbench.webview('Hex Editor', 30_000);
}

/**
 * code-server with the folder trusted and one Boardmap launch configuration in user settings
 * (so no file in examples/ is written): `name` runs `firmware/build/<program>` on virt.
 */
export function startBoardSession(
  name: string,
  program: string,
  stopOnEntry: boolean,
): Promise<Session> {
  return startSession({
    trust: 'trust',
    settings: {
      launch: {
        version: '0.2.0',
        configurations: [
          {
            type: 'boardmap',
            request: 'launch',
            name,
            board: 'virt',
            program: `\${workspaceFolder}/firmware/build/${program}`,
            stopOnEntry,
          },
        ],
      },
    },
  });
}
