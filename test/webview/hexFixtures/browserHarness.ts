/**
 * Runs the real hex editor bundle in headless Chromium against a fake host: the page is the
 * production HTML (same CSP), `acquireVsCodeApi` is a stand-in whose postMessage reaches an
 * RpcEndpoint in this process, which answers from a FakeMemory model.
 */
import { mkdtempSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  RpcEndpoint,
  type RpcMessage,
  type HexEditorInit,
  type HexEditorViewState,
  type HexHostContract,
  type HexWebviewContract,
  type RegionListEntry,
  decodeBase64,
  toHex,
} from '../../../src/protocol';
import { hexEditorHtml } from '../../../src/extension/hexEditor/model';
import { CHROMIUM_FLAGS, DEBIAN_CHROMIUM } from '../chromium';
import { FakeMemory } from './fakeMemory';

const ORIGIN = 'https://hex.test';
const THEMES = {
  dark: {
    kind: 'vscode-dark',
    vars: {
      'editor-background': '#1e1e1e',
      'editor-foreground': '#d4d4d4',
      foreground: '#cccccc',
      descriptionForeground: '#9d9d9d',
      'editorLineNumber-foreground': '#858585',
      'editor-selectionBackground': '#264f78',
      'editorCursor-foreground': '#aeafad',
      focusBorder: '#007fd4',
      'panel-border': '#80808059',
      'editorWidget-border': '#454545',
      'charts-purple': '#b180d7',
      'charts-orange': '#d18616',
      'charts-green': '#89d185',
      disabledForeground: '#cccccc80',
      'editorWarning-foreground': '#cca700',
      errorForeground: '#f48771',
      'debugView-valueChangedHighlight': '#569cd6',
      'scrollbarSlider-background': '#79797966',
      'scrollbarSlider-hoverBackground': '#646464b3',
      'scrollbarSlider-activeBackground': '#bfbfbf66',
      'editorHoverWidget-background': '#252526',
      'editorHoverWidget-foreground': '#cccccc',
      'editorHoverWidget-border': '#454545',
      'inputValidation-errorBackground': '#5a1d1d',
      'inputValidation-errorBorder': '#be1100',
      'input-background': '#3c3c3c',
      'input-foreground': '#cccccc',
      'dropdown-background': '#3c3c3c',
      'dropdown-foreground': '#f0f0f0',
      'dropdown-border': '#3c3c3c',
      'icon-foreground': '#c5c5c5',
    },
  },
  light: {
    kind: 'vscode-light',
    vars: {
      'editor-background': '#ffffff',
      'editor-foreground': '#000000',
      foreground: '#616161',
      descriptionForeground: '#717171',
      'editorLineNumber-foreground': '#237893',
      'editor-selectionBackground': '#add6ff',
      'editorCursor-foreground': '#000000',
      focusBorder: '#0090f1',
      'panel-border': '#80808059',
      'editorWidget-border': '#c8c8c8',
      'charts-purple': '#652d90',
      'charts-orange': '#d18616',
      'charts-green': '#388a34',
      disabledForeground: '#61616180',
      'editorWarning-foreground': '#bf8803',
      errorForeground: '#a1260d',
      'debugView-valueChangedHighlight': '#569cd6',
      'scrollbarSlider-background': '#64646466',
      'scrollbarSlider-hoverBackground': '#646464b3',
      'scrollbarSlider-activeBackground': '#00000099',
      'editorHoverWidget-background': '#f3f3f3',
      'editorHoverWidget-foreground': '#616161',
      'editorHoverWidget-border': '#c8c8c8',
      'inputValidation-errorBackground': '#f2dede',
      'inputValidation-errorBorder': '#be1100',
      'input-background': '#ffffff',
      'input-foreground': '#616161',
      'dropdown-background': '#ffffff',
      'dropdown-foreground': '#616161',
      'dropdown-border': '#cecece',
      'icon-foreground': '#424242',
    },
  },
  'high-contrast': {
    kind: 'vscode-high-contrast',
    vars: {
      'editor-background': '#000000',
      'editor-foreground': '#ffffff',
      foreground: '#ffffff',
      descriptionForeground: '#ffffff',
      'editorLineNumber-foreground': '#ffffff',
      'editor-selectionBackground': '#ffffff',
      'editor-selectionForeground': '#000000',
      'editorCursor-foreground': '#ffffff',
      focusBorder: '#f38518',
      contrastActiveBorder: '#f38518',
      'panel-border': '#6fc3df',
      'editorWidget-border': '#6fc3df',
      'charts-purple': '#b180d7',
      'charts-orange': '#f38518',
      'charts-green': '#89d185',
      disabledForeground: '#a5a5a5',
      'editorWarning-foreground': '#ffd700',
      errorForeground: '#f48771',
      'scrollbarSlider-background': '#6fc3df99',
      'editorHoverWidget-background': '#0c141f',
      'editorHoverWidget-foreground': '#ffffff',
      'editorHoverWidget-border': '#6fc3df',
      'input-background': '#000000',
      'input-foreground': '#ffffff',
      'icon-foreground': '#ffffff',
    },
  },
} as const;

