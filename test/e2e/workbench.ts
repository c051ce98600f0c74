/**
 * Drives a code-server workbench in headless Chromium (Debian's, through playwright-core): opens the
 * workspace, answers the workspace-trust prompt, runs commands from the palette, opens views, reads
 * notifications, takes screenshots, and runs an extension-host suite through VS Code's own
 * extension-test mode (`extensionTestsPath`, the mechanism @vscode/test-electron uses).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, DEBIAN_CHROMIUM } from '../webview/chromium';
import { REPO_ROOT, type CodeServer } from './codeServer';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'e2e');
const CHROMIUM = process.env.BOARDMAP_CHROMIUM ?? DEBIAN_CHROMIUM;

/** How to answer VS Code's "Do you trust the authors of the files in this folder?" prompt. */
export type TrustAnswer = 'trust' | 'restricted';

export interface ExtensionTestRun {
  /** Folder of the extension under development (e.g. the installed .vsix's folder). */
  developmentPath: string;
  /** Bundled suite module exporting `run()` (dist/test/extension-host.js). */
  testsPath: string;
}

export interface OpenWorkbenchOptions {
  /** Answer to the trust prompt when the server keeps workspace trust on. Default 'trust'. */
  trust?: TrustAnswer;
  /** Start in VS Code's extension-test mode: the suite runs in the extension host at startup. */
  extensionTests?: ExtensionTestRun;
  /** How long to wait for the workbench to appear. Default 60 s. */
  loadTimeoutMs?: number;
}

export interface Workbench {
  readonly page: Page;
  /** Runs a command by its palette title, e.g. 'Boardmap: Show Version'. Default wait 30 s. */
  runCommand(title: string, timeoutMs?: number): Promise<void>;
  /** Waits for a notification toast containing `text` and returns it. */
  waitForNotification(text: string | RegExp, timeoutMs?: number): Promise<Locator>;
  /** Clicks a view container in the activity bar (by its title) and returns the side bar. */
  openViewContainer(title: string): Promise<Locator>;
  /** Opens a workspace file through Quick Open (path relative to the workspace folder). */
  openFile(relativePath: string): Promise<void>;
  /** The language shown in the status bar for the active editor, e.g. 'Board Map'. */
  editorLanguage(): Promise<string>;
  /**
   * The content frame of a webview, found by the <title> of the HTML the extension gave it (webviews
   * are nested iframes without useful attributes). Use it like a page: `frame.getByText('ram')`.
   * Waits up to `timeoutMs` (default 15 s) for it to load.
   */
  webview(title: string | RegExp, timeoutMs?: number): Promise<Frame>;
  /** The pane of a view in the side bar, by its name, e.g. 'Memory Tree'. */
  view(name: string): Locator;
  /** Saves test-results/e2e/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Extension-test mode only: resolves with the exit code VS Code reports when run() settles. */
  extensionTestsExit(timeoutMs?: number): Promise<number>;
  /** Browser console errors and page errors so far (for diagnostics). */
  errors(): string[];
  /** Closes the browser. Idempotent. */
  close(): Promise<void>;
}

let failureShots = 0;

/**
 * Runs `work`, turning any failure into one message that says what was being waited for; with a
 * page, it also saves test-results/e2e/failure-N-<what>.png and names it in the message.
 */
