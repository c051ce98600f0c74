// QEMU 7.2's own output as the oracle: read each machine's `info mtree -D` + `-f` (+ `-o`)
// dumps, rebuild the topology, render it, print every mode and compare with QEMU's text block
// by block. Blocks are compared as multisets (QEMU orders them by hash); the order inside a
// block must match exactly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatMtree, importMtreeDump } from '../../src/engine/mtree';

import { QEMU_ORACLE as ORACLE } from '../oracle';
const MACHINES: Array<[string, number]> = [
  ['pc-x86_64', 4096],
  ['lm3s6965evb-arm', 1024],
  ['virt-riscv64', 4096],
  ['sifive_e-riscv32', 4096],
];

function read(machine: string, suffix: string): string {
  return readFileSync(join(ORACLE, `${machine}.${suffix}.txt`), 'utf8');
}

/** Splits mtree text into blank-line separated blocks, sorted (a multiset). */
function blocks(text: string): string[] {
  return text
    .split('\n\n')
    .filter((b) => b.trim() !== '')
    .map((b) => b.replace(/^\n+/, '').replace(/^FlatView #\d+\n/, 'FlatView #N\n'))
    .sort();
}

for (const [machine, pageSize] of MACHINES) {
  describe(`oracle ${machine}`, () => {
    const topo = importMtreeDump(
      {
        tree: read(machine, 'mtree-D'),
        flat: read(machine, 'mtree-f'),
        ownerTree: read(machine, 'mtree-o'),
      },
      { targetPageSize: pageSize },
    );
    test('the rebuilt topology renders the flat dump (self-check)', () => {
      assert.deepEqual(topo.problems, []);
    });
    const modes: Array<[string, Parameters<typeof formatMtree>[1]]> = [
      ['mtree', {}],
      ['mtree-D', { disabled: true }],
      ['mtree-o', { owner: true }],
      ['mtree-f', { flat: true }],
      ['mtree-f-o', { flat: true, owner: true }],
      ['mtree-f-d', { flat: true, dispatch: true }],
    ];
    for (const [suffix, opts] of modes) {
      test(`info ${suffix.replace(/-/g, ' -').replace('mtree', 'mtree')} equals QEMU block by block`, () => {
        const ours = formatMtree(topo.system, opts);
        // [MRU] marks QEMU's last-lookup cache (runtime state), never printed by us.
        const theirs = read(machine, suffix).replace(/ \[MRU\]/g, '');
        assert.deepEqual(blocks(ours), blocks(theirs));
        assert.ok(ours.endsWith('\n\n') && theirs.endsWith('\n\n'));
      });
    }
  });
}
