/**
 * Debug Console links into the hex editor, through the real adapter over stdio: with the
 * `__hexEditorLink` launch argument the extension adds, the launch banner, `hex`, `hex REGION`,
 * `hex SYMBOL` and fault stops print links whose target is exactly the memory named; without it
 * (a plain DAP client) `hex` says why it cannot, and nothing unopenable is printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { parseHexLinkQuery, type HexLinkTarget } from '../../src/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, runTo, startClient, waitFor } from './helpers';

const BASE = 'code-oss://boardmap.boardmap/hex';
/** VS Code's Debug Console link pattern (linkDetector.ts, WEB_LINK_REGEX), as of VS Code 1.100. */
const CONSOLE_LINK =
  /(?:[a-zA-Z][a-zA-Z0-9+.-]{2,}:\/\/|data:|www\.)[^\s\u0000-\u0020\u007f-\u009f"]{2,}[^\s\u0000-\u0020\u007f-\u009f"')}\],:;.!?]/gu;

/** The links VS Code would make of `text`, each decoded as VS Code hands it to the extension. */
function linksIn(text: string): HexLinkTarget[] {
  return [...text.matchAll(CONSOLE_LINK)].map(([link]) => {
    assert.ok(link.startsWith(`${BASE}?`), `not a hex editor link: ${link}`);
    const parsed = parseHexLinkQuery(decodeURIComponent(link.slice(BASE.length + 1)));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    return parsed.value;
  });
}

/** Everything the adapter prints to the Debug Console (category `console`). */
function consoleOutput(dc: DebugClient): { text: () => string } {
  let text = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'console') text += e.body.output;
  });
  return { text: () => text };
}

async function repl(dc: DebugClient, expression: string): Promise<string> {
  return (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;
}

describe('hex editor links in the Debug Console (hello.elf on virt)', () => {
  let dc: DebugClient;
  let output: { text: () => string };
  before(async () => {
    dc = await startClient();
    output = consoleOutput(dc);
    await launch(dc, { extra: { __hexEditorLink: BASE } });
  });
  after(() => dc.stop());

  test('the launch banner links to RAM', async () => {
    await waitFor(() => output.text().includes('Hex editor on'));
    const line = output
      .text()
      .split('\n')
      .find((l) => l.startsWith('Hex editor on'))!;
    assert.match(line, /riscv_virt_board\.ram at 0x80000000/);
    assert.deepEqual(linksIn(line), [{ space: 'memory', address: 0x8000_0000n }]);
  });

  test('hex lists RAM and ROM, one link per visible range, none for MMIO', async () => {
    const text = await repl(dc, 'hex');
    const lines = text.split('\n');
    assert.ok(lines.length >= 2, text);
    for (const line of lines) {
      const [range] = line.split(/\s+/);
      const [start, end] = range!.split('-').map((h) => BigInt(h));
      assert.deepEqual(linksIn(line), [
        { space: 'memory', address: start, length: end! - start! + 1n },
      ]);
      assert.doesNotMatch(line, /\(MMIO\)/);
    }
    assert.match(text, /riscv_virt_board\.mrom \(ROM\)/);
    assert.match(text, /0x80000000-0x87ffffff {2}riscv_virt_board\.ram \(RAM\)/);
  });

  test('hex REGION links to where the region is visible, with its size selected', async () => {
    const text = await repl(dc, 'hex riscv_virt_board.ram');
    assert.deepEqual(linksIn(text), [
      { space: 'memory', address: 0x8000_0000n, length: 0x800_0000n },
    ]);
    const uart = await repl(dc, 'hex serial');
    assert.match(uart, /\(MMIO\)/);
    assert.deepEqual(linksIn(uart), [{ space: 'memory', address: 0x1000_0000n, length: 8n }]);
  });

  test('hex SYMBOL selects the object, hex EXPR links to the address', async () => {
    const address = BigInt((await repl(dc, '&hello_counter')).split(' ')[0]!);
    assert.deepEqual(linksIn(await repl(dc, 'hex hello_counter')), [
      { space: 'memory', address, length: 4n },
    ]);
    const plain = await repl(dc, 'hex 0x80000010 + 4');
    assert.match(plain, /^0x80000014 \(in riscv_virt_board\.ram\)/);
    assert.deepEqual(linksIn(plain), [{ space: 'memory', address: 0x8000_0014n }]);
    assert.match(await repl(dc, 'hex 0x4'), /nothing is mapped there/);
  });

  test('hex with nonsense says what is wrong', async () => {
    await assert.rejects(() => repl(dc, 'hex no_such_thing'), /neither a region nor an address/);
  });

  test('a load access fault stop links to the faulting address', async () => {
    await dc.setExceptionBreakpointsRequest({ filters: ['unassigned'] });
    // lw a0, 0(a1) at 0x80002000 with a1 = 0x4 (unmapped), mtvec in RAM.
    await dc.customRequest('writeMemory', {
      memoryReference: 'memory@0x80002000',
      data: Buffer.from([0x03, 0xa5, 0x05, 0x00]).toString('base64'),
    });
    const { scopes } = (await dc.scopesRequest({ frameId: 1 })).body;
    for (const [scope, name, value] of [
      ['Registers', 'pc', '0x80002000'],
      ['Registers', 'a1', '0x4'],
      ['CSRs', 'mtvec', '0x80003000'],
    ] as const) {
      await dc.setVariableRequest({
        variablesReference: scopes.find((s) => s.name === scope)!.variablesReference,
        name,
        value,
      });
    }
    const stop = await runTo(dc, dc.continueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'exception');
    await waitFor(() => /Exception: load access fault/.test(output.text())).catch(() => {
      throw new Error(
        `no fault line; stop ${JSON.stringify(stop.body)}; console:\n${output.text()}`,
      );
    });
    const line = output
      .text()
      .split('\n')
      .find((l) => l.startsWith('Exception: load access fault'))!;
    assert.deepEqual(linksIn(line), [{ space: 'memory', address: 4n, length: 1n }]);
  });
});

describe('hex editor links without VS Code', () => {
  test('hex explains that links need the extension; no link is printed', async () => {
    const dc = await startClient();
    const output = consoleOutput(dc);
    try {
      await launch(dc);
      await assert.rejects(() => repl(dc, 'hex'), /need VS Code with the Boardmap extension/);
      assert.doesNotMatch(output.text(), /:\/\//);
    } finally {
      await dc.stop();
    }
  });

  test('a malformed link base is ignored, not printed', async () => {
    const dc = await startClient();
    try {
      await launch(dc, { extra: { __hexEditorLink: 'javascript:alert(1)//x/hex' } });
      await assert.rejects(() => repl(dc, 'hex'), /need VS Code/);
    } finally {
      await dc.stop();
    }
  });
});
