/**
 * `scripts/lint-shell.sh` (in `npm run lint`) finds every shell script git knows — by extension and
 * by shebang, tracked or new — and fails on a shellcheck warning. Runs a copy in a temporary git
 * repository.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'boardmap-lint-shell-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function git(...args: string[]): void {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function lint() {
  return spawnSync('bash', ['scripts/lint-shell.sh'], { cwd: dir, encoding: 'utf8' });
}

test('lint-shell checks .sh files and shebang scripts, tracked or new, and nothing else', () => {
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, '.ci'));
  copyFileSync(join(root, 'scripts', 'lint-shell.sh'), join(dir, 'scripts', 'lint-shell.sh'));
  const unquoted = 'cd "$(dirname "$0")" || exit 1\nfiles=$1\nls $files\n'; // SC2086
  writeFileSync(join(dir, 'tracked.sh'), `#!/bin/sh\n${unquoted}`);
  writeFileSync(join(dir, '.ci', 'run'), `#!/usr/bin/env bash\n${unquoted}`);
  writeFileSync(join(dir, 'new-tool'), `#!/bin/bash\n${unquoted}`);
  writeFileSync(join(dir, 'ignored.sh'), `#!/bin/sh\n${unquoted}`);
  writeFileSync(join(dir, 'notes.txt'), `ls $files\n`);
  writeFileSync(join(dir, 'tool.py'), `#!/usr/bin/env python3\nprint("$files")\n`);
  writeFileSync(join(dir, '.gitignore'), 'ignored.sh\n');
  git('init', '-q');
  git('add', 'tracked.sh', '.ci/run', 'scripts/lint-shell.sh', 'notes.txt', 'tool.py');

  const dirty = lint();
  assert.notEqual(dirty.status, 0, dirty.stdout);
  const flagged = [...dirty.stdout.matchAll(/^In (\S+) line \d+:/gm)].map((m) => m[1]).sort();
  assert.deepEqual(flagged, ['.ci/run', 'new-tool', 'tracked.sh'], dirty.stdout);
  assert.match(dirty.stdout, /SC2086/);

  const quoted = unquoted.replace('ls $files', 'ls "$files"');
  writeFileSync(join(dir, 'tracked.sh'), `#!/bin/sh\n${quoted}`);
  writeFileSync(join(dir, '.ci', 'run'), `#!/usr/bin/env bash\n${quoted}`);
  writeFileSync(join(dir, 'new-tool'), `#!/bin/bash\n${quoted}`);
  const clean = lint();
  assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /4 shell scripts clean/);
});
