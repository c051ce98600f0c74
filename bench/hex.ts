/**
 * Hex editor benchmarks (`npm run bench:hex`), one `name: number unit` line each:
 *   hex.scroll.memory       MiB held (heap + array buffers, after GC) after scrolling through 1 GiB
 *                           of address space through the page cache (target: flat, <= 16)
 *   hex.scroll.memory.256m  the same after the first 256 MiB, to show it stays flat
 *   hex.scroll.pages.peak   most pages held or in flight at once
 *   hex.page.fetch.node     median ms to fetch one 4 KiB page through the real adapter
 *                           (dist/adapter.js over stdio, hello.elf on the built-in virt board stopped
 *                           at entry, boardmap/readMemoryEx or else readMemory), decode it and format
 *                           its text in Node; printed as "skipped: ..." while the adapter lacks
 *                           readMemory, never a made-up number. No webview, message hop or DOM: the
 *                           issue's hex.page.fetch (target <= 10), through the real webview in
 *                           headless Chromium, is bench/hexRender.ts, run after this by bench:hex.
 * Run with --expose-gc for exact memory figures.
 */
import { existsSync } from 'node:fs';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import {
  PageCache,
  type PageContent,
  decodePage,
  PAGE_SIZE_N,
  ScrollModel,
  asciiGlyph,
  formatAddress,
  hexByte,
} from '../src/webview/hexEditor';
import {
  MemoryRequest,
  compressStatus,
  encodeBase64,
  toHex,
  formatMemoryReference,
  type ReadMemoryExResponse,
  DAP_TOPOLOGY_REQUEST,
  type TopologyResponseBody,
} from '../src/protocol';

const MiB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

function heldMiB(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / MiB;
}

/** Pages as the adapter would send them: RAM-like bytes, fresh buffers for every read. */
function fakePage(index: bigint): Promise<PageContent> {
  const address = index * PAGE_SIZE_N;
  const bytes = new Uint8Array(4096);
  for (let i = 0; i < 4096; i += 64) bytes[i] = Number(index & 0xffn) ^ i;
  const response: ReadMemoryExResponse = {
    address: toHex(address),
    data: encodeBase64(bytes),
    status: compressStatus(new Uint8Array(4096)),
    regions: [
      {
        start: toHex(address),
        last: toHex(address + 4095n),
        name: 'dram',
        kind: 'ram',
        readonly: false,
      },
    ],
  };
  return Promise.resolve(decodePage(address, response));
}

async function scrollMemory(): Promise<void> {
  const cache = new PageCache(fakePage, { capacity: 64, concurrency: 4 });
  const scroll = new ScrollModel();
  scroll.setVisibleLines(40);
  scroll.reveal(0x8000_0000n, 'top');
  const start = scroll.topLine;
  // One position every 64 KiB (16 pages): 16384 positions over 1 GiB, each fetching what is visible
  // plus the margin, as dragging the thumb does; every page is a fresh decode.
  const stepLines = (16n * 4096n) / 16n;
  const settle = async () => {
    while (cache.pendingReads > 0) await new Promise((r) => setImmediate(r));
  };
  const baseline = heldMiB();
  let at256: number | undefined;
  const total = (1n << 30n) / 16n;
  let positions = 0;
  for (let line = start; line <= start + total; line += stepLines) {
    // A stop every 64 positions, so the per-page stop values are part of what is measured.
    if (++positions % 64 === 0) cache.markStop();
    scroll.scrollToLine(line);
    cache.want(scroll.wantedPages(64));
    await settle();
    if (at256 === undefined && line - start >= total / 4n) at256 = heldMiB() - baseline;
  }
  const held = heldMiB() - baseline;
  console.log(`hex.scroll.memory.256m: ${Math.max(0, at256 ?? 0).toFixed(2)} MiB`);
  console.log(`hex.scroll.memory: ${Math.max(0, held).toFixed(2)} MiB`);
  console.log(`hex.scroll.pages.peak: ${cache.peakPages} pages`);
  console.log(`hex.scroll.fetches: ${cache.fetchCount} pages`);
  if (!gc) console.log('hex.scroll.note: run with node --expose-gc for exact memory figures');
}