async function step<T>(
  what: string,
  work: () => Promise<T>,
  page?: Page,
  context?: () => string,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    let extra = context ? `\n${context()}` : '';
    if (page && !page.isClosed()) {
      const slug = what.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      const path = join(SCREENSHOT_DIR, `failure-${++failureShots}-${slug}.png`);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      if (
        await page.screenshot({ path }).then(
          () => true,
          () => false,
        )
      )
        extra += `\nscreenshot: ${path}`;
    }
    throw new Error(`e2e: ${what}: ${reason}${extra}`, { cause: error });
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function workbenchUrl(server: CodeServer, tests: ExtensionTestRun | undefined): string {
  const url = new URL(server.url);
  url.searchParams.set('folder', server.workspace);
  if (tests) {
    const remote = (path: string) => `vscode-remote://${server.authority}${path}`;
    url.searchParams.set(
      'payload',
      JSON.stringify([
        ['extensionDevelopmentPath', remote(tests.developmentPath)],
        ['extensionTestsPath', remote(tests.testsPath)],
      ]),
    );
  }
  return url.toString();
}

async function answerTrustPrompt(page: Page, answer: TrustAnswer): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box', {
    hasText: 'Do you trust the authors of the files in this folder?',
  });
  await step(
    'the workspace-trust prompt did not appear',
    () => dialog.waitFor({ state: 'visible', timeout: 30_000 }),
    page,
  );
  const button = answer === 'trust' ? 'Yes, I trust the authors' : "No, I don't trust the authors";
  await dialog.getByRole('button', { name: button }).click();
  await step(
    'the workspace-trust prompt did not close',
    () => dialog.waitFor({ state: 'hidden', timeout: 10_000 }),
    page,
  );
  const restricted = page.locator('.statusbar-item', { hasText: 'Restricted Mode' });
  await step(
    `the status bar does not show the ${answer} state`,
    () => restricted.waitFor({ state: answer === 'trust' ? 'hidden' : 'visible', timeout: 10_000 }),
    page,
  );
}

