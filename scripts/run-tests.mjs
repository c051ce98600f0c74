// Runs the test suites with Node's built-in test runner (TypeScript through tsx).
//   node scripts/run-tests.mjs            unit + integration tests (test/**/*.test.ts, not e2e)
//   node scripts/run-tests.mjs --e2e      the code-server end-to-end suite (test/e2e/**/*.test.ts)
//   node scripts/run-tests.mjs <files...> just those files
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const e2e = args.includes('--e2e');
const explicit = args.filter((a) => !a.startsWith('--'));

function find(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) find(p, out);
    else if (entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const isE2e = (f) => f.split(/[\\/]/).includes('e2e');
const isExtensionHost = (f) => f.split(/[\\/]/).includes('extension-host');
const files = explicit.length
  ? explicit
  : find('test')
      .filter((f) => !isExtensionHost(f) && isE2e(f) === e2e)
      .sort();

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

if (e2e) {
  // Build the .vsix and the extension-host bundle if stale, install code-server if missing.
  const prepared = spawnSync(process.execPath, ['scripts/e2e/prepare.mjs'], { stdio: 'inherit' });
  if (prepared.status !== 0) process.exit(prepared.status ?? 1);
}

const result = spawnSync(
  process.execPath,
  // e2e files each start a code-server and a Chromium: one at a time on a 2-core machine.
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    ...(e2e ? ['--test-concurrency=1'] : []),
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
);
process.exit(result.status ?? 1);
