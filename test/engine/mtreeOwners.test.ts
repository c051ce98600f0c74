// import-mtree with an owners dump (`info mtree -o`) from another run of the same machine: QEMU
// prints address-space blocks in hash-table order, so the blocks of two runs come in different
// orders. Owners are matched by content, not position; dumps of different machines are refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatMtree, importMtreeDump, MtreeImportError } from '../../src/engine';
import { QEMU_ORACLE } from '../oracle';

const read = (machine: string, kind: string) =>
  readFileSync(join(QEMU_ORACLE, `${machine}.${kind}.txt`), 'utf8');

/** The dump's blocks (separated by blank lines) in reverse order: another run's hash order. */
function reorderBlocks(dump: string): string {
  const blocks = dump.split('\n\n').filter((b) => b.trim() !== '');
  return blocks.reverse().join('\n\n') + '\n';
}

const withOwners = (machine: string, ownerTree: string) =>
  importMtreeDump({ tree: read(machine, 'mtree-D'), flat: read(machine, 'mtree-f'), ownerTree });

for (const machine of ['pc-x86_64', 'virt-riscv64', 'lm3s6965evb-arm', 'sifive_e-riscv32']) {
  describe(machine, () => {
    const owners = read(machine, 'mtree-o');
    test('an owners dump with its blocks in another order gives the same owners', () => {
      const reordered = reorderBlocks(owners);
      assert.notEqual(reordered, owners);
      const a = withOwners(machine, owners);
      const b = withOwners(machine, reordered);
      assert.deepEqual(b.problems, a.problems);
      assert.equal(formatMtree(b.system, { owner: true }), formatMtree(a.system, { owner: true }));
    });
    test('a line that differs is refused, naming both lines', () => {
      const lines = owners.split('\n');
      const i = lines.findIndex((l) => / \(prio \d+, i\/o\): /.test(l) && l.startsWith('    '));
      lines[i] = lines[i]!.replace(/\(prio (\d+),/, (_m, p) => `(prio ${Number(p) + 1},`);
      assert.throws(
        () => withOwners(machine, lines.join('\n')),
        (e: Error) =>
          e instanceof MtreeImportError && /does not match tree dump line \d+/.test(e.message),
      );
    });
  });
}

test('an owners dump of another machine is refused', () => {
  assert.throws(
    () => withOwners('virt-riscv64', read('sifive_e-riscv32', 'mtree-o')),
    (e: Error) =>
      e instanceof MtreeImportError && /not .*same machine|another machine/.test(e.message),
  );
});

test('boardmap import-mtree exits non-zero with the reason, and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'owners-'));
  try {
    const out = join(dir, 'out.board');
    const r = spawnSync(
      process.execPath,
      [
        join(__dirname, '..', '..', 'dist', 'cli.js'),
        'import-mtree',
        '--tree',
        join(QEMU_ORACLE, 'virt-riscv64.mtree-D.txt'),
        '--flat',
        join(QEMU_ORACLE, 'virt-riscv64.mtree-f.txt'),
        '--owners',
        join(QEMU_ORACLE, 'sifive_e-riscv32.mtree-o.txt'),
        '-o',
        out,
      ],
      { encoding: 'utf8' },
    );
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /another machine|same machine/);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
