// test-needs: riscv-toolchain
/**
 * DAP `breakpointLocations` over stdio: the lines of hello.c that have statements (checked
 * against binutils' decoded line table of hello.elf), none for blank or comment lines, none for a
 * file or a machine without debug info, error responses for bad arguments.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterPath, firmware, helloC, helloElf, launch, startClient } from './helpers';

async function locations(
  dc: DebugClient,
  args: Omit<DebugProtocol.BreakpointLocationsArguments, 'source'> & { path?: string },
): Promise<number[]> {
  const { path = helloC, ...range } = args;
  const response = await dc.customRequest('breakpointLocations', { source: { path }, ...range });
  const body = response.body as NonNullable<DebugProtocol.BreakpointLocationsResponse['body']>;
  return body.breakpoints.map((b) => b.line);
}

/** Lines of hello.c with an is_stmt row, as `objdump --dwarf=decodedline` prints them ("x"). */
function objdumpStatementLines(): Set<number> | undefined {
  let text: string;
  try {
    text = execFileSync('riscv64-unknown-elf-objdump', ['--dwarf=decodedline', helloElf], {
      encoding: 'utf8',
    });
  } catch {
    return undefined; // binutils not installed: the fixed expectations below still apply
  }
  const lines = new Set<number>();
  for (const row of text.split('\n')) {
    // File name, line number, address, [view], stmt flag "x".
    const m = /^hello\.c\s+(\d+)\s+0x[0-9a-f]+(?:\s+\d+)?(?:\s+(x))?\s*$/.exec(row.trim());
    if (m && m[2] === 'x') lines.add(Number(m[1]));
  }
  return lines;
}

describe('debug adapter: breakpointLocations', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
  });
  after(async () => {
    await dc.stop();
  });

  test('the capability is announced', async () => {
    const other = new DebugClient('node', adapterPath, 'boardmap', {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await other.start();
    try {
      const init = await other.initializeRequest({ adapterID: 'boardmap', pathFormat: 'path' });
      assert.equal(init.body?.supportsBreakpointLocationsRequest, true);
    } finally {
      await other.stop();
    }
  });

  test('lines of main with code are candidates; blank and comment lines are not', async () => {
    await launch(dc);
    const inMain = await locations(dc, { line: 40, endLine: 50 });
    for (const line of [40, 41, 42, 43, 44, 45, 46, 48, 49])
      assert.ok(inMain.includes(line), `line ${line} has code (got ${inMain.join(',')})`);
    assert.ok(inMain.every((l) => l >= 40 && l <= 50));
    assert.deepEqual(
      inMain,
      [...new Set(inMain)].sort((a, b) => a - b),
      'sorted, each once',
    );

    const expected = objdumpStatementLines();
    if (expected) {
      assert.ok(expected.size > 20, 'objdump rows were parsed');
      const want = [...expected].filter((l) => l >= 40 && l <= 50).sort((a, b) => a - b);
      assert.deepEqual(inMain, want, 'the same statement lines as objdump');
      assert.deepEqual(
        await locations(dc, { line: 1, endLine: 60 }),
        [...expected].filter((l) => l <= 60).sort((a, b) => a - b),
      );
    }
    assert.deepEqual(await locations(dc, { line: 1, endLine: 17 }), [], 'header comment, globals');
    assert.deepEqual(await locations(dc, { line: 39 }), [], 'line 39 is blank');
    assert.deepEqual(await locations(dc, { line: 44 }), [44], 'endLine defaults to line');
  });

  test('a file without rows in the line table, or a machine without a program, gives none', async () => {
    assert.deepEqual(
      await locations(dc, { path: join(firmware, 'src', 'remap.c'), line: 1, endLine: 500 }),
      [],
    );
    assert.deepEqual(await locations(dc, { path: '/nowhere/hello.h', line: 1, endLine: 500 }), []);
  });

  test('bad arguments get an error response naming the argument', async () => {
    const bad = (args: unknown) => dc.customRequest('breakpointLocations', args);
    await assert.rejects(bad({ line: 40 }), /breakpointLocations: source: required/);
    await assert.rejects(bad({ source: {}, line: 40 }), /source\.path must be a string/);
    await assert.rejects(bad({ source: { path: helloC } }), /breakpointLocations: line: required/);
    await assert.rejects(bad({ source: { path: helloC }, line: 0 }), /line must be an integer/);
    await assert.rejects(
      bad({ source: { path: helloC }, line: 2.5 }),
      /breakpointLocations: line: expected an integer from 0 to \d+, got 2\.5/,
    );
    await assert.rejects(
      bad({ source: { path: helloC }, line: 45, endLine: 40 }),
      /endLine 40 is before line 45/,
    );
    await assert.rejects(
      bad({ source: { path: helloC }, line: 45, column: 'x' }),
      /breakpointLocations: column: expected an integer from 0 to \d+, got "x"/,
    );
    // The session still answers afterwards.
    assert.deepEqual(await locations(dc, { line: 44 }), [44]);
  });
});

describe('debug adapter: breakpointLocations without debug info', () => {
  let dc: DebugClient;
  before(async () => {
    dc = await startClient();
  });
  after(async () => {
    await dc.stop();
  });

  test('a board launched without a program lists no locations', async () => {
    await launch(dc, { board: 'examples/remap.board', program: undefined, stopOnEntry: false });
    assert.deepEqual(await locations(dc, { line: 1, endLine: 100 }), []);
  });

  test('before launch the request is refused, not crashed', async () => {
    const fresh = await startClient();
    try {
      await assert.rejects(
        fresh.customRequest('breakpointLocations', { source: { path: helloC }, line: 40 }),
        /launch first/,
      );
    } finally {
      await fresh.stop();
    }
  });
});
