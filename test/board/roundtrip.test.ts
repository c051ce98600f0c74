/**
 * Round trip through the language: each QEMU 7.2 oracle machine → import (engine dump reader) →
 * .board text → parse, check, build → `info mtree`, `-f`, `-D`, `-o`, `-f -o` equal QEMU's dumps
 * block by block (blocks as sets; order inside a block exact; FlatView numbers are run counters).
 * Also: the committed examples/<machine>.board files are what import-mtree produces today.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatMtree, importMtreeDump } from '../../src/engine/mtree';
import { analyze, Severity } from '../../src/board';
import { topologyToBoard } from '../../src/board/import';
import { EXAMPLES, ORACLE } from './helpers';

const MACHINES: Array<[string, number]> = [
  ['pc-x86_64', 4096],
  ['lm3s6965evb-arm', 1024],
  ['virt-riscv64', 4096],
  ['sifive_e-riscv32', 4096],
];

function blocks(text: string): string[] {
  return text
    .split(/\n\n+/)
    .map((b) => b.replace(/^FlatView #\d+/, 'FlatView #N').trim())
    .filter((b) => b !== '')
    .sort();
}

const read = (name: string) => readFileSync(join(ORACLE, name), 'utf8');

describe('oracle round trip through .board', () => {
  for (const [machine, pageSize] of MACHINES) {
    test(machine, () => {
      const imported = importMtreeDump(
        {
          tree: read(`${machine}.mtree-D.txt`),
          flat: read(`${machine}.mtree-f.txt`),
          ownerTree: read(`${machine}.mtree-o.txt`),
        },
        { targetPageSize: pageSize },
      );
      const text = topologyToBoard(imported.spaces, {
        boardName: machine,
        header: `Imported from QEMU 'info mtree' dumps: ${machine}.mtree-D.txt, ${machine}.mtree-f.txt, ${machine}.mtree-o.txt`,
        owners: true,
      });
      assert.equal(
        text,
        readFileSync(join(EXAMPLES, `${machine}.board`), 'utf8'),
        'examples file is stale',
      );
      const a = analyze(`${machine}.board`, text);
      assert.deepEqual(
        a.diagnostics.filter((d) => d.severity === Severity.Error),
        [],
      );
      const system = a.built!.system;
      for (const [suffix, options] of [
        ['mtree', {}],
        ['mtree-f', { flat: true }],
        ['mtree-D', { disabled: true }],
        ['mtree-o', { owner: true }],
        ['mtree-f-o', { flat: true, owner: true }],
      ] as const) {
        assert.deepEqual(
          blocks(formatMtree(system, options)),
          blocks(read(`${machine}.${suffix}.txt`)),
          suffix,
        );
      }
    });
  }
});