export async function openWorkbench(
  server: CodeServer,
  options: OpenWorkbenchOptions = {},
): Promise<Workbench> {
  const browser: Browser = await step(`could not launch ${CHROMIUM}`, () =>
    chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS], headless: true }),
  );
  const errors: string[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser.close().catch(() => undefined);
  };
  try {
    // A fresh context is a fresh, empty browser profile: no stored trust or layout state.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));

    let reportExit: (code: number) => void = () => undefined;
    const testsExited = new Promise<number>((r) => (reportExit = r));
    if (options.extensionTests) {
      // VS Code's web workbench calls these when it runs extension tests (see its
      // test/integration/browser driver); the exit code is run()'s outcome.
      await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
      await page.exposeFunction('codeAutomationLog', () => undefined);
    }

    const loadTimeoutMs = options.loadTimeoutMs ?? 60_000;
    const serverLog = () => `code-server log:\n${server.log().split('\n').slice(-20).join('\n')}`;
    await step(
      `the workbench did not load within ${loadTimeoutMs} ms`,
      async () => {
        await page.goto(workbenchUrl(server, options.extensionTests), { timeout: loadTimeoutMs });
        await page.locator('.monaco-workbench').waitFor({ timeout: loadTimeoutMs });
      },
      page,
      serverLog,
    );
    // In extension-test mode VS Code refuses dialogs, so the folder stays untrusted unless the
    // server turned trust off.
    if (server.workspaceTrust && !options.extensionTests) {
      await answerTrustPrompt(page, options.trust ?? 'trust');
    }

    const palette = page.locator('.quick-input-widget');
    const workbench: Workbench = {
      page,
      async runCommand(title, timeoutMs = 30_000) {
        const exact = new RegExp(`^${escapeRegExp(title)}$`);
        const row = palette
          .locator('.monaco-list-row')
          .filter({ has: page.locator('.label-name', { hasText: exact }) })
          .first();
        let lastError: unknown = new Error('no attempt made');
        let shown: string[] = [];
        // The palette lists the commands known when it opens; an extension's contributions can
        // arrive later (after the trust decision, while extensions start), and keyboard focus is not
        // guaranteed right after load. So reopen it until the row shows up — but never retry the
        // click, so a command never runs twice.
        const deadline = Date.now() + timeoutMs;
        for (let attempt = 1; Date.now() < deadline; attempt++) {
          try {
            await page.keyboard.press('F1');
            const input = palette.locator('input');
            await input.waitFor({ state: 'visible', timeout: 5_000 });
            await input.fill(`>${title}`);
            await row.waitFor({ state: 'visible', timeout: 3_000 });
            lastError = undefined;
            break;
          } catch (error) {
            lastError = error;
            shown = await palette.locator('.monaco-list-row').allInnerTexts();
            if (process.env.BOARDMAP_E2E_DEBUG) {
              console.error(`runCommand(${title}) attempt ${attempt}: rows`, shown);
              mkdirSync(SCREENSHOT_DIR, { recursive: true });
              await page.screenshot({
                path: join(SCREENSHOT_DIR, `runCommand-attempt-${attempt}.png`),
              });
            }
            await page.keyboard.press('Escape');
          }
        }
        if (lastError !== undefined) {
          throw new Error(
            `e2e: command "${title}" not in the command palette within ${timeoutMs} ms (rows: ` +
              `${JSON.stringify(shown)}): ${String(lastError)}`,
          );
        }
        await row.click();
        await step(
          `the palette did not close after running "${title}"`,
          () => palette.waitFor({ state: 'hidden', timeout: 5_000 }),
          page,
        );
        await page.mouse.move(640, 400); // off the palette row, so no hover lingers in shots
      },
      async waitForNotification(text, timeoutMs = 15_000) {
        // `notification-fade-in-done`: the slide-in has finished, so screenshots show the toast.
        const toast = page.locator(
          '.notifications-toasts .notification-toast.notification-fade-in-done',
          {
            hasText: text,
          },
        );
        await step(
          `no notification "${String(text)}" within ${timeoutMs} ms`,
          () => toast.first().waitFor({ state: 'visible', timeout: timeoutMs }),
          page,
        );
        return toast.first();
      },
      async openViewContainer(title) {
        const item = page
          .locator('.part.activitybar .action-item')
          .filter({ has: page.locator(`[aria-label^="${title}"]`) })
          .first();
        await step(
          `no "${title}" container in the activity bar`,
          () => item.waitFor({ state: 'visible', timeout: 15_000 }),
          page,
        );
        await item.click();
        const sidebar = page.locator('.part.sidebar');
        await step(
          `the side bar did not show "${title}"`,
          () =>
            sidebar
              .locator('.composite.title', { hasText: new RegExp(escapeRegExp(title), 'i') })
              .waitFor({ state: 'visible', timeout: 10_000 }),
          page,
        );
        return sidebar;
      },
      async openFile(relativePath) {
        const name = relativePath.split('/').pop() ?? relativePath;
        const tab = page.locator('.tabs-container .tab.active', { hasText: name });
        await step(
          `could not open ${relativePath} through Quick Open`,
          async () => {
            await page.keyboard.press('Control+P');
            const input = palette.locator('input');
            await input.waitFor({ state: 'visible', timeout: 5_000 });
            await input.fill(relativePath);
            // Quick Open searches files with ripgrep; the first row is the best match.
            const first = palette.locator('.monaco-list-row', { hasText: name }).first();
            await first.waitFor({ state: 'visible', timeout: 15_000 });
            await first.click();
            await tab.waitFor({ state: 'visible', timeout: 10_000 });
          },
          page,
        );
      },
      async editorLanguage() {
        const item = page.locator('#status\\.editor\\.mode');
        await step(
          'no language in the status bar',
          () => item.waitFor({ state: 'visible', timeout: 10_000 }),
          page,
        );
        return (await item.innerText()).trim();
      },
      async webview(title, timeoutMs = 15_000) {
        const matches = (t: string) => (typeof title === 'string' ? t === title : title.test(t));
        const deadline = Date.now() + timeoutMs;
        const seen = new Set<string>();
        for (;;) {
          // VS Code web: iframe.webview (its pre/index.html) > iframe#active-frame (the content).
          for (const frame of page.frames()) {
            if (!frame.parentFrame()?.url().includes('/webview/browser/pre/')) continue;
            const frameTitle = await frame.title().catch(() => '');
            seen.add(frameTitle);
            if (matches(frameTitle)) return frame;
          }
          if (Date.now() > deadline) {
            throw new Error(
              `e2e: no webview titled ${String(title)} within ${timeoutMs} ms ` +
                `(webview titles seen: ${JSON.stringify([...seen])})`,
            );
          }
          await page.waitForTimeout(250);
        }
      },
      view(name) {
        return page.locator('.part.sidebar .pane').filter({
          has: page.locator('.pane-header', { hasText: new RegExp(escapeRegExp(name), 'i') }),
        });
      },
      async screenshot(name) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      async extensionTestsExit(timeoutMs = 120_000) {
        if (!options.extensionTests) throw new Error('e2e: not opened in extension-test mode');
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`e2e: extension tests did not finish within ${timeoutMs} ms`)),
            timeoutMs,
          );
        });
        return Promise.race([testsExited, timeout]).finally(() => clearTimeout(timer));
      },
      errors: () => [...errors],
      close,
    };
    return workbench;
  } catch (error) {
    await close();
    throw error;
  }
}
