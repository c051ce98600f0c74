/**
 * Exports: limits are known before the save dialog opens (nothing selected, over the cap, Intel
 * HEX past 4 GiB), the range is streamed to the sink in 64 KiB chunks in address order (so a
 * large export holds one chunk at a time), unreadable bytes are zeros in binary and counted, and
 * a cancelled export stops before its next read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_EXPORT_BYTES,
  MAX_IHEX_EXPORT_BYTES,
  exportProblem,
  exportRange,
  exportRangeToBytes,
} from '../../src/extension/hexEditor/model';
import { compressStatus, encodeBase64, type ReadMemoryExResponse } from '../../src/protocol';

/** A memory whose byte at `a` is `a & 0xff`, with the first byte of every 64 KiB unreadable. */
function fakeClient() {
  const reads: [bigint, number][] = [];
  return {
    reads,
    read(address: bigint, count: number): Promise<ReadMemoryExResponse> {
      reads.push([address, count]);
      const data = new Uint8Array(count);
      const status = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const a = address + BigInt(i);
        data[i] = Number(a & 0xffn);
        if ((a & 0xffffn) === 0n) status[i] = 1; // unmapped
      }
      return Promise.resolve({
        address: `0x${address.toString(16)}`,
        data: encodeBase64(data),
        status: compressStatus(status),
        regions: [],
      });
    },
  };
}

test('exportProblem names why a range cannot be exported, and only then', async () => {
  assert.equal(exportProblem(0x8000_0000n, 0x1000n, 'binary'), undefined);
  assert.equal(exportProblem(0x8000_0000n, 0x1000n, 'ihex'), undefined);
  assert.match(exportProblem(0n, 0n, 'binary')!, /nothing selected/);
  assert.match(exportProblem(0n, MAX_EXPORT_BYTES + 1n, 'binary')!, /at most .*\(1024 MiB\)/);
  assert.match(exportProblem(0n, MAX_IHEX_EXPORT_BYTES + 1n, 'ihex')!, /\(256 MiB\) as ihex/);
  assert.equal(exportProblem(0xffff_f000n, 0x1000n, 'ihex'), undefined); // ends exactly at 4 GiB
  assert.match(exportProblem(0xffff_f000n, 0x1001n, 'ihex')!, /4 GiB: export this range as binary/);
  assert.equal(exportProblem(0x1_0000_0000n, 0x10n, 'binary'), undefined);
  const unread = { read: () => Promise.reject(new Error('must not read')) };
  await assert.rejects(
    () => exportRangeToBytes(unread as never, 0x1_0000_0000n, 0x10n, 'ihex'),
    /4 GiB/,
  );
});

test('a binary export streams 64 KiB chunks in order, unreadable bytes as zeros', async () => {
  const client = fakeClient();
  const chunks: Uint8Array[] = [];
  const start = 0x8000_fff0n;
  const length = 0x2_0020n; // crosses three 64 KiB boundaries
  const out = await exportRange(client, start, length, 'binary', (c) => {
    chunks.push(c);
    return Promise.resolve();
  });
  assert.deepEqual(
    chunks.map((c) => c.length),
    [0x1_0000, 0x1_0000, 0x20],
  );
  // 0x80010000, 0x80020000 and 0x80030000 are unreadable: zeros, counted.
  assert.deepEqual(out, { bytes: 0x2_0020, unreadable: 3 });
  const all = Buffer.concat(chunks);
  const unreadable = new Set([0x10, 0x1_0010, 0x2_0010]);
  for (let i = 0; i < all.length; i++) {
    const expected = unreadable.has(i) ? 0 : Number((start + BigInt(i)) & 0xffn);
    if (all[i] !== expected) assert.fail(`byte ${i}: ${all[i]} not ${expected}`);
  }
});

test('Intel HEX leaves unreadable bytes out and ends with the EOF record', async () => {
  const whole = await exportRangeToBytes(fakeClient(), 0x1_fff0n, 0x20n, 'ihex');
  const text = new TextDecoder().decode(whole.content);
  assert.match(text, /^:020000040001F9$/m); // extended linear address 0x0001
  assert.match(text, /:00000001FF\n$/);
  assert.equal(whole.unreadable, 1);
  assert.doesNotMatch(text, /^:10000000/m, '0x20000 (unreadable) starts no full record');
});

test('a cancelled export stops before its next read', async () => {
  const client = fakeClient();
  let written = 0;
  let cancelled = false;
  await assert.rejects(
    exportRange(
      client,
      0n,
      0x10_0000n,
      'binary',
      (c) => {
        written += c.length;
        return Promise.resolve();
      },
      {
        get cancelled() {
          return cancelled;
        },
        report(done) {
          if (done >= 0x2_0000) cancelled = true;
        },
      },
    ),
    /cancelled after 131072 of 1048576 bytes/,
  );
  assert.equal(written, 0x2_0000);
  assert.equal(client.reads.length, 2);
});
