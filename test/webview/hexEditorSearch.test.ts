/**
 * The hex editor's find logic (src/webview/hexEditor/search.ts) in plain Node: pattern parsing,
 * matches across page boundaries, holes / unpeekable / failed bytes never matching, backward search,
 * range limits, the per-call byte budget and addresses near 2^64.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { numRuns } from '../support/property';
import {
  findInMemory,
  parseFindPattern,
  parseSearchRange,
  type FindRequest,
  type FindResult,
  STATUS_OK,
  STATUS_UNMAPPED,
  STATUS_UNPEEKABLE,
  type PageContent,
} from '../../src/webview/hexEditor';

const PAGE = 4096n;
const TOP = 1n << 64n;

/** Sparse memory: explicit bytes with a status; everything else is unmapped. */
class SparseMemory {
  readonly bytes = new Map<bigint, { value: number; status: number }>();
  reads: bigint[] = [];

  put(address: bigint, values: ArrayLike<number>, status = STATUS_OK): this {
    for (let i = 0; i < values.length; i++) {
      this.bytes.set(address + BigInt(i), { value: values[i]!, status });
    }
    return this;
  }

  readPage = async (index: bigint): Promise<PageContent> => {
    assert.ok(index >= 0n && index < TOP / PAGE, `page index ${index} out of the space`);
    this.reads.push(index);
    const data = new Uint8Array(4096);
    const status = new Uint8Array(4096).fill(STATUS_UNMAPPED);
    const base = index * PAGE;
    for (const [address, b] of this.bytes) {
      if (address >= base && address < base + PAGE) {
        const i = Number(address - base);
        status[i] = b.status;
        // Like the adapter: bytes without a value are sent as 0, but the fake fills in the
        // pattern's value so only the status can stop a match.
        data[i] = b.value;
      }
    }
    return { data, status, regions: [] };
  };
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

function find(memory: SparseMemory, pattern: number[], over: Partial<FindRequest> = {}) {
  return findInMemory({
    pattern: Uint8Array.from(pattern),
    from: 0n,
    direction: 'forward',
    start: 0n,
    end: TOP,
    maxBytes: 1n << 20n,
    readPage: memory.readPage,
    ...over,
  });
}

function foundAt(result: FindResult): bigint | undefined {
  return result.kind === 'found' ? result.address : undefined;
}

describe('parseFindPattern', () => {
  test('hex with spaces, commas, 0x prefixes and runs', () => {
    const expect = [0xde, 0xad, 0xbe, 0xef];
    for (const text of [
      'de ad be ef',
      'deadbeef',
      '0xde,0xad,0xbe,0xef',
      'DEAD BEEF',
      'de-ad_be:ef',
    ]) {
      const r = parseFindPattern(text, 'hex');
      assert.ok(r.ok, text);
      assert.deepEqual([...r.bytes], expect, text);
    }
    const single = parseFindPattern('a 0 ff', 'hex');
    assert.ok(single.ok);
    assert.deepEqual([...single.bytes], [0x0a, 0x00, 0xff]);
  });

  test('bad hex is refused with a reason', () => {
    assert.deepEqual(parseFindPattern('de ag', 'hex'), {
      ok: false,
      error: "'g' is not a hex digit",
    });
    assert.deepEqual(parseFindPattern('dea', 'hex'), {
      ok: false,
      error: "'dea' has an odd number of hex digits",
    });
    assert.equal(parseFindPattern('  ', 'hex').ok, false);
    assert.equal(parseFindPattern('', 'text').ok, false);
    assert.equal(parseFindPattern('a'.repeat(5000), 'text').ok, false);
  });

  test('text is UTF-8', () => {
    const r = parseFindPattern('Hé', 'text');
    assert.ok(r.ok);
    assert.deepEqual([...r.bytes], [0x48, 0xc3, 0xa9]);
  });
});

describe('parseSearchRange', () => {
  test('start-end, start..end, start+length; errors say why', () => {
    assert.deepEqual(parseSearchRange('0x8000_0000-0x8001_0000', TOP), {
      ok: true,
      start: 0x8000_0000n,
      end: 0x8001_0000n,
    });
    assert.deepEqual(parseSearchRange(' 1000h .. 2000h ', TOP), {
      ok: true,
      start: 0x1000n,
      end: 0x2000n,
    });
    assert.deepEqual(parseSearchRange('0x100+256', TOP), { ok: true, start: 0x100n, end: 0x200n });
    assert.deepEqual(parseSearchRange('0xffffffffffff0000+0x10000', TOP), {
      ok: true,
      start: TOP - 0x10000n,
      end: TOP,
    });
    assert.match(
      (parseSearchRange('0x100+0x10001', 0x10000n) as { error: string }).error,
      /beyond/,
    );
    assert.match((parseSearchRange('0x200-0x100', TOP) as { error: string }).error, /empty/);
    assert.match((parseSearchRange('dram', TOP) as { error: string }).error, /not a range/);
    assert.match(
      (parseSearchRange('0x1-zz', TOP) as { error: string }).error,
      /'zz' is not a number/,
    );
  });
});

describe('findInMemory', () => {
  test('finds forward from the cursor, inclusive, and the next one after it', async () => {
    const m = new SparseMemory().put(0x8000_0000n, ascii('xxHelloxxHello'));
    assert.equal(foundAt(await find(m, ascii('Hello'), { from: 0x7fff_0000n })), 0x8000_0002n);
    assert.equal(foundAt(await find(m, ascii('Hello'), { from: 0x8000_0002n })), 0x8000_0002n);
    assert.equal(foundAt(await find(m, ascii('Hello'), { from: 0x8000_0003n })), 0x8000_0009n);
    assert.equal(
      (await find(m, ascii('Hello'), { from: 0x8000_000an, end: 0x8001_0000n })).kind,
      'not-found',
    );
  });

  test('a match across a page boundary, both directions', async () => {
    const m = new SparseMemory().put(0x1ffdn, [0xde, 0xad, 0xbe, 0xef, 0x11]);
    assert.equal(foundAt(await find(m, [0xde, 0xad, 0xbe, 0xef])), 0x1ffdn);
    assert.equal(
      foundAt(await find(m, [0xde, 0xad, 0xbe, 0xef], { direction: 'backward', from: 0x5000n })),
      0x1ffdn,
    );
  });

  test('holes, unpeekable and failed bytes never match, even when the data would', async () => {
    const m = new SparseMemory()
      .put(0x1000n, [1, 2, 3])
      .put(0x1003n, [4], STATUS_UNPEEKABLE)
      .put(0x1100n, [1, 2, 3])
      .put(0x1103n, [4], 3)
      .put(0x1200n, [1, 2, 3, 4]);
    // 0x1000 and 0x1100: the fourth byte's data is 4 but it has no readable value.
    assert.equal(foundAt(await find(m, [1, 2, 3, 4])), 0x1200n);
    // A pattern of zeros must not match the zero bytes of unmapped space.
    assert.equal((await find(m, [0, 0], { start: 0n, end: 0x3000n })).kind, 'not-found');
  });

  test('backward finds the last match at or before `from`', async () => {
    const m = new SparseMemory().put(0x100n, ascii('ab')).put(0x5100n, ascii('ab'));
    const back = (from: bigint) => find(m, ascii('ab'), { direction: 'backward', from });
    assert.equal(foundAt(await back(0x9000n)), 0x5100n);
    assert.equal(foundAt(await back(0x5100n)), 0x5100n);
    assert.equal(foundAt(await back(0x50ffn)), 0x100n);
    assert.equal((await back(0xffn)).kind, 'not-found');
  });

  test('range limits: a match must lie wholly inside [start, end)', async () => {
    const m = new SparseMemory().put(0x2000n, ascii('needle')).put(0x3000n, ascii('needle'));
    const n = ascii('needle');
    assert.equal(foundAt(await find(m, n, { start: 0x2001n, end: 0x4000n })), 0x3000n);
    assert.equal((await find(m, n, { start: 0x2000n, end: 0x2005n })).kind, 'not-found');
    assert.equal(foundAt(await find(m, n, { start: 0x2000n, end: 0x2006n })), 0x2000n);
    assert.equal(
      (await find(m, n, { start: 0x2001n, end: 0x3005n, direction: 'backward', from: TOP })).kind,
      'not-found',
    );
    // Only pages of the range are read.
    m.reads = [];
    await find(m, n, { start: 0x10000n, end: 0x12000n });
    assert.deepEqual(m.reads.sort(), [0x10n, 0x11n]);
  });

  test('the byte budget stops a call and the resume point continues it', async () => {
    const m = new SparseMemory().put(0x40_0010n, ascii('far'));
    const first = await find(m, ascii('far'), { maxBytes: 0x10_0000n });
    assert.equal(first.kind, 'limit');
    assert.ok(first.kind === 'limit');
    assert.equal(first.resumeAt, 0x10_0000n);
    assert.equal(first.scanned, 0x10_0000n);
    let from = first.resumeAt;
    let result: FindResult = first;
    for (let calls = 0; result.kind === 'limit' && calls < 10; calls++) {
      result = await find(m, ascii('far'), { maxBytes: 0x10_0000n, from });
      if (result.kind === 'limit') from = result.resumeAt;
    }
    assert.equal(foundAt(result), 0x40_0010n);
    // Backward resume point: the last candidate of the first page not scanned.
    const back = await find(m, ascii('far'), {
      direction: 'backward',
      from: 0x80_0000n,
      maxBytes: 0x1000n,
    });
    assert.ok(back.kind === 'limit');
    assert.equal(back.resumeAt, 0x7f_efffn);
  });

  test('addresses near 2^64: last bytes of the space, across the last boundary, backward', async () => {
    const m = new SparseMemory()
      .put(TOP - 0x1002n, [7, 8, 9, 10])
      .put(TOP - 3n, [0xca, 0xfe, 0x42]);
    const high = { start: TOP - 0x10000n, end: TOP };
    assert.equal(foundAt(await find(m, [7, 8, 9, 10], high)), TOP - 0x1002n);
    assert.equal(foundAt(await find(m, [0xca, 0xfe, 0x42], high)), TOP - 3n);
    assert.equal(
      foundAt(
        await find(m, [0xca, 0xfe, 0x42], { ...high, direction: 'backward', from: TOP - 1n }),
      ),
      TOP - 3n,
    );
    assert.equal(
      foundAt(await find(m, [7, 8], { ...high, direction: 'backward', from: TOP - 1n })),
      TOP - 0x1002n,
    );
    assert.equal((await find(m, [0xfe, 0x42, 0], high)).kind, 'not-found');
  });

  test('cancellation and read errors', async () => {
    const m = new SparseMemory();
    assert.equal((await find(m, [1], { isCancelled: () => true })).kind, 'cancelled');
    await assert.rejects(
      find(m, [1], {
        readPage: async () => {
          throw new Error('session ended');
        },
      }),
      /session ended/,
    );
  });

  test('property: agrees with a naive scan over a small random memory', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 3 * 4096, maxLength: 3 * 4096 }).map((a) => a.map((b) => b & 3)),
        fc
          .uint8Array({ minLength: 3 * 4096, maxLength: 3 * 4096 })
          .map((a) => a.map((b) => (b < 230 ? STATUS_OK : STATUS_UNPEEKABLE))),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3 * 4096 - 1 }),
        fc.boolean(),
        async (data, status, pattern, from, forward) => {
          const readPage = async (index: bigint) => {
            const i = Number(index);
            if (i >= 3)
              return {
                data: new Uint8Array(4096),
                status: new Uint8Array(4096).fill(1),
                regions: [],
              };
            return {
              data: data.slice(i * 4096, (i + 1) * 4096),
              status: status.slice(i * 4096, (i + 1) * 4096),
              regions: [],
            };
          };
          const end = 3 * 4096;
          const matches = (at: number) =>
            at >= 0 &&
            at + pattern.length <= end &&
            pattern.every((p, j) => status[at + j] === STATUS_OK && data[at + j] === p);
          let expected: number | undefined;
          if (forward) {
            for (let a = from; a < end && expected === undefined; a++) if (matches(a)) expected = a;
          } else {
            for (let a = from; a >= 0 && expected === undefined; a--) if (matches(a)) expected = a;
          }
          const result = await findInMemory({
            pattern: Uint8Array.from(pattern),
            from: BigInt(from),
            direction: forward ? 'forward' : 'backward',
            start: 0n,
            end: BigInt(end),
            maxBytes: 1n << 20n,
            readPage,
          });
          assert.equal(foundAt(result), expected === undefined ? undefined : BigInt(expected));
        },
      ),
      { numRuns: numRuns(150) },
    );
  });
});
