/** Host-side memory access (MemoryClient over DAP requests), export, and the region list. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemoryClient,
  regionList,
  regionsFromFlatView,
  type DapRequest,
  exportRangeToBytes,
  hexEditorHtml,
  makeNonce,
  interpretAdapterMessage,
} from '../../src/extension/hexEditor/model';
import { parseIntelHex } from '../support/intelHex';
import {
  decodeBase64,
  encodeBase64,
  resolveMemoryReference,
  type TopologySnapshot,
} from '../../src/protocol';
import { FakeMemory, MMIO_BASE, RAM_BASE } from './hexFixtures/fakeMemory';

/** A DAP adapter stand-in over FakeMemory; `withReadEx: false` behaves like an adapter without it. */
function fakeAdapter(memory: FakeMemory, withReadEx = true) {
  const calls: string[] = [];
  const request: DapRequest = async (command, raw) => {
    calls.push(command);
    if (command === 'evaluate') {
      const e = raw as unknown as { expression: string };
      if (e.expression === 'main')
        return { result: '0x80000000', memoryReference: 'memory@0x80000000' };
      if (e.expression === 'count') return { result: '(int) 42' };
      if (e.expression === 'other') return { result: '1', memoryReference: 'io@0x10' };
      return { result: 'struct {...}' };
    }
    const args = raw as { memoryReference: string; offset?: number; count: number; data?: string };
    const loc = resolveMemoryReference(args.memoryReference, args.offset);
    if (!loc.ok) throw new Error(loc.error);
    const address = loc.value.address;
    switch (command) {
      case 'boardmap/readMemoryEx':
        if (!withReadEx) throw new Error('unrecognized request');
        return memory.readEx(address, args.count);
      case 'boardmap/readWithSideEffects':
        return memory.readEx(address, args.count, true);
      case 'readMemory': {
        const r = memory.readEx(address, args.count);
        const bytes = decodeBase64(r.data);
        const first = r.status.find((s) => s.status !== 'ok');
        const n = first ? first.offset : args.count;
        return {
          address: r.address,
          data: encodeBase64(bytes.subarray(0, n)),
          unreadableBytes: args.count - n,
        };
      }
      case 'writeMemory': {
        const r = memory.write(address, decodeBase64(args.data!));
        return { bytesWritten: r.bytesWritten };
      }
      case 'boardmap/registerInfo':
        throw new Error('unrecognized request');
    }
    throw new Error(`unrecognized request ${command}`);
  };
  return { request, calls };
}

const topology: TopologySnapshot = {
  version: 1,
  source: { kind: 'machine', label: 'test' },
  detachedRootIds: [],
  regions: [],
  addressSpaces: [
    {
      id: 'memory',
      name: 'memory',
      rootId: 'system',
      flatView: [
        {
          start: '0x1000',
          end: '0x2fff',
          regionId: 'system/mrom',
          regionName: 'mrom',
          offsetInRegion: '0x0',
          mtreeType: 'rom',
          readonly: true,
        },
        {
          start: '0x10000000',
          end: '0x100000ff',
          regionId: 'system/uart0',
          regionName: 'uart0',
          offsetInRegion: '0x0',
          mtreeType: 'i/o',
          readonly: false,
        },
        {
          start: '0x80000000',
          end: '0x8000ffff',
          regionId: 'system/dram',
          regionName: 'dram',
          offsetInRegion: '0x0',
          mtreeType: 'ram',
          readonly: false,
        },
        {
          start: '0x80010000',
          end: '0x8001ffff',
          regionId: 'system/dram',
          regionName: 'dram',
          offsetInRegion: '0x10000',
          mtreeType: 'ram',
          readonly: false,
        },
      ],
    },
  ],
};