/** The grid's text work for one page: 256 rows of address, hex and ASCII. */
function formatPage(page: PageContent, base: bigint): number {
  let chars = 0;
  for (let row = 0; row < 256; row++) {
    let line = formatAddress(base + BigInt(row * 16));
    for (let i = 0; i < 16; i++) line += ` ${hexByte(page.data[row * 16 + i]!)}`;
    for (let i = 0; i < 16; i++) line += asciiGlyph(page.data[row * 16 + i]!);
    chars += line.length;
  }
  return chars;
}

const HELLO_ELF = 'examples/firmware/build/hello.elf';

async function pageFetch(): Promise<void> {
  const adapter = 'dist/adapter.js';
  if (!existsSync(adapter)) {
    console.log('hex.page.fetch.node: skipped: dist/adapter.js not built (npm run build)');
    return;
  }
  if (!existsSync(HELLO_ELF)) {
    console.log(`hex.page.fetch.node: skipped: ${HELLO_ELF} not built (make -C examples/firmware)`);
    return;
  }
  const dc = new DebugClient('node', adapter, 'boardmap');
  await dc.start();
  try {
    const init = await dc.initializeRequest();
    if (!init.body?.supportsReadMemoryRequest) {
      console.log('hex.page.fetch.node: skipped: adapter lacks readMemory');
      return;
    }
    // hello.elf on the built-in virt board, stopped at its first instruction (RAM holds the image).
    const initialized = dc.waitForEvent('initialized');
    await dc.launchRequest({ board: 'virt', program: HELLO_ELF, stopOnEntry: true } as never);
    await initialized;
    await Promise.all([dc.waitForEvent('stopped'), dc.configurationDoneRequest()]);
    let space = 'memory';
    try {
      const topo = (await dc.customRequest(DAP_TOPOLOGY_REQUEST, {})).body as TopologyResponseBody;
      if (!topo.unchanged) space = topo.snapshot.addressSpaces[0]?.id ?? space;
    } catch {
      // Without the topology request the first space is assumed to be 'memory'.
    }
    let useEx = true;
    let fallbackReason = '';
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const address = 0x8000_0000n + BigInt(i % 16) * 4096n;
      const ref = formatMemoryReference(space, address);
      const t0 = performance.now();
      let page: PageContent;
      if (useEx) {
        try {
          const r = await dc.customRequest(MemoryRequest.readMemoryEx, {
            memoryReference: ref,
            count: 4096,
          });
          page = decodePage(address, r.body as ReadMemoryExResponse);
        } catch (error) {
          // Said once, so a slower fallback figure is never mistaken for the extended path.
          fallbackReason = error instanceof Error ? error.message : String(error);
          useEx = false;
          i--;
          continue;
        }
      } else {
        const r = await dc.send('readMemory', { memoryReference: ref, offset: 0, count: 4096 });
        const body = r.body as { data?: string };
        page = decodePage(address, {
          address: toHex(address),
          data: body.data ?? '',
          status: [{ offset: 0, length: 4096, status: 'ok' }],
          regions: [],
        });
      }
      formatPage(page, address);
      times.push(performance.now() - t0);
    }
    times.splice(0, 10); // warm-up
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(`hex.page.fetch.node: ${median.toFixed(3)} ms`);
    if (!useEx) console.log(`hex.page.fetch.node.note: readMemory fallback (${fallbackReason})`);
  } catch (error) {
    console.log(
      `hex.page.fetch.node: skipped: adapter failed: ${error instanceof Error ? error.message : error}`,
    );
  } finally {
    await dc.stop().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  await scrollMemory();
  await pageFetch();
}

void main();
