/**
 * The hex editor's page fetch through every real piece (`npm run bench:hex`, after bench/hex.ts):
 *   hex.page.fetch          median ms from pressing Enter in the go-to box on a 4 KiB page not yet
 *                           cached to that page's bytes painted in the grid (target <= 10)
 *   hex.page.render.p90     90th percentile of the same per-page time
 *   hex.page.fetch.request  median ms from Enter until the webview posts its readPage request
 *   hex.page.fetch.roundtrip median ms from that post until the answer arrives in the page: message
 *                           hop both ways, host and adapter, plus any wait for the page's main thread
 *                           while it is still rendering the go-to frame
 *   hex.page.fetch.adapter  median ms of the host's readPage round trip to the adapter alone
 *   hex.page.fetch.cells    median ms until the visible cells' text shows the bytes (no frame wait)
 * The path: headless Chromium (Debian's, through playwright-core) runs the production webview
 * bundle dist/webview/hexEditor.js with media/hexEditor.css under the production HTML and CSP; its
 * `readPage` request crosses to this process (Playwright's binding and page.evaluate stand in for
 * VS Code's webview message passing), where the host's own MemoryClient forwards it as
 * boardmap/readMemoryEx to dist/adapter.js over stdio (hello.elf on the built-in virt board, stopped
 * at entry); the answer goes back, the webview decodes it and renders the grid. Each target is the
 * middle of a different RAM page 1 MiB apart, pre-filled (untimed) with its own byte pattern, so
 * nothing is cached and the probe can check every visible hex and ASCII cell against the bytes.
 * "Painted" is the first requestAnimationFrame after the cells match: the grid writes cells in a
 * frame callback, so by the next frame that frame has been painted. The frame rate is Chromium's
 * (60 Hz headless), so frame waits are part of the figure as they are for a user.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  RpcEndpoint,
  type RpcMessage,
  type HexHostContract,
  type HexWebviewContract,
  toHex,
  DAP_TOPOLOGY_REQUEST,
  type TopologyResponseBody,
  type TopologySnapshot,
} from '../src/protocol';
import { hexEditorHtml, MemoryClient, regionList } from '../src/extension/hexEditor/model';
import { asciiGlyph, hexByte } from '../src/webview/hexEditor';

// The same browser and flags as test/webview/chromium.ts, which bench/ cannot import (its tsconfig's
// rootDir is bench/ and the test project is not a referenced one).
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const ADAPTER = 'dist/adapter.js';
const HELLO_ELF = 'examples/firmware/build/hello.elf';
const WEBVIEW_JS = 'dist/webview/hexEditor.js';
const ORIGIN = 'https://hex.bench';
const RAM_BASE = 0x8000_0000n;
const PAGE = 4096;
const WARM_UP = 5;
const MEASURED = 40;
const PAGE_TIMEOUT_MS = 5000;

/** What the in-page probe reports, in ms from the Enter keydown. */
interface PaintTiming {
  requested: number;
  answered: number;
  cells: number;
  painted: number;
}

interface ProbeArgs {
  base: string;
  hex: string[];
  ascii: string[];
  timeoutMs: number;
}

type Session = { dc: DebugClient; memory: MemoryClient; topology?: TopologySnapshot };

