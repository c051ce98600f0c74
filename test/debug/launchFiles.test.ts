// Launch reads the board file and its includes through the Node host (src/host): a board path
// or an include naming a FIFO, a device or a directory is refused at once with a message that
// says so (it used to block the launch forever), and a board with includes launches.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch as launchWith, startClient } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'boardmap-launch-'));
after(() => rmSync(dir, { recursive: true, force: true }));
execFileSync('mkfifo', [join(dir, 'fifo.board')]);
writeFileSync(join(dir, 'soc.board'), 'rom boot size 4K\n');
writeFileSync(
  join(dir, 'main.board'),
  'include "soc.board"\ncontainer system size 2^32 {\n  alias b @ 0x1000 -> boot\n  ram ram @ 0x8000_0000 size 64K\n}\nspace memory = system\ncpu hart0 : rv32imac { space = memory }\n',
);
writeFileSync(join(dir, 'bad.board'), 'include "fifo.board"\ninclude "/dev/zero"\n');

const launch = (board: string) =>
  ({ board, cwd: dir, stopOnEntry: true }) as DebugProtocol.LaunchRequestArguments;

test('a FIFO, a device or a directory as the board is refused, not waited on', async () => {
  const dc = await startClient();
  try {
    await assert.rejects(dc.launchRequest(launch('fifo.board')), /fifo\.board.*not a regular file/);
    await assert.rejects(dc.launchRequest(launch('/dev/zero')), /not a regular file/);
    await assert.rejects(dc.launchRequest(launch(dir)), /is a directory/);
  } finally {
    await dc.stop();
  }
});

test('includes of a FIFO and a device are located errors; a board with includes launches', async () => {
  const dc = await startClient();
  try {
    await assert.rejects(
      dc.launchRequest(launch('bad.board')),
      /Cannot read included file 'fifo\.board': it is not a regular file/,
    );
  } finally {
    await dc.stop();
  }
  const ok = await startClient();
  try {
    const stopped = await launchWith(ok, {
      board: join(dir, 'main.board'),
      program: undefined,
      extra: { cwd: dir },
    });
    assert.equal(stopped.body.reason, 'entry');
  } finally {
    await ok.stop();
  }
});
