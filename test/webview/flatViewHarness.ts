/**
 * Runs the flat-view bundle in headless Chromium inside the same HTML shell (and CSP) the
 * extension serves, with a fake `acquireVsCodeApi` whose host side is a real RpcEndpoint in Node
 * answering from a fixture snapshot with the real resolver.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  RpcEndpoint,
  indexTopology,
  parseUserAddress,
  resolveAddress,
  type FlatViewHostContract,
  type FlatViewState,
  type FlatViewWebviewContract,
  type OpenHexEditorParams,
  type RevealRegionParams,
  type TopologySnapshot,
} from '../../src/protocol';
import { buildWebviewHtml } from '../../src/extension/views/model';
import { CHROMIUM_FLAGS, DEBIAN_CHROMIUM } from './chromium';
import { THEMES, type ThemeFixture } from './flatViewThemes';

const root = resolve(__dirname, '..', '..');
export const RESULTS = join(root, 'test-results', 'flatView');

export interface Harness {
  readonly browser: Browser;
  readonly origin: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  mkdirSync(RESULTS, { recursive: true });
  const bundleDir = join(RESULTS, 'bundle');
  // Built fresh from the sources so a stale dist/ can never be what is tested.
  await esbuild.build({
    entryPoints: [join(root, 'src/webview/flatView/main.ts')],
    outfile: join(bundleDir, 'flatView.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
  });
  const files: Record<string, { path: string; type: string }> = {
    '/flatView.js': { path: join(bundleDir, 'flatView.js'), type: 'text/javascript' },
    '/flatView.css': { path: join(root, 'media/flatView.css'), type: 'text/css' },
    '/codicon.css': {
      path: join(root, 'node_modules/@vscode/codicons/dist/codicon.css'),
      type: 'text/css',
    },
    '/codicon.ttf': {
      path: join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'),
      type: 'font/ttf',
    },
  };
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        buildWebviewHtml({
          cspSource: origin,
          nonce: 'dGVzdC1ub25jZS0xMjM0',
          title: 'Flat View',
          scriptUri: `${origin}/flatView.js`,
          styleUris: [`${origin}/flatView.css`],
          codiconUri: `${origin}/codicon.css`,
        }),
      );
      return;
    }
    const file = files[url.pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type });
    res.end(readFileSync(file.path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // playwright's launch() always starts Chromium with a fresh temporary user-data-dir.
  const browser = await chromium.launch({
    executablePath: DEBIAN_CHROMIUM,
    args: ['--headless', ...CHROMIUM_FLAGS],
  });
  return {
    browser,
    origin,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

export interface FlatViewPage {
  readonly page: Page;
  /** Console output and page errors, for diagnosis. */
  readonly console: string[];
  readonly host: RpcEndpoint<FlatViewHostContract, FlatViewWebviewContract>;
  readonly reveals: RevealRegionParams[];
  readonly hexOpens: OpenHexEditorParams[];
  /** Replaces the snapshot the fake host serves (and resolves against). */
  setSnapshot(snapshot: TopologySnapshot | null): void;
  /** The webview's last setState. */
  state(): Promise<FlatViewState | undefined>;
  /** CSP violations the page reported. */
  cspViolations(): Promise<string[]>;
  applyTheme(theme: ThemeFixture): Promise<void>;
  close(): Promise<void>;
}

export async function openFlatView(
  harness: Harness,
  snapshot: TopologySnapshot | null,
  options: { state?: FlatViewState; theme?: ThemeFixture; width?: number; height?: number } = {},
): Promise<FlatViewPage> {
  const context = await harness.browser.newContext({
    viewport: { width: options.width ?? 1200, height: options.height ?? 640 },
  });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  let current = snapshot;
  let index = current ? indexTopology(current) : undefined;
  const reveals: RevealRegionParams[] = [];
  const hexOpens: OpenHexEditorParams[] = [];
  const host = new RpcEndpoint<FlatViewHostContract, FlatViewWebviewContract>({
    // As a JSON string: playwright's own argument serialiser is slow for megabyte-sized snapshots.
    post: (message) =>
      void page
        .evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message))
        .catch(() => undefined),
  });
  host.handle('getTopology', () =>
    current ? { snapshot: current } : { snapshot: null, reason: 'No board open.' },
  );
  host.handle('resolveAddress', ({ addressSpaceId, address }) => {
    const parsed = parseUserAddress(address);
    if (!parsed.ok || !index) throw new Error(parsed.ok ? 'no map' : parsed.error);
    return resolveAddress(index, addressSpaceId, parsed.value);
  });
  host.handle('revealRegion', (params) => {
    reveals.push(params);
    return { revealedInSource: true };
  });
  host.handle('openHexEditor', (params) => {
    hexOpens.push(params);
    return null;
  });
  await page.exposeFunction('__toHost', (message: unknown) => host.deliver(message));
  const theme = options.theme ?? THEMES.dark;
  // A string, not a function: tsx's keepNames would inject a `__name` helper the page lacks.
  await page.addInitScript(`(() => {
    const state = ${JSON.stringify(options.state ?? null)};
    const theme = ${JSON.stringify(theme)};
    window.__state = state === null ? undefined : state;
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__toHost(m),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
    // VS Code puts the theme variables on <html> and the theme kind class on <body>.
    document.addEventListener('DOMContentLoaded', () => {
      for (const [k, v] of Object.entries(theme.vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.add(theme.bodyClass);
    });
  })();`);
  await page.goto(`${harness.origin}/page.html`);
  try {
    await page.waitForFunction(
      () => document.querySelector('.seg, .empty-message:not([hidden])') !== null,
      null,
      {
        timeout: 10_000,
      },
    );
  } catch (error) {
    throw new Error(`the flat view did not render: ${String(error)}\n${consoleLines.join('\n')}`);
  }
  return {
    page,
    console: consoleLines,
    host,
    reveals,
    hexOpens,
    setSnapshot(next) {
      current = next;
      index = next ? indexTopology(next) : undefined;
    },
    state: () => page.evaluate(() => (window as unknown as { __state?: FlatViewState }).__state),
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    async applyTheme(next) {
      await page.evaluate((t) => {
        document.body.classList.remove(
          'vscode-dark',
          'vscode-light',
          'vscode-high-contrast',
          'vscode-high-contrast-light',
        );
        document.documentElement.removeAttribute('style');
        for (const [k, v] of Object.entries(t.vars))
          document.documentElement.style.setProperty(k, v);
        document.body.classList.add(t.bodyClass);
      }, next);
    },
    async close() {
      host.dispose();
      await context.close();
    },
  };
}