/** A distinct pattern per page, so no earlier page's cells can pass for this one's. */
function pagePattern(index: number): Uint8Array {
  const bytes = new Uint8Array(PAGE);
  for (let i = 0; i < PAGE; i++) bytes[i] = (index * 37 + i * 13 + (i >> 8)) & 0xff;
  return bytes;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

const sortedCopy = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** hello.elf on virt, stopped at its first instruction; the host's MemoryClient on top. */
async function startAdapter(): Promise<Session> {
  const dc = new DebugClient('node', ADAPTER, 'boardmap');
  await dc.start();
  await dc.initializeRequest();
  const initialized = dc.waitForEvent('initialized');
  await dc.launchRequest({ board: 'virt', program: HELLO_ELF, stopOnEntry: true } as never);
  await initialized;
  await Promise.all([dc.waitForEvent('stopped'), dc.configurationDoneRequest()]);
  const body = (await dc.customRequest(DAP_TOPOLOGY_REQUEST, {})).body as TopologyResponseBody;
  const topology = body.unchanged ? undefined : body.snapshot;
  const space = topology?.addressSpaces[0]?.id ?? 'memory';
  const memory = new MemoryClient(
    async (command, args) => (await dc.customRequest(command, args)).body as unknown,
    space,
    () => topology,
  );
  return { dc, memory, ...(topology ? { topology } : {}) };
}

/** Answers the webview as HexEditorPanel does, for what opening and going to an address use. */
function serveHost(
  host: RpcEndpoint<HexHostContract, HexWebviewContract>,
  session: Session,
  adapterTimes: Map<string, number>,
  problems: string[],
): void {
  const { memory, topology } = session;
  const info = topology?.addressSpaces.find((s) => s.id === memory.space);
  const root = info && topology?.regions.find((r) => r.id === info.rootId);
  host.handle('ready', () => ({
    addressSpace: memory.space,
    addressSpaceName: info?.name ?? memory.space,
    spaceSize: toHex(root ? BigInt(root.size) : 1n << 64n),
    reveal: { address: toHex(RAM_BASE) },
    session: { state: 'stopped', name: 'bench' },
  }));
  host.handle('readPage', async ({ address }) => {
    const t0 = performance.now();
    const page = await memory.read(BigInt(address), PAGE);
    adapterTimes.set(address, performance.now() - t0);
    return page;
  });
  host.handle('registerInfo', ({ address, count }) => memory.registerInfo(BigInt(address), count));
  host.handle('resolveExpression', async ({ expression }) => ({
    address: toHex(await memory.resolveExpression(expression)),
  }));
  host.handle('listRegions', () => regionList(topology, memory.space));
  host.handle('saveViewState', () => null);
  host.handle('notify', ({ severity, message }) => {
    problems.push(`notify ${severity}: ${message}`);
    return null;
  });
}

const THEME_CSS = `:root {
  --vscode-editor-background: #1e1e1e; --vscode-editor-foreground: #d4d4d4;
  --vscode-foreground: #cccccc; --vscode-editorLineNumber-foreground: #858585;
  --vscode-font-family: sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: 'DejaVu Sans Mono', monospace; --vscode-editor-font-size: 13px;
}`;

/** The production page and files, served from a fake origin like the webview test harness does. */
async function openWebview(
  context: BrowserContext,
  session: Session,
  adapterTimes: Map<string, number>,
  problems: string[],
): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  const nonce = 'BenchNonce0123456789abcdefABCDEF';
  const html = hexEditorHtml({
    cspSource: ORIGIN,
    nonce,
    scriptUri: `${ORIGIN}/hexEditor.js`,
    styleUri: `${ORIGIN}/hexEditor.css`,
    codiconUri: `${ORIGIN}/codicon.css`,
  })
    .replace('</head>', `<link rel="stylesheet" href="${ORIGIN}/theme.css">\n</head>`)
    .replace('<body>', '<body class="vscode-dark">');
  const files: Record<string, { body: string | Buffer; type: string }> = {
    '/index.html': { body: html, type: 'text/html' },
    '/hexEditor.js': { body: readFileSync(WEBVIEW_JS), type: 'text/javascript' },
    '/hexEditor.css': { body: readFileSync('media/hexEditor.css'), type: 'text/css' },
    '/theme.css': { body: THEME_CSS, type: 'text/css' },
    '/codicon.css': { body: readFileSync('dist/media/codicon.css'), type: 'text/css' },
    '/codicon.ttf': { body: readFileSync('dist/media/codicon.ttf'), type: 'font/ttf' },
  };
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = files[new URL(route.request().url()).pathname];
    if (!file) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, body: file.body, contentType: file.type });
  });
  const host = new RpcEndpoint<HexHostContract, HexWebviewContract>({
    post: (message: RpcMessage) => {
      void page.evaluate((m) => window.postMessage(m, '*'), message).catch(() => undefined);
    },
    onProtocolProblem: (problem) => problems.push(`host: ${problem}`),
  });
  serveHost(host, session, adapterTimes, problems);
  await page.exposeFunction('__hexToHost', (message: unknown) => host.deliver(message));
  await page.addInitScript(`{
    let state = null;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { window.__hexPosted?.(m); window.__hexToHost(m); },
      getState: () => state,
      setState: (s) => { state = s; },
    });
  }`);
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForSelector('.grid-body .grid-row', { timeout: 30_000 });
  return page;
}

