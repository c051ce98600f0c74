/**
 * `boardmap` and board files it must not read: a FIFO or a device named on the command line or
 * in an include is refused at once (spawnSync with a timeout: it used to block forever), and an
 * include of a file that is not a board says so without printing a byte of it
 * (`/etc/passwd:1:1: Unexpected 'root'` before). `npm run build` first.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'boardmap-cli-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));
execFileSync('mkfifo', [join(dir, 'fifo.board')]);
writeFileSync(join(dir, 'secret.txt'), 'root:x:0:0:root:/root:/bin/bash\nAPI_KEY=hunter2\n');
writeFileSync(
  join(dir, 'main.board'),
  'include "secret.txt"\ninclude "fifo.board"\ncontainer system size 4K\nspace memory = system\n',
);

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.error, undefined, `boardmap ${args.join(' ')} did not finish`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('check, mtree and run refuse a FIFO or a device as the board', () => {
  for (const args of [
    ['check', 'fifo.board'],
    ['mtree', 'fifo.board'],
    ['run', 'fifo.board'],
    ['check', '/dev/zero'],
  ]) {
    const r = run(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, /cannot read .*: it is not a regular file/, args.join(' '));
  }
});

test('includes: refused with the reason, a non-board file never echoed', () => {
  const r = run(['check', 'main.board']);
  assert.equal(r.code, 1);
  assert.equal(
    r.out,
    [
      "main.board:1:9: error: Included file 'secret.txt' is not a board file (it does not start with a declaration) [BM402]",
      "main.board:2:9: error: Cannot read included file 'fifo.board': it is not a regular file [BM402]",
      '',
    ].join('\n'),
  );
  assert.doesNotMatch(r.out + r.err, /root|hunter2|API_KEY/);
});