describe('MemoryClient', () => {
  test('reads pages with per-byte status through readMemoryEx', async () => {
    const { request, calls } = fakeAdapter(new FakeMemory());
    const client = new MemoryClient(request, 'memory');
    const page = await client.read(MMIO_BASE, 4096);
    assert.equal(page.address, '0x10000000');
    assert.deepEqual(page.status.slice(0, 2), [
      { offset: 0, length: 1, status: 'unpeekable' },
      { offset: 1, length: 0x7f, status: 'ok' },
    ]);
    assert.equal(page.regions[0]?.name, 'uart0');
    assert.deepEqual(calls, ['boardmap/readMemoryEx']);
  });

  test('falls back to readMemory once, marking unreadable bytes and using the flat view', async () => {
    const { request, calls } = fakeAdapter(new FakeMemory(), false);
    const client = new MemoryClient(request, 'memory', () => topology);
    const page = await client.read(RAM_BASE + 0xf000n, 4096);
    assert.equal(page.degraded, true);
    assert.equal(decodeBase64(page.data).length, 4096);
    assert.deepEqual(
      page.regions.map((r) => [r.name, r.start, r.last]),
      [['dram', '0x8000f000', '0x8000ffff']],
    );
    const hole = await client.read(0x2000_0000n, 4096);
    assert.deepEqual(hole.status, [{ offset: 0, length: 4096, status: 'unmapped' }]);
    assert.deepEqual(calls, ['boardmap/readMemoryEx', 'readMemory', 'readMemory']);
    // readMemory stops at the UART's first unpeekable byte: the rest of that region is reported
    // unpeekable and the read resumes after it, in the hole.
    const mmio = await client.read(MMIO_BASE, 4096);
    assert.deepEqual(mmio.status, [
      { offset: 0, length: 0x100, status: 'unpeekable' },
      { offset: 0x100, length: 4096 - 0x100, status: 'unmapped' },
    ]);
    // Without a topology nothing past the first unreadable byte is claimed.
    const blind = new MemoryClient(request, 'memory');
    const ramPage = await blind.read(RAM_BASE + 0xf000n, 4096);
    assert.deepEqual(ramPage.status, [{ offset: 0, length: 4096, status: 'ok' }]);
    const edge = await blind.read(MMIO_BASE, 4096);
    assert.deepEqual(edge.status, [{ offset: 0, length: 4096, status: 'unmapped' }]);
  });

  test('writes report partial results; register info degrades to none', async () => {
    const memory = new FakeMemory();
    const client = new MemoryClient(fakeAdapter(memory).request, 'memory');
    assert.deepEqual(await client.write(RAM_BASE, Uint8Array.of(1, 2)), { bytesWritten: 2 });
    memory.failWritesAt = RAM_BASE + 1n;
    assert.deepEqual(await client.write(RAM_BASE, Uint8Array.of(3, 4)), {
      bytesWritten: 1,
      error: 'the adapter wrote 1 of 2 bytes',
    });
    assert.deepEqual(await client.registerInfo(MMIO_BASE, 16), { registers: [] });
  });

  test('expressions resolve through memoryReference or a numeric result', async () => {
    const client = new MemoryClient(fakeAdapter(new FakeMemory()).request, 'memory');
    assert.equal(await client.resolveExpression('main'), 0x80000000n);
    assert.equal(await client.resolveExpression('count'), 42n);
    await assert.rejects(client.resolveExpression('other'), /address space io, not memory/);
    await assert.rejects(
      client.resolveExpression('s'),
      /is not an address \(it evaluates to struct/,
    );
  });
});

describe('export and regions', () => {
  test('binary export zero-fills unreadable bytes; Intel HEX leaves them out', async () => {
    const client = new MemoryClient(fakeAdapter(new FakeMemory()).request, 'memory');
    const bin = await exportRangeToBytes(client, MMIO_BASE, 8n, 'binary');
    assert.deepEqual([...bin.content], [0, 0, 0, 0, 0, 0x61, 0, 0]);
    assert.equal(bin.unreadable, 1);
    const hex = await exportRangeToBytes(client, RAM_BASE + 0x100n, 0x20000n, 'ihex');
    const parsed = parseIntelHex(new TextDecoder().decode(hex.content));
    assert.equal(parsed.get(0x80000100), 0x48);
    assert.equal(parsed.size, 0x10000 - 0x100, 'bytes past the end of RAM are holes, left out');
    assert.equal(hex.unreadable, 0x20000 - (0x10000 - 0x100));
    await assert.rejects(exportRangeToBytes(client, 0n, 1n << 40n, 'binary'), /at most/);
    await assert.rejects(
      exportRangeToBytes(client, 1n << 40n, 16n, 'ihex'),
      /Intel HEX addresses stop at 4 GiB: export this range as binary/,
    );
  });

  test('region list merges flat ranges per region; spans clip to the read', () => {
    assert.deepEqual(
      regionList(topology, 'memory').map((r) => [r.name, r.kind, r.start, r.size]),
      [
        ['mrom', 'rom', '0x1000', '0x2000'],
        ['uart0', 'io', '0x10000000', '0x100'],
        ['dram', 'ram', '0x80000000', '0x20000'],
      ],
    );
    assert.deepEqual(regionList(topology, 'nope'), []);
    const spans = regionsFromFlatView(topology.addressSpaces[0]!, 0x1f00n, 0x200);
    assert.deepEqual(spans, [
      {
        start: '0x1f00',
        offsetInRegion: '0xf00',
        last: '0x20ff',
        name: 'mrom',
        id: 'system/mrom',
        kind: 'rom',
        readonly: true,
      },
    ]);
  });

  test('the page has a strict CSP with a nonce on every script and stylesheet', () => {
    const nonce = makeNonce((n) => Uint8Array.from({ length: n }, (_, i) => i * 7));
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    const html = hexEditorHtml({
      cspSource: 'vscode-resource:',
      nonce,
      scriptUri: 's.js',
      styleUri: 's.css',
      codiconUri: 'c.css',
    });
    assert.match(html, /default-src 'none'/);
    assert.match(html, new RegExp(`script-src 'nonce-${nonce}'`));
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.equal(
      html.match(/<script /g)?.length,
      (html.match(new RegExp(`<script nonce="${nonce}"`, 'g')) ?? []).length,
    );
  });

  test('adapter messages: run/stop/end, memory events as absolute ranges, invalidation', () => {
    const ev = (event: string, body: Record<string, unknown> = {}) =>
      interpretAdapterMessage({ type: 'event', event, body });
    assert.deepEqual(ev('stopped', { reason: 'breakpoint' }), {
      kind: 'state',
      state: 'stopped',
      reason: 'breakpoint',
    });
    assert.deepEqual(ev('continued'), { kind: 'state', state: 'running' });
    assert.deepEqual(ev('terminated'), { kind: 'state', state: 'none', reason: 'terminated' });
    assert.deepEqual(
      interpretAdapterMessage({ type: 'response', command: 'next', success: true }),
      { kind: 'state', state: 'running' },
    );
    assert.equal(
      interpretAdapterMessage({ type: 'response', command: 'next', success: false }),
      undefined,
    );
    assert.deepEqual(ev('memory', { memoryReference: 'memory@0x80000000', offset: 16, count: 4 }), {
      kind: 'memory',
      space: 'memory',
      start: 0x80000010n,
      end: 0x80000014n,
    });
    for (const bad of [
      { memoryReference: 'garbage', offset: 0, count: 4 },
      { memoryReference: 'memory@0x0', offset: -1, count: 4 },
      { memoryReference: 'memory@0x0', offset: 0, count: Infinity },
    ]) {
      assert.deepEqual(ev('memory', bad), { kind: 'memoryAll' }, JSON.stringify(bad));
    }
    assert.deepEqual(ev('invalidated', { areas: ['variables'] }), undefined);
    assert.deepEqual(ev('invalidated', { areas: ['all'] }), { kind: 'memoryAll' });
    assert.deepEqual(ev('boardmap/topologyChanged', { version: 7 }), {
      kind: 'topology',
      version: 7,
    });
    assert.equal(ev('output', { output: 'x' }), undefined);
  });
});
