/**
 * scripts/run-tests.mjs on a scratch project: which files `--quick` leaves out, the guard that lets
 * a test file start only the programs its `// test-needs:` line declares (so no quick file starts
 * Chromium, code-server, QEMU or the RISC-V toolchain, and no file in `npm test` starts one
 * undeclared), the per-file report buffering, and the closing `N passed, N failed` line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const runner = join(root, 'scripts', 'run-tests.mjs');
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A project folder with node_modules (for tsx), the given files and stub programs on PATH. */
function project(files: Record<string, string>, programs: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'boardmap-run-tests-'));
  temps.push(dir);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(join(dir, 'bin'));
  for (const program of programs) {
    writeFileSync(join(dir, 'bin', program), `#!/bin/sh\necho "stub ${program} ran"\n`);
    chmodSync(join(dir, 'bin', program), 0o755);
  }
  return dir;
}

function run(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [runner, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      BOARDMAP_TEST_QUICK: '',
    },
  });
  const lines = r.stdout.trimEnd().split('\n');
  return { ...r, lines, closing: lines.at(-1), all: `${r.stdout}\n${r.stderr}` };
}

const header =
  "import { test } from 'node:test';\nimport { spawnSync } from 'node:child_process';\n";

const files = {
  'test/plain.test.ts': `${header}test('sees the suite', () => console.log('quick=' + process.env.BOARDMAP_TEST_QUICK));\n`,
  'test/browser.test.ts':
    `// test-needs: chromium\n${header}` +
    `test('starts chromium', () => { const r = spawnSync('chromium', { encoding: 'utf8' }); if (r.stdout !== 'stub chromium ran\\n') throw new Error(String(r.error)); });\n`,
  // Swallows the guard's error, as an "is QEMU installed?" probe would: the file still fails.
  'test/probe.test.ts': `${header}test('probes qemu', () => { try { spawnSync('qemu-system-riscv32', ['--version']); } catch {} });\n`,
  // A file whose tests never registered (say, all behind a wrong condition) is not a pass.
  'test/empty.test.ts': `${header}if (process.env.NEVER) test('never', () => {});\n`,
  'test/e2e/ui.test.ts': `${header}test('e2e', () => { throw new Error('e2e files run only with --e2e'); });\n`,
};

describe('scripts/run-tests.mjs', () => {
  test('--quick leaves out files that declare a need; the guard fails a file starting an undeclared one', () => {
    const dir = project(files, ['chromium', 'qemu-system-riscv32']);
    const quick = run(dir, '--quick', '--verbose');
    assert.equal(quick.status, 1, quick.all);
    assert.match(quick.stdout, /left out by --quick: 1 files needing chromium/);
    assert.doesNotMatch(quick.stdout, /browser\.test|e2e/);
    assert.match(quick.stdout, /quick=1/);
    assert.match(
      quick.all,
      /test\/probe\.test\.ts started qemu-system-riscv32, which needs "qemu", without declaring it: add the line "\/\/ test-needs: qemu"/,
    );
    assert.match(quick.stdout, /✖ test\/probe\.test\.ts\s+1 passed, 1 failed/);
    assert.match(quick.stdout, /✖ test\/empty\.test\.ts\s+0 passed, 1 failed .*\(no tests ran\)/);
    // Both tests passed; node counts the probing file's non-zero exit as one more failed test.
    assert.equal(quick.closing, '2 passed, 2 failed');

    const full = run(dir, '--verbose');
    assert.equal(full.status, 1, full.all);
    assert.match(full.stdout, /✔ test\/browser\.test\.ts\s+1 passed/);
    assert.match(full.stdout, /quick=undefined/);
    assert.match(full.stdout, /✖ test\/probe\.test\.ts/);
    assert.doesNotMatch(full.stdout, /e2e/);
    assert.equal(full.closing, '3 passed, 2 failed');
  });

  test('counts, parallel reports kept apart, slowest files, one test by name', () => {
    const chatty = (name: string) =>
      `import { test } from 'node:test';\n` +
      `test('${name}', async () => { for (let i = 0; i < 5; i++) { console.log('${name} line ' + i); await new Promise((r) => setTimeout(r, 30)); } });\n`;
    const dir = project({
      'test/a.test.ts': chatty('aaa'),
      'test/b.test.ts': chatty('bbb'),
      'test/counts.test.ts':
        "import { test } from 'node:test';\n" +
        "test('one', () => {});\ntest('two', () => {});\n" +
        "test('three fails', () => { throw new Error('no'); });\n" +
        "test('four', { skip: 'not here' }, () => {});\n",
    });
    const r = run(dir, '--jobs', '2', '--verbose');
    assert.equal(r.status, 1, r.all);
    assert.match(r.stdout, /^run-tests: 3 files, 2 at a time$/m);
    // Each file's report is one block: header, its own lines, its result line.
    for (const name of ['a', 'b']) {
      const start = r.lines.indexOf(`── test/${name}.test.ts`);
      const end = r.lines.findIndex((l) => l.startsWith(`✔ test/${name}.test.ts`));
      assert.ok(start >= 0 && end > start, r.stdout);
      const mine = r.lines.flatMap((l, i) => (l.includes(`${name.repeat(3)} line`) ? [i] : []));
      assert.equal(mine.length, 5, r.stdout);
      assert.ok(
        mine.every((i) => i > start && i < end),
        r.stdout,
      );
    }
    assert.match(r.stdout, /✖ test\/counts\.test\.ts\s+2 passed, 1 failed, 1 skipped/);
    assert.match(r.stdout, /^slowest files:\n(\s+\d+\.\d s {2}test\/\S+\n){3}/m);
    assert.match(r.stdout, /^failed files:\n {2}test\/counts\.test\.ts$/m);
    assert.equal(r.closing, '4 passed, 1 failed, 1 skipped');

    const one = run(dir, 'test/counts.test.ts', '--test-name-pattern', '^two$');
    assert.equal(one.status, 0, one.all);
    assert.equal(one.closing, '1 passed, 0 failed, 3 skipped');
  });
});
