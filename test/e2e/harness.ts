/**
 * The end-to-end harness: Boardmap's .vsix in a real VS Code (code-server 4.100.3) driven by headless
 * Chromium. Typical test:
 *
 *   const session = await startSession();              // server + browser, folder trusted
 *   after(() => session.stop());
 *   await session.workbench.runCommand('Boardmap: Show Version');
 *   await session.workbench.waitForNotification('Boardmap 0.1.0');
 *   await session.workbench.screenshot('show-version');
 *
 * `npm run test:e2e` builds the .vsix and installs code-server first (scripts/e2e/prepare.mjs).
 */
import { startCodeServer, type CodeServer, type StartCodeServerOptions } from './codeServer';
import { openWorkbench, type OpenWorkbenchOptions, type Workbench } from './workbench';

export {
  CODE_SERVER_BIN,
  CODE_SERVER_VERSION,
  DEFAULT_VSIX,
  EXAMPLES,
  EXTENSION_ID,
  REPO_ROOT,
  startCodeServer,
  type CodeServer,
  type StartCodeServerOptions,
} from './codeServer';
export {
  SCREENSHOT_DIR,
  openWorkbench,
  type ExtensionTestRun,
  type OpenWorkbenchOptions,
  type TrustAnswer,
  type Workbench,
} from './workbench';

export interface Session {
  readonly server: CodeServer;
  readonly workbench: Workbench;
  /** Closes the browser and kills the server. Idempotent; safe in `after()`. */
  stop(): Promise<void>;
}

/** Starts code-server and opens its workbench; on failure nothing is left running. */
export async function startSession(
  options: StartCodeServerOptions & OpenWorkbenchOptions = {},
): Promise<Session> {
  const server = await startCodeServer(options);
  let workbench: Workbench;
  try {
    workbench = await openWorkbench(server, options);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    server,
    workbench,
    async stop() {
      await workbench.close();
      await server.stop();
    },
  };
}
