/**
 * Runs the extension-host suite in desktop VS Code through @vscode/test-electron, where VS Code can
 * be downloaded: `npm run test:extension-host`. (On machines without internet the same suite runs
 * inside code-server instead: `npm run test:e2e`.)
 */
import { resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(root, 'dist/test/extension-host.js'),
    launchArgs: [resolve(root, 'examples'), '--disable-extensions'],
  });
}

main().catch((error: unknown) => {
  console.error('extension-host suite failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
