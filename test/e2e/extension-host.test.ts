/**
 * Runs the extension-host suite (test/extension-host/, the one @vscode/test-electron runs where VS
 * Code can be downloaded) inside code-server's extension host, through VS Code's own extension-test
 * mode: the workbench URL's `payload` names the extension under development (the installed .vsix's
 * folder, so the packaged artifact is what gets tested) and the bundled suite; VS Code calls its
 * `run()` and reports the outcome to the page. The suite also writes a JSON report we assert on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  openWorkbench,
  startCodeServer,
  type CodeServer,
  type Workbench,
} from './harness';

const SUITE_DIR = join(REPO_ROOT, 'test', 'extension-host');
const SUITE_BUNDLE = join(REPO_ROOT, 'dist', 'test', 'extension-host.js');

interface SuiteReport {
  passed: number;
  failed: number;
  skipped: number;
  tests: { name: string; status: string; detail?: string }[];
}

test('every extension-host test file is imported by the suite entry', () => {
  const entry = readFileSync(join(SUITE_DIR, 'index.ts'), 'utf8');
  const files = readdirSync(SUITE_DIR).filter((f) => f.endsWith('.test.ts'));
  assert.ok(files.length > 0);
  const missing = files.filter((f) => !entry.includes(`import './${f.replace(/\.ts$/, '')}'`));
  assert.deepEqual(missing, [], 'add these to test/extension-host/index.ts');
});

describe('extension-host suite inside code-server', { timeout: 180_000 }, () => {
  const reportDir = mkdtempSync(join(tmpdir(), 'boardmap-ext-host-report-'));
  const reportFile = join(reportDir, 'report.json');
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let exitCode: number;
  let report: SuiteReport;

  before(async () => {
    assert.ok(existsSync(SUITE_BUNDLE), `${SUITE_BUNDLE} is missing: run \`npm run build\``);
    // Trust off, as @vscode/test-electron runs it (--disable-workspace-trust): VS Code refuses the
    // trust prompt in extension-test mode, which would otherwise leave the folder restricted.
    server = await startCodeServer({
      workspaceTrust: false,
      env: { BOARDMAP_EXTENSION_TESTS_REPORT: reportFile },
    });
    assert.ok(server.installedExtensionDir, 'the .vsix was not installed');
    workbench = await openWorkbench(server, {
      extensionTests: { developmentPath: server.installedExtensionDir, testsPath: SUITE_BUNDLE },
    });
    exitCode = await workbench.extensionTestsExit(120_000);
    await workbench.screenshot('extension-host-suite');
    assert.ok(existsSync(reportFile), `the suite wrote no report (exit code ${exitCode})`);
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as SuiteReport;
  });
  after(async () => {
    await workbench?.close();
    await server?.stop();
    rmSync(reportDir, { recursive: true, force: true });
  });

  test('every test in the suite passed', (t) => {
    for (const r of report.tests) {
      t.diagnostic(`${r.status}: ${r.name}${r.detail ? ` (${r.detail.split('\n')[0]})` : ''}`);
    }
    const failures = report.tests.filter((r) => r.status === 'failed');
    assert.deepEqual(failures, [], 'extension-host tests failed');
    assert.ok(report.passed >= 1, 'no extension-host test passed');
    assert.equal(report.passed + report.failed + report.skipped, report.tests.length);
  });

  test('VS Code saw run() succeed (exit code 0)', () => {
    assert.equal(exitCode, 0);
  });
});