export type ThemeName = keyof typeof THEMES;

function themeCss(name: ThemeName): string {
  const theme = THEMES[name];
  const vars = Object.entries(theme.vars)
    .map(([k, v]) => `  --vscode-${k}: ${v};`)
    .join('\n');
  return `:root {\n${vars}\n  --vscode-font-family: sans-serif;\n  --vscode-font-size: 13px;\n  --vscode-editor-font-family: 'DejaVu Sans Mono', monospace;\n  --vscode-editor-font-size: 13px;\n}\n`;
}

let bundle: string | undefined;
async function webviewBundle(): Promise<string> {
  if (!bundle) {
    const out = await esbuild.build({
      entryPoints: ['src/webview/hexEditor/main.ts'],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    bundle = out.outputFiles[0]!.text;
  }
  return bundle;
}

export interface HostLog {
  notifications: { severity: string; message: string }[];
  copied: string[];
  exports: unknown[];
  pageReads: string[];
  /** Every `saveViewState` the webview sent, in order. */
  savedViewStates: HexEditorViewState[];
  /** Every `registerInfo` request's address. */
  registerInfoReads: string[];
  /** Every `readWithSideEffects` request. */
  sideEffectReads: { address: string; count: number }[];
}

export interface HexPage {
  page: Page;
  memory: FakeMemory;
  host: RpcEndpoint<HexHostContract, HexWebviewContract>;
  log: HostLog;
  /** Content-Security-Policy violations and page errors seen so far. */
  problems: string[];
  savedState(): unknown;
  /** Holds every page read until the returned function is called (a slow adapter). */
  holdPageReads(): () => void;
}

/** Page reads wait on `held` while it is set. */
interface ReadGate {
  held?: Promise<void>;
}

export class HexBrowser {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<HexBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'hex-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: DEBIAN_CHROMIUM,
      headless: true,
      args: ['--headless', ...CHROMIUM_FLAGS],
      viewport: { width: 1280, height: 720 },
    });
    return new HexBrowser(context, profile);
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }

  /** Opens the editor. `init` overrides what the fake host answers to `ready`. */
  async open(
    options: {
      memory?: FakeMemory;
      init?: Partial<HexEditorInit>;
      theme?: ThemeName;
      state?: unknown;
    } = {},
  ): Promise<HexPage> {
    const memory = options.memory ?? new FakeMemory();
    const theme = options.theme ?? 'dark';
    const page = await this.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text()))
        problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const nonce = 'TestNonce0123456789abcdefABCDEF01';
    const html = hexEditorHtml({
      cspSource: ORIGIN,
      nonce,
      scriptUri: `${ORIGIN}/hexEditor.js`,
      styleUri: `${ORIGIN}/hexEditor.css`,
      codiconUri: `${ORIGIN}/codicon.css`,
    })
      .replace('</head>', `<link rel="stylesheet" href="${ORIGIN}/theme.css">\n</head>`)
      .replace('<body>', `<body class="${THEMES[theme].kind}">`);
    const files: Record<string, { body: string | Buffer; type: string }> = {
      '/index.html': { body: html, type: 'text/html' },
      '/hexEditor.js': { body: await webviewBundle(), type: 'text/javascript' },
      '/hexEditor.css': { body: readFileSync('media/hexEditor.css'), type: 'text/css' },
      '/theme.css': { body: themeCss(theme), type: 'text/css' },
      '/codicon.css': {
        body: readFileSync('node_modules/@vscode/codicons/dist/codicon.css'),
        type: 'text/css',
      },
      '/codicon.ttf': {
        body: readFileSync('node_modules/@vscode/codicons/dist/codicon.ttf'),
        type: 'font/ttf',
      },
    };
    await page.route(`${ORIGIN}/**`, (route) => {
      const file = files[new URL(route.request().url()).pathname];
      if (!file) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, body: file.body, contentType: file.type });
    });

    let saved: unknown = options.state;
    const log: HostLog = {
      notifications: [],
      copied: [],
      exports: [],
      pageReads: [],
      savedViewStates: [],
      registerInfoReads: [],
      sideEffectReads: [],
    };
    const host = new RpcEndpoint<HexHostContract, HexWebviewContract>({
      post: (message: RpcMessage) => {
        void page.evaluate((m) => window.postMessage(m, '*'), message).catch(() => undefined);
      },
      onProtocolProblem: (problem) => problems.push(`host: ${problem}`),
    });
    const gate: ReadGate = {};
    serveFakeHost(host, memory, log, options.init, gate);
    await page.exposeFunction('__hexToHost', (message: unknown) => host.deliver(message));
    await page.exposeFunction('__hexSetState', (state: unknown) => (saved = state));
    // A string, not a function: tsx's keepNames helpers (`__name`) do not exist in the page.
    await page.addInitScript(`{
      let state = ${JSON.stringify(options.state ?? null)};
      window.acquireVsCodeApi = () => ({
        postMessage: (m) => window.__hexToHost(m),
        getState: () => state,
        setState: (s) => { state = s; window.__hexSetState(s); },
      });
    }`);
    await page.goto(`${ORIGIN}/index.html`);
    await page
      .waitForSelector('.grid-body .grid-row', {
        timeout: Number(process.env.HEX_OPEN_TIMEOUT ?? 30000),
      })
      .catch(async (e) => {
        console.log(problems, await page.content());
        throw e;
      });
    const holdPageReads = () => {
      let release = () => {};
      gate.held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate.held = undefined;
        release();
      };
    };
    return { page, memory, host, log, problems, savedState: () => saved, holdPageReads };
  }
}

