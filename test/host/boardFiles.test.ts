// The Node board host (src/host): the include rules the CLI, the adapter and the extension host
// share — relative and absolute includes, regular files only (a FIFO must not block), a size cap —
// the same through the synchronous and the asynchronous read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileBoard,
  compileBoardAsync,
  MAX_BOARD_FILE_BYTES,
  type BoardDiagnostic,
} from '../../src/board';
import { nodeBoardHost, readBoardFile, readBoardFileSync } from '../../src/host';

const dir = mkdtempSync(join(tmpdir(), 'boardmap-host-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'soc'));
writeFileSync(join(dir, 'soc', 'ram.board'), 'ram sram size 64K\n');
writeFileSync(join(dir, 'abs.board'), 'rom boot size 4K\n');
writeFileSync(join(dir, 'big.board'), Buffer.alloc(MAX_BOARD_FILE_BYTES + 1, 0x20));
writeFileSync(join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\nsecret-line\n');
execFileSync('mkfifo', [join(dir, 'fifo.board')]);
symlinkSync(join(dir, 'soc', 'ram.board'), join(dir, 'link.board'));

const asyncHost = { readFile: readBoardFile, resolveInclude: nodeBoardHost.resolveInclude };

function messages(ds: readonly BoardDiagnostic[]): string[] {
  return ds.map((d) => `${d.code} ${d.message}`);
}

test('relative includes resolve against the including file, absolute ones stay as written', async () => {
  const text = `include "soc/ram.board"\ninclude "${join(dir, 'abs.board')}"\ncontainer system size 4G {\n  alias a @ 0 -> sram\n  alias b @ 0x10000 -> boot\n}\nspace memory = system\n`;
  const uri = join(dir, 'main.board');
  const sync = compileBoard(uri, text, nodeBoardHost);
  assert.deepEqual(messages(sync.diagnostics), []);
  assert.ok(sync.built);
  assert.deepEqual([...sync.program.files.keys()].sort(), [
    join(dir, 'abs.board'),
    uri,
    join(dir, 'soc', 'ram.board'),
  ]);
  const asynchronous = await compileBoardAsync(uri, text, asyncHost);
  assert.deepEqual(messages(asynchronous.diagnostics), []);
  assert.deepEqual([...asynchronous.program.files.keys()], [...sync.program.files.keys()]);
});

test('a FIFO, a directory and a file over the size cap are refused with a located reason', async () => {
  const lines = [
    'include "fifo.board"',
    'include "soc"',
    'include "big.board"',
    'include "nope.board"',
  ];
  const text = lines.join('\n') + '\n';
  const uri = join(dir, 'main.board');
  const expected = [
    "BM402 Cannot read included file 'fifo.board': it is not a regular file",
    "BM402 Cannot read included file 'soc': it is a directory",
    "BM402 Cannot read included file 'big.board': it is larger than 4 MiB",
    "BM402 Cannot read included file 'nope.board'",
  ];
  // finishing at all proves the FIFO did not block (nobody ever writes to it)
  const sync = compileBoard(uri, text, nodeBoardHost);
  assert.deepEqual(messages(sync.diagnostics), expected);
  assert.deepEqual(
    sync.diagnostics.map((d) => d.offset),
    lines.map((_, i) => lines.slice(0, i).join('\n').length + (i ? 1 : 0) + 'include '.length),
  );
  const asynchronous = await compileBoardAsync(uri, text, asyncHost);
  assert.deepEqual(messages(asynchronous.diagnostics), expected);
  assert.equal(readBoardFileSync('/dev/zero') && typeof readBoardFileSync('/dev/zero'), 'object');
  assert.deepEqual(await readBoardFile('/dev/zero'), { error: 'it is not a regular file' });
});

test('a symlink to a regular file is read; a file that is not a board is not echoed', async () => {
  const text = 'include "link.board"\ninclude "passwd"\n';
  const uri = join(dir, 'main.board');
  for (const c of [
    compileBoard(uri, text, nodeBoardHost),
    await compileBoardAsync(uri, text, asyncHost),
  ]) {
    assert.deepEqual(messages(c.diagnostics), [
      "BM402 Included file 'passwd' is not a board file (it does not start with a declaration)",
    ]);
    assert.equal(c.diagnostics[0]!.uri, uri);
    assert.ok(c.model.regions.has('sram'));
    assert.ok(!c.program.files.has(join(dir, 'passwd')), 'its text is not kept in the program');
  }
});
