/** The memory-reference contract and the byte helpers of src/protocol/memory.ts. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import {
  compressStatus,
  decodeBase64,
  encodeBase64,
  expandStatus,
  formatMemoryReference,
  parseMemoryReference,
  parseRangeArguments,
  resolveMemoryReference,
  utf8Decode,
  utf8Encode,
} from '../../src/protocol';
import { decodePage } from '../../src/webview/hexEditor';

describe('memory references', () => {
  test('canonical form names the space and the address', () => {
    assert.equal(formatMemoryReference('memory', 0x80000000n), 'memory@0x80000000');
    assert.equal(formatMemoryReference('memory', 0n), 'memory@0x0');
    assert.equal(formatMemoryReference('I/O', 0x3f8n), 'I/O@0x3f8');
    assert.equal(formatMemoryReference('cpu mem@0', 1n), 'cpu%20mem%400@0x1');
    assert.throws(() => formatMemoryReference('memory', 1n << 64n), /outside/);
    assert.throws(() => formatMemoryReference('', 0n), /empty/);
  });

  test('parsing accepts case, leading zeros and underscores; rejects the rest with a reason', () => {
    assert.deepEqual(parseMemoryReference('memory@0x0000_8000_0000'), {
      ok: true,
      value: { space: 'memory', address: 0x80000000n },
    });
    assert.deepEqual(parseMemoryReference('cpu%20mem%400@0XFF'), {
      ok: true,
      value: { space: 'cpu mem@0', address: 255n },
    });
    for (const bad of [
      '',
      'memory',
      '@0x1',
      'memory@12',
      'memory@0x',
      'mem ory@0x1',
      'm%zz@0x1',
      'memory@0x1_',
      'memory@0x10000000000000000',
    ]) {
      const r = parseMemoryReference(bad);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.ok(r.error.length > 10);
    }
  });

  test('offsets resolve to absolute addresses and may not leave [0, 2^64)', () => {
    assert.deepEqual(resolveMemoryReference('memory@0x1000', -16), {
      ok: true,
      value: { space: 'memory', address: 0xff0n },
    });
    assert.equal(resolveMemoryReference('memory@0x0', -1).ok, false);
    assert.equal(resolveMemoryReference('memory@0xffffffffffffffff', 1).ok, false);
    assert.equal(resolveMemoryReference('memory@0x0', 0.5).ok, false);
  });

  test('range arguments from a client are checked, each error naming the argument', () => {
    assert.deepEqual(
      parseRangeArguments({ memoryReference: 'memory@0x1000', offset: 16, count: 4 }),
      {
        ok: true,
        value: { space: 'memory', address: 0x1010n, count: 4 },
      },
    );
    const cases: [unknown, RegExp][] = [
      [null, /expected an object/],
      [{ count: 1 }, /memoryReference/],
      [{ memoryReference: 'memory@0x0', count: -1 }, /count: expected an integer from 0 to 65536/],
      [{ memoryReference: 'memory@0x0', count: 1e9 }, /count/],
      [{ memoryReference: 'memory@0x0', count: '4' }, /count/],
      [{ memoryReference: 'memory@0x0', offset: 1.5, count: 4 }, /offset/],
      [{ memoryReference: 'nope', count: 4 }, /expected '<space>@0x<hex address>'/],
      [{ memoryReference: 'memory@0xfffffffffffffff0', count: 32 }, /pass 2\^64/],
    ];
    for (const [args, error] of cases) {
      const r = parseRangeArguments(args);
      assert.equal(r.ok, false, JSON.stringify(args));
      if (!r.ok) assert.match(r.error, error);
    }
    assert.equal(
      parseRangeArguments({ memoryReference: 'memory@0xfffffffffffffff0', count: 16 }).ok,
      true,
    );
  });

  test('property: format then parse is the identity, and the form is canonical', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (space, address) => {
          const ref = formatMemoryReference(space, address);
          const parsed = parseMemoryReference(ref);
          return (
            parsed.ok &&
            parsed.value.space === space &&
            parsed.value.address === address &&
            formatMemoryReference(parsed.value.space, parsed.value.address) === ref
          );
        },
      ),
      { numRuns: numRuns(500) },
    );
  });
});

describe('byte helpers', () => {
  test('base64 matches Node for random bytes and rejects garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const ours = encodeBase64(bytes);
        return (
          ours === Buffer.from(bytes).toString('base64') &&
          Buffer.from(decodeBase64(ours)).equals(Buffer.from(bytes))
        );
      }),
      { numRuns: numRuns(300) },
    );
    assert.throws(() => decodeBase64('ab$d'), /bad character/);
    assert.throws(() => decodeBase64('abcde'), /truncated/);
  });

  test('UTF-8 matches Node for any string, and invalid input is undefined', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        const bytes = utf8Encode(text);
        return Buffer.from(bytes).equals(Buffer.from(text, 'utf8')) && utf8Decode(bytes) === text;
      }),
      { numRuns: numRuns(100) }, // fast-check's default count
    );
    for (const bad of [
      [0xff],
      [0xc0, 0x80],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
    ]) {
      assert.equal(utf8Decode(Uint8Array.from(bad)), undefined, String(bad));
    }
  });

  test('status spans expand and compress exactly; gaps are errors', () => {
    const spans = compressStatus(Uint8Array.of(0, 0, 1, 2, 2, 0));
    assert.deepEqual(spans, [
      { offset: 0, length: 2, status: 'ok' },
      { offset: 2, length: 1, status: 'unmapped' },
      { offset: 3, length: 2, status: 'unpeekable' },
      { offset: 5, length: 1, status: 'ok' },
    ]);
    assert.deepEqual([...expandStatus(spans, 6)], [0, 0, 1, 2, 2, 0]);
    assert.deepEqual([...expandStatus([{ offset: 0, length: 1, status: 'ok' }], 3)], [0, 3, 3]);
  });

  test('a short page from the host marks the missing bytes as errors', () => {
    const page = decodePage(0x1000n, {
      address: '0x1000',
      data: encodeBase64(Uint8Array.of(1, 2)),
      status: [{ offset: 0, length: 4096, status: 'ok' }],
      regions: [],
    });
    assert.deepEqual([...page.status.subarray(0, 3)], [0, 0, 3]);
    assert.throws(
      () => decodePage(0x2000n, { address: '0x1000', data: '', status: [], regions: [] }),
      /answered 0x1000/,
    );
  });
});
