/**
 * setExpression ("Set Value" on a Watch expression) through the real adapter over stdio: data
 * symbols, dereferences with casts, registers and CSRs are assigned; the value is any expression;
 * MMIO writes run the device (a byte into the UART transmit register is printed); ROM, read-only
 * registers and non-places are refused with a message and change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { adapterPath, collectOutput, ensureBuilt, launch, startClient, waitFor } from './helpers';

async function repl(dc: DebugClient, expression: string): Promise<string> {
  return (await dc.evaluateRequest({ expression, context: 'repl' })).body.result;
}

function setExpression(dc: DebugClient, expression: string, value: string) {
  return dc.customRequest('setExpression', {
    expression,
    value,
  }) as Promise<DebugProtocol.SetExpressionResponse>;
}

async function bytesAt(dc: DebugClient, address: bigint, count: number): Promise<number[]> {
  const response = (await dc.customRequest('readMemory', {
    memoryReference: `memory@0x${address.toString(16)}`,
    count,
  })) as DebugProtocol.ReadMemoryResponse;
  return [...Buffer.from(response.body!.data!, 'base64')];
}

test('the adapter advertises setExpression', async () => {
  ensureBuilt();
  const dc = new DebugClient('node', adapterPath, 'boardmap', { stdio: ['pipe', 'pipe', 'pipe'] });
  await dc.start();
  try {
    const initialized = await dc.initializeRequest({ adapterID: 'boardmap', pathFormat: 'path' });
    assert.equal(initialized.body?.supportsSetExpression, true);
  } finally {
    await dc.stop();
  }
});

describe('setExpression (hello.elf on virt, stopped on entry)', () => {
  let dc: DebugClient;
  let stdout: { text: () => string };
  let counter: bigint;
  before(async () => {
    dc = await startClient();
    stdout = collectOutput(dc);
    await launch(dc);
    counter = BigInt((await repl(dc, '&hello_counter')).split(' ')[0]!);
  });
  after(() => dc.stop());

  test('a data symbol takes its size from the ELF and any expression as the value', async () => {
    const r = await setExpression(dc, 'hello_counter', '0x12345670 + 8');
    assert.equal(r.body.value, '0x12345678 (305419896)');
    assert.equal(r.body.type, 'u32');
    assert.equal(r.body.memoryReference, `memory@0x${counter.toString(16)}`);
    assert.deepEqual(await bytesAt(dc, counter, 4), [0x78, 0x56, 0x34, 0x12]);
  });

  test('a cast dereference writes exactly its width', async () => {
    await setExpression(dc, `*(u16*)(&hello_counter + 2)`, '0xbeef');
    assert.deepEqual(await bytesAt(dc, counter, 4), [0x78, 0x56, 0xef, 0xbe]);
    await setExpression(dc, `*(u8*)&hello_counter`, '-1');
    assert.deepEqual(await bytesAt(dc, counter, 4), [0xff, 0x56, 0xef, 0xbe]);
    assert.equal(await repl(dc, 'hello_counter'), '0xbeef56ff (3203356415)');
  });

  test('registers and CSRs; x0 is read-only', async () => {
    assert.equal((await setExpression(dc, 'a0', '41 + 1')).body.value, '0x2a (42)');
    assert.equal(await repl(dc, '$a0'), '0x2a (42)');
    await setExpression(dc, 'mscratch', '0xcafe');
    assert.equal(await repl(dc, 'mscratch'), '0xcafe (51966)');
    await assert.rejects(() => setExpression(dc, 'zero', '1'), /read-only/);
  });

  test('an MMIO store runs the device: a byte into the UART transmit register is printed', async () => {
    await setExpression(dc, '*(u8*)0x10000000', '0x41');
    await waitFor(() => stdout.text().includes('A'));
  });

  test('ROM, holes and values that are not places are refused; nothing changes', async () => {
    const rom = await bytesAt(dc, 0x1000n, 4);
    await assert.rejects(() => setExpression(dc, '*(u32*)0x1000', '0'), /nothing written/);
    assert.deepEqual(await bytesAt(dc, 0x1000n, 4), rom);
    await assert.rejects(() => setExpression(dc, '*(u32*)0x4', '0'), /nothing written/);
    await assert.rejects(() => setExpression(dc, 'hello_counter + 1', '0'), /cannot be assigned/);
    await assert.rejects(() => setExpression(dc, '&hello_counter', '0'), /cannot be assigned/);
    await assert.rejects(
      () => setExpression(dc, 'hello_counter', 'no_such'),
      /no register or symbol/,
    );
    assert.equal(await repl(dc, 'hello_counter'), '0xbeef56ff (3203356415)');
  });
});
