/** Virtual scroller math and the bounded page cache over a full 2^64 address space. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SIZE_2_64 } from '../../src/protocol';
import {
  PAGE_SIZE_N,
  ScrollModel,
  pageSpan,
  PageCache,
  STATUS_OK,
  type PageContent,
  decodePage,
} from '../../src/webview/hexEditor';
import { numRuns } from '../support/property';
import { FakeMemory, RAM_BASE } from './hexFixtures/fakeMemory';

const flush = () => new Promise((r) => setImmediate(r));
async function settle(cache: PageCache): Promise<void> {
  for (let i = 0; i < 100 && cache.pendingReads > 0; i++) await flush();
  assert.equal(cache.pendingReads, 0, 'reads did not settle');
}

function fakeFetcher(memory: FakeMemory) {
  return async (index: bigint): Promise<PageContent> => {
    const address = index * PAGE_SIZE_N;
    return decodePage(address, memory.readEx(address, 4096));
  };
}

describe('ScrollModel', () => {
  test('covers 2^64 bytes with 2^60 rows and clamps at both ends', () => {
    const s = new ScrollModel();
    s.setVisibleLines(30);
    assert.equal(s.totalLines, 1n << 60n);
    assert.equal(s.maxTopLine, (1n << 60n) - 30n);
    s.scrollBy(-5);
    assert.equal(s.topLine, 0n);
    s.scrollToLine(1n << 62n);
    assert.equal(s.topLine, s.maxTopLine);
    assert.deepEqual(s.visibleRange(), { start: SIZE_2_64 - 30n * 16n, end: SIZE_2_64 });
  });

  test('reveal puts 0, 2^63 and 2^64-16 on screen with exact addresses', () => {
    const s = new ScrollModel();
    s.setVisibleLines(20);
    for (const address of [0n, 1n << 63n, SIZE_2_64 - 16n, SIZE_2_64 - 1n]) {
      s.reveal(address, 'top');
      const { start, end } = s.visibleRange();
      assert.ok(address >= start && address < end, `0x${address.toString(16)} not visible`);
      assert.equal(start % 16n, 0n);
    }
    s.reveal(1n << 63n, 'top');
    assert.equal(s.visibleRange().start, 1n << 63n);
  });

  test('thumb fraction round-trips to the line within one part in 2^53', () => {
    const s = new ScrollModel();
    s.setVisibleLines(40);
    s.scrollToFraction(0.5);
    const half = s.maxTopLine / 2n;
    const diff = s.topLine > half ? s.topLine - half : half - s.topLine;
    assert.ok(diff <= s.maxTopLine >> 52n, `off by ${diff}`);
    s.scrollToFraction(1);
    assert.equal(s.topLine, s.maxTopLine);
    s.scrollToFraction(Number.NaN);
    assert.equal(s.topLine, 0n);
  });

  test('property: fraction() then scrollToFraction() stays within 2^-52 of the range', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 60n) - 1n }),
        fc.integer({ min: 1, max: 200 }),
        (line, rows) => {
          const s = new ScrollModel();
          s.setVisibleLines(rows);
          s.scrollToLine(line);
          const before = s.topLine;
          s.scrollToFraction(s.fraction());
          const diff = s.topLine > before ? s.topLine - before : before - s.topLine;
          return diff <= (s.maxTopLine >> 51n) + 1n;
        },
      ),
      { numRuns: numRuns(500) },
    );
  });

  test('thumb geometry stays inside the track and dragging it scrolls', () => {
    const s = new ScrollModel();
    s.setVisibleLines(25);
    const t0 = s.thumb(500);
    assert.deepEqual(t0, { top: 0, height: 20 });
    s.scrollToThumb(480, 500);
    assert.equal(s.topLine, s.maxTopLine);
    assert.equal(s.thumb(500).top, 480);
    s.scrollToThumb(240, 500);
    assert.ok(s.fraction() > 0.49 && s.fraction() < 0.51);
    // A small space gets a proportional thumb.
    const small = new ScrollModel(0x1000n);
    small.setVisibleLines(64);
    assert.equal(small.thumb(400).height, 100);
  });

  test('wanted pages: visible first, then margin, clipped to the space', () => {
    const s = new ScrollModel();
    s.setVisibleLines(10);
    s.reveal(0x8000_0ff0n, 'top');
    const pages = s.wantedPages(300);
    assert.deepEqual(pages.slice(0, 2), [0x80000n, 0x80001n]);
    assert.deepEqual(new Set(pages), new Set([0x7ffffn, 0x80000n, 0x80001n, 0x80002n]));
    s.scrollToLine(s.maxTopLine);
    assert.deepEqual(s.wantedPages(64), [(SIZE_2_64 >> 12n) - 1n]);
    assert.deepEqual(pageSpan(0n, 0n), []);
  });
});

describe('PageCache', () => {
  test('scrolling to 0, 2^63 and 2^64-16 keeps the cache bounded and the bytes right', async () => {
    const memory = new FakeMemory();
    const cache = new PageCache(fakeFetcher(memory), { capacity: 8 });
    const s = new ScrollModel();
    s.setVisibleLines(40);
    for (const address of [0n, RAM_BASE + 0x100n, 1n << 63n, SIZE_2_64 - 16n]) {
      s.reveal(address, 'center');
      cache.want(s.wantedPages(16));
      await settle(cache);
      assert.ok(cache.size <= 8, `cache holds ${cache.size} pages`);
      const page = cache.get(address / PAGE_SIZE_N)!;
      assert.ok(page, `page of 0x${address.toString(16)} missing`);
      const expected = memory.readEx(address, 1);
      const offset = Number(address % PAGE_SIZE_N);
      assert.equal(page.index * PAGE_SIZE_N + BigInt(offset), address);
      if (expected.status[0]!.status === 'ok') {
        assert.equal(page.data[offset], Buffer.from(expected.data, 'base64')[0]);
        assert.equal(page.status[offset], STATUS_OK);
      } else {
        assert.notEqual(page.status[offset], STATUS_OK);
      }
    }
    s.reveal(RAM_BASE, 'top');
    cache.want(s.wantedPages(16));
    await settle(cache);
    const ram = cache.get(RAM_BASE / PAGE_SIZE_N)!;
    assert.equal(String.fromCharCode(...ram.data.subarray(0x100, 0x105)), 'Hello');
    assert.equal(ram.regions[0]?.name, 'dram');
    assert.ok(cache.size <= 8);
  });

  test('a sweep over 1 GiB never holds more than capacity + concurrency pages', async () => {
    let fetched = 0;
    const cache = new PageCache(
      async () => {
        fetched++;
        return { data: new Uint8Array(4096), status: new Uint8Array(4096), regions: [] };
      },
      { capacity: 16, concurrency: 4 },
    );
    const s = new ScrollModel();
    s.setVisibleLines(50);
    s.reveal(1n << 62n, 'top');
    const rowsPerGiB = (1n << 30n) / 16n;
    // Jump a screen at a time over 1 GiB (as fast dragging does); sample a page every 4096 steps.
    const start = s.topLine;
    for (let line = start; line < start + rowsPerGiB; line += 4096n * 50n) {
      s.scrollToLine(line);
      cache.want(s.wantedPages(8));
      await settle(cache);
    }
    assert.ok(cache.peakPages <= 20, `peak ${cache.peakPages}`);
    assert.ok(cache.size <= 16);
    assert.ok(fetched > 10);
  });

  test('queued reads for pages scrolled away are dropped', async () => {
    const resolvers: (() => void)[] = [];
    const requested: bigint[] = [];
    const cache = new PageCache(
      (index) =>
        new Promise((resolve) => {
          requested.push(index);
          resolvers.push(() =>
            resolve({ data: new Uint8Array(4096), status: new Uint8Array(4096), regions: [] }),
          );
        }),
      { capacity: 8, concurrency: 2 },
    );
    cache.want([1n, 2n, 3n, 4n]);
    assert.deepEqual(requested, [1n, 2n]);
    cache.want([100n]);
    resolvers.splice(0).forEach((r) => r());
    await flush();
    await flush();
    assert.deepEqual(requested, [1n, 2n, 100n]);
    resolvers.splice(0).forEach((r) => r());
    await settle(cache);
    assert.equal(cache.peek(1n), undefined, 'an unwanted page arriving late is not kept');
    assert.ok(cache.peek(100n));
  });

  test('a failed read keeps an error page; stop snapshots flag changed bytes', async () => {
    const memory = new FakeMemory();
    let fail = true;
    const cache = new PageCache(async (index) => {
      if (fail) throw new Error('adapter busy');
      return fakeFetcher(memory)(index);
    });
    const page = RAM_BASE / PAGE_SIZE_N;
    cache.want([page]);
    await settle(cache);
    assert.equal(cache.peek(page)?.error, 'adapter busy');
    assert.notEqual(cache.peek(page)?.status[0], STATUS_OK);
    fail = false;
    cache.invalidateAll();
    await settle(cache);
    assert.equal(cache.peek(page)?.error, undefined);
    // First stop: the page's value at the stop is recorded; nothing is highlighted yet.
    cache.markStop();
    await settle(cache);
    const changed = (offset: number) => cache.changedSinceStop(cache.peek(page)!, offset);
    assert.equal(changed(3), false);
    // An edit while stopped differs from the stop value.
    memory.write(RAM_BASE + 3n, Uint8Array.of(0x99));
    cache.invalidate(RAM_BASE, RAM_BASE + 4n);
    await settle(cache);
    assert.equal(changed(3), true);
    assert.equal(changed(2), false);
    // Running: live changes compare with the last stop.
    cache.setRunning(true);
    memory.write(RAM_BASE + 5n, Uint8Array.of(0x55));
    cache.invalidate(RAM_BASE, RAM_BASE + 8n);
    await settle(cache);
    assert.equal(changed(5), true);
    // Next stop: what the run changed stays highlighted until the stop after.
    cache.markStop();
    await settle(cache);
    assert.equal(changed(3), true);
    assert.equal(changed(5), true);
    assert.equal(changed(2), false);
    cache.markStop();
    await settle(cache);
    assert.equal(changed(3), false);
    assert.equal(changed(5), false);
  });

  test('a read in flight across a stop is shown but re-read for the stop value', async () => {
    let value = 1;
    const pending: (() => void)[] = [];
    const cache = new PageCache(
      () =>
        new Promise<PageContent>((resolve) => {
          const data = new Uint8Array(4096).fill(value);
          pending.push(() => resolve({ data, status: new Uint8Array(4096), regions: [] }));
        }),
    );
    cache.want([7n]);
    assert.equal(pending.length, 1);
    value = 2;
    cache.markStop(); // the read already in flight saw value 1
    pending.shift()!();
    await flush();
    await flush();
    assert.equal(cache.peek(7n)?.data[0], 1, 'shown meanwhile');
    assert.equal(pending.length, 1, 're-read after the stop');
    pending.shift()!();
    await settle(cache);
    assert.equal(cache.peek(7n)?.stopValue?.[0], 2);
  });
});
