// Gets everything the e2e suite needs, doing only what is missing or out of date:
//   1. code-server 4.100.3 (scripts/e2e/install-code-server.sh; cached per machine),
//   2. boardmap.vsix (`npm run package`) when missing or older than any of its inputs,
//   3. the extension-host suite bundle dist/test/extension-host.js (`npm run build`) likewise.
// Run by `node scripts/run-tests.mjs --e2e` (npm run test:e2e) before the tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
process.chdir(root);

function run(what, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`e2e prepare: ${what} failed (${command} ${args.join(' ')})`);
    process.exit(result.status ?? 1);
  }
  console.log(`e2e prepare: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Newest modification time among files and folders (recursively); 0 when none exist. */
function newest(paths) {
  let latest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const stat = statSync(p);
    latest = Math.max(latest, stat.mtimeMs);
    if (stat.isDirectory()) {
      latest = Math.max(latest, newest(readdirSync(p).map((f) => join(p, f))));
    }
  }
  return latest;
}

const isStale = (output, inputs) =>
  !existsSync(output) || statSync(output).mtimeMs < newest(inputs);

run('code-server installed', 'bash', ['scripts/e2e/install-code-server.sh']);

const vsixInputs = [
  'src',
  'media',
  'syntaxes',
  'snippets',
  'package.json',
  'package-lock.json',
  'README.md',
  'LICENSE',
  'language-configuration.json',
  '.vscodeignore',
  'scripts/build.mjs',
];
if (isStale('boardmap.vsix', vsixInputs)) run('boardmap.vsix packaged', 'npm', ['run', 'package']);
else console.log('e2e prepare: boardmap.vsix is up to date');

if (isStale('dist/test/extension-host.js', ['test/extension-host', 'scripts/build.mjs'])) {
  run('extension-host suite bundled', 'npm', ['run', 'build']);
} else {
  console.log('e2e prepare: dist/test/extension-host.js is up to date');
}