const SYMBOLS: Record<string, bigint> = { main: 0x8000_0000n, greeting: 0x8000_0100n };

function serveFakeHost(
  host: RpcEndpoint<HexHostContract, HexWebviewContract>,
  memory: FakeMemory,
  log: HostLog,
  init: Partial<HexEditorInit> | undefined,
  gate: ReadGate,
): void {
  host.handle('ready', () => ({
    addressSpace: 'memory',
    addressSpaceName: 'memory',
    spaceSize: '0x10000000000000000',
    reveal: { address: '0x80000100' },
    session: { state: 'stopped', name: 'fake session' },
    ...init,
  }));
  host.handle('readPage', async ({ address }) => {
    log.pageReads.push(address);
    await gate.held;
    return memory.readEx(BigInt(address), 4096);
  });
  host.handle('readWithSideEffects', ({ address, count }) => {
    log.sideEffectReads.push({ address, count });
    return memory.readEx(BigInt(address), count, true);
  });
  host.handle('write', ({ address, data }) => {
    const result = memory.write(BigInt(address), decodeBase64(data));
    if (result.bytesWritten === 0) throw new Error(result.error ?? 'write failed');
    return result;
  });
  host.handle('registerInfo', ({ address, count }) => {
    log.registerInfoReads.push(address);
    return { registers: memory.registerInfo(BigInt(address), BigInt(count)) };
  });
  host.handle('resolveExpression', ({ expression }) => {
    const value = SYMBOLS[expression];
    if (value === undefined) throw new Error(`no symbol '${expression}' in the program`);
    return { address: toHex(value) };
  });
  host.handle('listRegions', () =>
    memory.regions.map((r): RegionListEntry => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      start: toHex(r.start),
      size: toHex(r.size),
    })),
  );
  host.handle('exportRange', (params) => {
    log.exports.push(params);
    return { path: '/tmp/fake-export.bin', bytes: Number(BigInt(params.length)), unreadable: 0 };
  });
  host.handle('copyText', ({ text }) => {
    log.copied.push(text);
    return null;
  });
  host.handle('saveViewState', (state) => {
    log.savedViewStates.push(state);
    return null;
  });
  host.handle('notify', (n) => {
    log.notifications.push(n);
    return null;
  });
}

export function screenshotPath(name: string): string {
  mkdirSync('test-results/hex-editor', { recursive: true });
  return join('test-results/hex-editor', `${name}.png`);
}
