/**
 * Starts and stops code-server (VS Code's web build) for end-to-end tests: a free loopback port,
 * no auth, a fresh user-data-dir and extensions-dir under a temp folder, the freshly built .vsix
 * installed. Every started server is killed when the test process exits or gets SIGINT, SIGTERM
 * or SIGHUP (SIGKILL cannot be caught).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
const CACHE_ROOT = process.env.BOARDMAP_E2E_CACHE ?? '/var/cache/boardmap-e2e';
/** What scripts/e2e/install-code-server.sh installs (the same path it prints). */
export const CODE_SERVER_BIN = join(
  CACHE_ROOT,
  `code-server-${CODE_SERVER_VERSION}`,
  'node_modules',
  '.bin',
  'code-server',
);
export const DEFAULT_VSIX = join(REPO_ROOT, 'boardmap.vsix');
export const EXAMPLES = join(REPO_ROOT, 'examples');
export const EXTENSION_ID = 'boardmap.boardmap';

/** Quiet, deterministic user settings: no welcome page, tips, updates or telemetry. */
const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.openRepositoryInParentFolders': 'never',
};

export interface StartCodeServerOptions {
  /** Folder opened as the workspace. Default: the repository's examples/. */
  workspace?: string;
  /** The .vsix installed before start; `false` installs none. Default: boardmap.vsix at the root. */
  vsix?: string | false;
  /**
   * Workspace trust. `true` (default) keeps VS Code's trust feature on, so opening a folder asks
   * (openWorkbench answers the prompt); `false` turns the feature off (every folder trusted, as
   * @vscode/test-electron does with --disable-workspace-trust).
   */
  workspaceTrust?: boolean;
  /** User settings merged over the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server; its extension host inherits it. */
  env?: Record<string, string>;
  /** How long to wait for the server to listen. Default 60 s. */
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  /** 127.0.0.1:PORT — the remote authority in vscode-remote:// URIs. */
  readonly authority: string;
  readonly workspace: string;
  readonly workspaceTrust: boolean;
  readonly tempDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Folder of the installed Boardmap extension (undefined when no .vsix was installed). */
  readonly installedExtensionDir: string | undefined;
  /** Everything the server printed so far (for failure messages). */
  log(): string;
  /** Kills the server and its extension host, then deletes the temp folder. Idempotent. */
  stop(): Promise<void>;
}

/** Running servers and their temp folders, cleaned up when the process exits. */
const live = new Map<ChildProcess, string>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  // The group outlives its leader when an extension host lingers, so no exit-status check here.
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the whole group: server, its forked child, extension hosts
  } catch {
    // already gone
  }
}

let exitHooksInstalled = false;
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const [child, tempDir] of live) {
      killGroup(child, 'SIGKILL');
      rmSync(tempDir, { recursive: true, force: true });
    }
  });
  // Exit on these signals ourselves: playwright's own SIGTERM handler closes its browsers but lets
  // the process run on, which would start the next test against a dead browser.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.exit(128 + constants.signals[signal]);
    });
  }
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

function installVsix(
  vsix: string,
  extensionsDir: string,
  userDataDir: string,
  config: string,
): string {
  if (!existsSync(vsix)) {
    throw new Error(`${vsix} does not exist: build it with \`npm run package\``);
  }
  const result = spawnSync(
    CODE_SERVER_BIN,
    [
      '--config',
      config,
      '--install-extension',
      vsix,
      '--force',
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) {
    throw new Error(
      `code-server --install-extension ${vsix} failed (status ${result.status}):\n` +
        `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}`,
    );
  }
  const folder = readdirSync(extensionsDir).find((f) => f.startsWith(`${EXTENSION_ID}-`));
  if (!folder) {
    throw new Error(`${vsix} installed, but no ${EXTENSION_ID}-* folder in ${extensionsDir}`);
  }
  return join(extensionsDir, folder);
}

export async function startCodeServer(options: StartCodeServerOptions = {}): Promise<CodeServer> {
  if (!existsSync(CODE_SERVER_BIN)) {
    throw new Error(
      `code-server is not installed at ${CODE_SERVER_BIN}: run scripts/e2e/install-code-server.sh ` +
        '(npm run test:e2e does this)',
    );
  }
  const workspace = resolve(options.workspace ?? EXAMPLES);
  const workspaceTrust = options.workspaceTrust ?? true;
  const tempDir = mkdtempSync(join(tmpdir(), 'boardmap-e2e-'));
  const userDataDir = join(tempDir, 'user-data');
  const extensionsDir = join(tempDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir);
  const settings = {
    ...BASE_SETTINGS,
    'security.workspace.trust.enabled': workspaceTrust,
    ...options.settings,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // An empty config file keeps code-server from reading or writing ~/.config/code-server.
  const config = join(tempDir, 'config.yaml');
  writeFileSync(config, '');

  const vsix = options.vsix ?? DEFAULT_VSIX;
  let installedExtensionDir: string | undefined;
  try {
    installedExtensionDir = vsix
      ? installVsix(vsix, extensionsDir, userDataDir, config)
      : undefined;
  } catch (error) {
    rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }

  installExitHooks();
  const child = spawn(
    CODE_SERVER_BIN,
    [
      '--config',
      config,
      '--auth',
      'none',
      '--bind-addr',
      '127.0.0.1:0', // the kernel picks a free port; the server logs which
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      workspace,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  live.set(child, tempDir);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => resolveExit());
    child.once('error', (error) => {
      spawnError = error; // could not start at all: there will be no 'exit'
      resolveExit();
    });
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    // Extension hosts may outlive the server by a moment; the group kill covers them.
    killGroup(child, 'SIGKILL');
    rmSync(tempDir, { recursive: true, force: true });
    live.delete(child);
  };

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let port: string | undefined;
  while (port === undefined) {
    port = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    if (port !== undefined) break;
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `code-server exited before listening${spawnError ? ` (${spawnError.message})` : ''}:\n` +
          tail(output),
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not listen within ${timeoutMs} ms:\n${tail(output)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const authority = `127.0.0.1:${port}`;
  return {
    url: `http://${authority}/`,
    authority,
    workspace,
    workspaceTrust,
    tempDir,
    userDataDir,
    extensionsDir,
    installedExtensionDir,
    log: () => output,
    stop,
  };
}
