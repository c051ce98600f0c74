/**
 * The `boardmap` CLI, spawned as users run it (dist/cli.js; `npm run build` first): check, mtree,
 * fmt, import-mtree, demo, help — output and exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const EXAMPLES = join(ROOT, 'examples');
import { QEMU_ORACLE as ORACLE } from '../oracle';

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'boardmap-cli-'));
}

const blocks = (t: string) =>
  t
    .split(/\n\n+/)
    .map((b) => b.replace(/^FlatView #\d+/, 'FlatView #N').trim())
    .filter(Boolean)
    .sort();

describe('boardmap CLI', () => {
  test('check: clean files exit 0 and print nothing', () => {
    const r = run(['check', 'examples/pc.board', 'examples/remap.board']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
  });

  test('check: gcc-style diagnostics and exit 1 on errors', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'bad.board'),
      'ram a size 0\ncontainer c size 4K {\n  ram b @ 0x800 size 4K\n}\n',
    );
    const r = run(['check', 'bad.board'], dir);
    assert.equal(r.code, 1);
    assert.equal(
      r.out,
      "bad.board:1:12: error: Size must be positive (got 0) [BM306]\nbad.board:3:11: warning: 'b' (0x800…0x17ff) extends past the end of 'c' (size 0x1000); QEMU clips it at 0xfff [BM303]\n",
    );
  });

  test('check: warnings alone exit 0; unreadable file exits 1', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'w.board'), 'container c size 4K {\n  ram b @ 0x800 size 4K\n}\n');
    assert.equal(run(['check', 'w.board'], dir).code, 0);
    const missing = run(['check', 'nope.board'], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read nope.board/);
  });

  test('check and mtree follow includes relative to the including file; cycles are reported', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'soc'));
    writeFileSync(join(dir, 'soc', 'mem.board'), 'ram sram size 64K\n');
    writeFileSync(
      join(dir, 'top.board'),
      'include "soc/mem.board"\ncontainer sys size 2^32 {\n  alias s @ 0x1000 -> sram\n}\nspace memory = sys\n',
    );
    assert.equal(run(['check', 'top.board'], dir).code, 0);
    assert.match(
      run(['mtree', '-f', 'top.board'], dir).out,
      /0000000000001000-0000000000010fff \(prio 0, ram\): sram/,
    );
    writeFileSync(join(dir, 'soc', 'mem.board'), 'include "../top.board"\nram sram size 64K\n');
    const r = run(['check', 'top.board'], dir);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /soc\/mem.board:1:9: error: Include cycle: top.board → mem.board → top.board \[BM401\]/,
    );
  });

  test('mtree: tree, -f, -D, -o of a board file', () => {
    const r = run(['mtree', 'examples/pc.board']);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^address-space: memory\n {2}0000000000000000-0000ffffffffffff \(prio 0, i\/o\): system\n/,
    );
    const f = run(['mtree', '-f', 'examples/remap.board']);
    assert.match(f.out, /0000000000000000-000000000000ffff \(prio 0, rom\): boot-rom/);
    const d = run(['mtree', '-D', 'examples/remap.board']);
    assert.match(d.out, /alias sram-remap @sram 0000000000000000-000000000000ffff \[disabled\]/);
    assert.doesNotMatch(run(['mtree', 'examples/remap.board']).out, /sram-remap/);
  });

  test('mtree: errors in the board exit 1 with diagnostics; bad usage exits 2', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.board'), 'alias a -> nowhere\n');
    const r = run(['mtree', 'bad.board'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /bad.board:1:12: error: Unknown alias target 'nowhere' \[BM301\]/);
    assert.equal(run(['mtree', '-x', 'bad.board'], dir).code, 2);
    assert.equal(run(['mtree'], dir).code, 2);
    assert.match(
      run(['mtree', 'no-such-board'], dir).err,
      /no board file or built-in board 'no-such-board'/,
    );
  });

  test('fmt: --check reports, plain fmt rewrites, syntax errors refuse', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.board'), 'ram   a   size 4K\n');
    copyFileSync(join(EXAMPLES, 'pc.board'), join(dir, 'pc.board'));
    const check = run(['fmt', '--check', 'a.board', 'pc.board'], dir);
    assert.equal(check.code, 1);
    assert.equal(check.out, 'a.board: not formatted\n');
    assert.equal(run(['fmt', 'a.board'], dir).code, 0);
    assert.equal(readFileSync(join(dir, 'a.board'), 'utf8'), 'ram a size 4K\n');
    assert.equal(run(['fmt', '--check', 'a.board'], dir).code, 0);
    writeFileSync(join(dir, 'b.board'), 'ram a size 4K {\n');
    const bad = run(['fmt', 'b.board'], dir);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /syntax errors/);
    assert.equal(readFileSync(join(dir, 'b.board'), 'utf8'), 'ram a size 4K {\n');
    const missing = run(['fmt', 'nope.board', 'a.board'], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read nope.board/);
  });

  test('import-mtree: a QEMU machine to a board whose mtree equals the dumps', () => {
    const dir = tmp();
    const m = 'sifive_e-riscv32';
    const r = run(
      [
        'import-mtree',
        '--tree',
        join(ORACLE, `${m}.mtree-D.txt`),
        '--flat',
        join(ORACLE, `${m}.mtree-f.txt`),
        '-o',
        'm.board',
      ],
      dir,
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(run(['check', 'm.board'], dir).code, 0);
    for (const [flag, suffix] of [
      [[], 'mtree'],
      [['-f'], 'mtree-f'],
      [['-D'], 'mtree-D'],
    ] as const) {
      const out = run(['mtree', ...flag, 'm.board'], dir);
      assert.deepEqual(
        blocks(out.out),
        blocks(readFileSync(join(ORACLE, `${m}.${suffix}.txt`), 'utf8')),
        suffix,
      );
    }
    assert.equal(run(['import-mtree', '--tree', 'x'], dir).code, 2);
    assert.equal(run(['import-mtree', '--tree', 'x', '--flat', 'y'], dir).code, 1);
  });

  test('demo shows the remap before and after the REMAP store', () => {
    const r = run(['demo']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /store 1 to REMAP @ 0x40000004 \(ok\): enable sram-remap/);
    const after = r.out.split('store 1 to REMAP')[1]!;
    assert.match(after, /0000000000000000-000000000000ffff \(prio 0, ram\): sram/);
  });

  test('help, version, unknown command', () => {
    assert.match(run(['help']).out, /check .*\n.*mtree/s);
    assert.match(run(['--version']).out, /^boardmap \d+\.\d+\.\d+\n$/);
    const u = run(['frobnicate']);
    assert.equal(u.code, 2);
    assert.match(u.err, /unknown command 'frobnicate'/);
  });
});
