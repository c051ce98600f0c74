/**
 * The extension-host suite's entry: the module VS Code loads as `extensionTestsPath` (bundled to
 * dist/test/extension-host.js by scripts/build.mjs). VS Code calls `run()` and counts a rejection as
 * failure. Both @vscode/test-electron (runTest.ts) and code-server (test/e2e/extension-host.test.ts)
 * load it. Every *.test.ts in this folder must be imported here; the e2e test checks that.
 */
import { writeFileSync } from 'node:fs';
import './activation.test';
import './debugMemory.test';
import { runRegisteredTests } from './runner';

/** When set, the JSON report is written here for a caller outside the extension host to read. */
export const REPORT_FILE_ENV = 'BOARDMAP_EXTENSION_TESTS_REPORT';

export async function run(): Promise<void> {
  const report = await runRegisteredTests((line) => console.log(line));
  const reportFile = process.env[REPORT_FILE_ENV];
  if (reportFile) writeFileSync(reportFile, JSON.stringify(report, null, 2));
  console.log(
    `extension-host suite: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`,
  );
  if (report.failed > 0) {
    throw new Error(`${report.failed} of ${report.tests.length} extension-host tests failed`);
  }
}