/**
 * Runs in the page: from the next Enter keydown (capture phase, before the go-to box acts) until
 * every visible hex and ASCII cell lies in [base, base+4096) and shows the expected byte, then one
 * animation frame more. On the way, when the page's readPage request leaves and its answer arrives.
 */
function armPaintProbe(args: ProbeArgs): void {
  const base = BigInt(args.base);
  type Message = {
    kind?: string;
    id?: number;
    inReplyTo?: number;
    method?: string;
    params?: unknown;
  };
  const probe = window as unknown as {
    __hexPaint?: Promise<PaintTiming>;
    __hexPosted?: (m: Message) => void;
  };
  probe.__hexPaint = new Promise<PaintTiming>((resolve, reject) => {
    let t0 = -1;
    let readId = -1;
    let requested = -1;
    let answered = -1;
    probe.__hexPosted = (m) => {
      const params = m.params as { address?: string } | undefined;
      if (readId < 0 && m.method === 'readPage' && params?.address === args.base) {
        readId = m.id!;
        requested = performance.now() - t0;
      }
    };
    const onAnswer = (e: MessageEvent) => {
      const m = e.data as Message;
      if (readId >= 0 && m.kind === 'response' && m.inReplyTo === readId) {
        answered = performance.now() - t0;
      }
    };
    window.addEventListener('message', onAnswer, { capture: true });
    const shown = (): boolean => {
      const cells = document.querySelectorAll<HTMLElement>(
        '.grid-body .grid-row:not([hidden]) [data-col][data-addr]',
      );
      if (cells.length === 0) return false;
      for (let i = 0; i < cells.length; i++) {
        const cell = cells[i]!;
        const offset = BigInt(cell.dataset.addr!) - base;
        if (offset < 0n || offset >= 4096n) return false;
        const expected = cell.dataset.col === 'hex' ? args.hex : args.ascii;
        if (cell.textContent !== expected[Number(offset)]) return false;
      }
      return true;
    };
    const observer = new MutationObserver(() => check());
    const timer = setTimeout(() => {
      observer.disconnect();
      window.removeEventListener('message', onAnswer, { capture: true });
      reject(new Error(`page ${args.base} not shown within ${args.timeoutMs} ms`));
    }, args.timeoutMs);
    const check = () => {
      if (t0 < 0 || !shown()) return;
      const cells = performance.now() - t0;
      observer.disconnect();
      clearTimeout(timer);
      window.removeEventListener('message', onAnswer, { capture: true });
      requestAnimationFrame(() =>
        resolve({ requested, answered, cells, painted: performance.now() - t0 }),
      );
    };
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key !== 'Enter' || t0 >= 0) return;
        t0 = performance.now();
        check();
      },
      { capture: true },
    );
    observer.observe(document.querySelector('.grid-body')!, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
}

async function measure(page: Page, session: Session, adapterTimes: Map<string, number>) {
  const painted: number[] = [];
  const cells: number[] = [];
  const requested: number[] = [];
  const roundTrip: number[] = [];
  const adapter: number[] = [];
  const field = page.locator('#goto input');
  for (let i = 0; i < WARM_UP + MEASURED; i++) {
    const base = RAM_BASE + BigInt(i + 1) * 0x10_0000n;
    const bytes = pagePattern(i);
    // Untimed: the page gets its own bytes, written through the adapter like an edit would be.
    const written = await session.memory.write(base, bytes);
    if (written.bytesWritten !== PAGE)
      throw new Error(`pattern write at ${base}: ${written.error}`);
    const args: ProbeArgs = {
      base: toHex(base),
      hex: Array.from(bytes, hexByte),
      ascii: Array.from(bytes, asciiGlyph),
      timeoutMs: PAGE_TIMEOUT_MS,
    };
    await page.evaluate(armPaintProbe, args);
    await field.fill(toHex(base + 0x800n));
    await field.press('Enter');
    const timing = await page.evaluate(
      () => (window as unknown as { __hexPaint: Promise<PaintTiming> }).__hexPaint,
    );
    const adapterMs = adapterTimes.get(args.base);
    if (adapterMs === undefined || timing.requested < 0 || timing.answered < 0) {
      throw new Error(`${args.base} was shown without being read through the host`);
    }
    if (i < WARM_UP) continue;
    painted.push(timing.painted);
    cells.push(timing.cells);
    requested.push(timing.requested);
    roundTrip.push(timing.answered - timing.requested);
    adapter.push(adapterMs);
  }
  return {
    painted: sortedCopy(painted),
    cells: sortedCopy(cells),
    requested: sortedCopy(requested),
    roundTrip: sortedCopy(roundTrip),
    adapter: sortedCopy(adapter),
  };
}

function missingPiece(): string | undefined {
  if (!existsSync(ADAPTER) || !existsSync(WEBVIEW_JS)) return 'dist not built (npm run build)';
  if (!existsSync(HELLO_ELF)) return `${HELLO_ELF} not built (make -C examples/firmware)`;
  if (!existsSync(DEBIAN_CHROMIUM)) return `${DEBIAN_CHROMIUM} not installed`;
  return undefined;
}

async function main(): Promise<void> {
  const missing = missingPiece();
  if (missing) {
    console.log(`hex.page.fetch: skipped: ${missing}`);
    return;
  }
  const session = await startAdapter();
  const profile = mkdtempSync(join(tmpdir(), 'hex-bench-chromium-'));
  const problems: string[] = [];
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: DEBIAN_CHROMIUM,
      headless: true,
      args: ['--headless', ...CHROMIUM_FLAGS],
      viewport: { width: 1280, height: 720 },
    });
    const adapterTimes = new Map<string, number>();
    const page = await openWebview(context, session, adapterTimes, problems);
    const times = await measure(page, session, adapterTimes);
    if (problems.length > 0) throw new Error(`the webview reported: ${problems.join('; ')}`);
    const { painted } = times;
    console.log(`hex.page.fetch: ${quantile(painted, 0.5).toFixed(3)} ms`);
    console.log(`hex.page.render.p90: ${quantile(painted, 0.9).toFixed(3)} ms`);
    console.log(`hex.page.fetch.request: ${quantile(times.requested, 0.5).toFixed(3)} ms`);
    console.log(`hex.page.fetch.roundtrip: ${quantile(times.roundTrip, 0.5).toFixed(3)} ms`);
    console.log(`hex.page.fetch.adapter: ${quantile(times.adapter, 0.5).toFixed(3)} ms`);
    console.log(`hex.page.fetch.cells: ${quantile(times.cells, 0.5).toFixed(3)} ms`);
    console.log(`hex.page.fetch.pages: ${painted.length} pages`);
  } catch (error) {
    console.log(`hex.page.fetch: failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  } finally {
    await context?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    await session.dc.stop().catch(() => undefined);
  }
}

void main();
