// test-needs: chromium
// The flat-view webview in headless Chromium: rendering of fixture maps (a 4-byte register next to
// 2 GiB of RAM stays visible), hover, click and keyboard reveal, zoom and pan, the "why this
// address?" box against the real resolver, live updates, saved state, strict CSP, and the four
// theme kinds (screenshots under test-results/flatView/, looked at by a person).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness, openFlatView, RESULTS, type Harness } from './flatViewHarness';
import { THEMES } from './flatViewThemes';
import { readFileSync } from 'node:fs';
import { buildSnapshot, largeSpec, virtLikeSpec } from '../extension/topologyFixtures';
import { boardSnapshot } from '../../src/extension/views/model';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** Width in CSS pixels of the map segment of a region (by name). */
async function widthOf(page: import('playwright-core').Page, name: string): Promise<number> {
  return page.evaluate((n) => {
    const seg = Array.from(document.querySelectorAll('.seg.range')).find(
      (s) => s.querySelector('.seg-name')?.textContent === n,
    );
    if (!seg) throw new Error(`no segment ${n}`);
    return seg.getBoundingClientRect().width;
  }, name);
}

async function trackWidth(page: import('playwright-core').Page): Promise<number> {
  return page.evaluate(
    () => document.querySelector<HTMLElement>('.map-track')!.getBoundingClientRect().width,
  );
}

describe('flat view in Chromium', () => {
  test('a 4-byte register next to 2 GiB of RAM stays visible; holes are drawn as gaps', async () => {
    const view = await openFlatView(harness, buildSnapshot(virtLikeSpec()));
    try {
      const reg = await widthOf(view.page, 'reg4');
      const dram = await widthOf(view.page, 'dram');
      assert.ok(reg >= 6, `4-byte region is ${reg}px wide`);
      assert.ok(
        dram > reg * 5,
        `2 GiB region (${dram}px) should be much wider than 4 bytes (${reg}px)`,
      );
      // 7 ranges and the holes between them (0..0x1000, ..., after dram).
      const counts = await view.page.evaluate(() => ({
        ranges: document.querySelectorAll('.seg.range').length,
        holes: document.querySelectorAll('.seg.hole').length,
        rows: document.querySelectorAll('vscode-table-row').length,
      }));
      assert.deepEqual(counts, { ranges: 7, holes: 6, rows: 7 });
      const ariaLabel = await view.page.getAttribute('.seg.range.kind-ram', 'aria-label');
      assert.equal(ariaLabel, 'dram, RAM, 0x8000_0000 to 0xffff_efff, ≈2 GiB');
      await view.page.screenshot({ path: join(RESULTS, 'virt-dark.png') });
      assert.deepEqual(await view.cspViolations(), []);
    } finally {
      await view.close();
    }
  });

  test('hover shows details; click reveals in tree and source; double-click opens the hex editor', async () => {
    const view = await openFlatView(harness, buildSnapshot(virtLikeSpec()));
    try {
      const box = (await view.page.locator('.seg.range.kind-ram').boundingBox())!;
      await view.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const tip = view.page.locator('#map-tooltip');
      await tip.waitFor({ state: 'visible' });
      const text = await tip.innerText();
      assert.match(text, /dram/);
      assert.match(text, /RAM/);
      assert.match(text, /0x8000_0000 – 0xffff_efff/);
      assert.match(text, /≈2 GiB/);
      await view.page.screenshot({ path: join(RESULTS, 'hover.png') });
      const uart = view.page.locator('.seg.range', { hasText: 'uart0' });
      await uart.click();
      await view.page.waitForFunction(() => document.querySelector('.seg.selected') !== null);
      assert.deepEqual(view.reveals, [
        { regionId: 'system#0/uart0#0', addressSpaceId: 'memory', inTree: true, inSource: true },
      ]);
      assert.equal(await view.page.textContent('.status'), 'Revealed uart0.');
      await uart.dblclick();
      await view.page.waitForTimeout(100);
      assert.deepEqual(view.hexOpens.at(-1), {
        addressSpaceId: 'memory',
        address: '0x10000000',
        regionId: 'system#0/uart0#0',
      });
      // Clicking a list row reveals too.
      await view.page.locator('vscode-table-row', { hasText: 'mrom' }).click();
      await view.page.waitForTimeout(100);
      assert.equal(view.reveals.at(-1)?.regionId, 'system#0/mrom#0');
    } finally {
      await view.close();
    }
  });

  test('zoom: buttons, keys and Ctrl+wheel widen the strip and keep the anchor; wheel pans', async () => {
    const view = await openFlatView(harness, buildSnapshot(virtLikeSpec()));
    try {
      const page = view.page;
      const w1 = await trackWidth(page);
      await page.locator('vscode-toolbar-button[icon="zoom-in"]').click();
      const w2 = await trackWidth(page);
      assert.ok(Math.abs(w2 / w1 - 2) < 0.05, `zoom in doubled ${w1} -> ${w2}`);
      assert.equal(await page.textContent('.zoom-label'), '×2');
      await page.focus('.map-viewport');
      await page.keyboard.press('+');
      assert.ok(Math.abs((await trackWidth(page)) / w1 - 4) < 0.1);
      await page.keyboard.press('0');
      assert.ok(Math.abs((await trackWidth(page)) - w1) < 1);
      // Ctrl+wheel over dram zooms in around the pointer: dram stays under it.
      const box = (await page.locator('.seg.range.kind-ram').boundingBox())!;
      const x = box.x + box.width / 2;
      await page.mouse.move(x, box.y + 20);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -600);
      await page.keyboard.up('Control');
      await page.waitForTimeout(100);
      assert.ok((await trackWidth(page)) > w1 * 3);
      const under = await page.evaluate(
        ([px, py]) => document.elementFromPoint(px!, py!)?.closest('.seg')?.textContent,
        [x, box.y + 20],
      );
      assert.match(under ?? '', /dram/);
      // Plain wheel pans.
      const before = await page.evaluate(() => document.querySelector('.map-viewport')!.scrollLeft);
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(100);
      const afterPan = await page.evaluate(
        () => document.querySelector('.map-viewport')!.scrollLeft,
      );
      assert.ok(afterPan < before, `wheel panned ${before} -> ${afterPan}`);
      await page.screenshot({ path: join(RESULTS, 'zoomed.png') });
    } finally {
      await view.close();
    }
  });

  test('keyboard: arrows move between ranges with aria-activedescendant, Enter reveals', async () => {
    const view = await openFlatView(harness, buildSnapshot(virtLikeSpec()));
    try {
      const page = view.page;
      await page.focus('.map-viewport');
      await page.keyboard.press('Home');
      const first = await page.getAttribute('.map-viewport', 'aria-activedescendant');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      const third = await page.getAttribute('.map-viewport', 'aria-activedescendant');
      assert.notEqual(first, third);
      const label = await page.getAttribute(`#${third}`, 'aria-label');
      assert.match(label ?? '', /^uart0, MMIO/);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(100);
      assert.equal(view.reveals.at(-1)?.regionId, 'system#0/uart0#0');
      await page.screenshot({ path: join(RESULTS, 'keyboard-focus.png') });
    } finally {
      await view.close();
    }
  });

  test('why this address? shows the path and what the winner hides, and marks the map', async () => {
    const view = await openFlatView(harness, buildSnapshot(virtLikeSpec()));
    try {
      const page = view.page;
      await page.locator('#resolver-input').click();
      await page.keyboard.type('0x4000_0090');
      await page.keyboard.press('Enter');
      await page.locator('.resolver-summary').waitFor();
      assert.equal(
        await page.textContent('.resolver-summary'),
        '0x4000_0090 in memory is answered by gpio at offset 0x90.',
      );
      const steps = await page.$$eval('.resolver-path li', (lis) =>
        lis.map((li) => li.textContent),
      );
      assert.deepEqual(steps, [
        'address space memory',
        'system root, +0x4000_0090, prio 0',
        'periph container, +0x90, prio 0',
        'gpio region, +0x90, prio 0',
      ]);
      assert.deepEqual(
        await page.$$eval('.resolver-hidden li', (lis) => lis.map((li) => li.textContent)),
        ['gpio-shadow (prio -1) outranked by gpio'],
      );
      assert.equal(await page.isVisible('.map-marker'), true);
      assert.equal(await page.locator('.seg.selected').first().textContent(), 'gpio0x4000_0000');
      await page.screenshot({ path: join(RESULTS, 'resolver.png') });
      // A hole names the disabled alias; bad input is explained.
      await page.locator('#resolver-input').click({ clickCount: 3 });
      await page.keyboard.type('0x2000_0000');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() =>
        document.querySelector('.resolver-summary')?.textContent?.includes('hole'),
      );
      assert.deepEqual(
        await page.$$eval('.resolver-hidden li', (lis) => lis.map((li) => li.textContent)),
        ['dram-mirror (prio 1) disabled'],
      );
      await page.locator('#resolver-input').click({ clickCount: 3 });
      await page.keyboard.type('banana');
      await page.keyboard.press('Enter');
      await page.locator('.resolver-error').waitFor();
      assert.match((await page.textContent('.resolver-error')) ?? '', /'banana' is not an address/);
    } finally {
      await view.close();
    }
  });

  test('live update: a new topology re-renders and keeps the selection', async () => {
    const spec = virtLikeSpec();
    const view = await openFlatView(harness, buildSnapshot(spec));
    try {
      const page = view.page;
      await page.locator('.seg.range', { hasText: 'dram' }).click();
      spec.spaces[0]!.root.children!.find((c) => c.name === 'dram-mirror')!.enabled = true;
      const next = buildSnapshot({ ...spec, version: 2 });
      view.setSnapshot(next);
      view.host.emit('topology', { snapshot: next });
      await page.waitForFunction(() => document.querySelectorAll('.seg.range').length === 8);
      // The mirror shows dram's bytes at 0x2000_0000: a second dram range, selected with the first.
      assert.equal(await page.locator('.seg.selected').count(), 2);
      assert.match((await page.textContent('.status')) ?? '', /v2$/);
      view.host.emit('topology', { snapshot: null, reason: 'The debug session ended.' });
      await page.locator('.empty-message').waitFor({ state: 'visible' });
      assert.equal(await page.textContent('.empty-message'), 'The debug session ended.');
    } finally {
      await view.close();
    }
  });

  test("hover and labels show a region's max size, ioeventfds and coalesced ranges, live too", async () => {
    const spec = virtLikeSpec();
    const children = spec.spaces[0]!.root.children!;
    children.find((c) => c.name === 'dram')!.features = { maxSize: '0x100000000' };
    const uart = children.find((c) => c.name === 'uart0')!;
    uart.features = { coalesced: [{ offset: '0x0', size: '0x8' }] };
    const view = await openFlatView(harness, buildSnapshot(spec));
    try {
      const page = view.page;
      const tipOf = async (name: string) => {
        await page.mouse.move(0, 0);
        const box = (await page.locator('.seg.range', { hasText: name }).boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        const tip = page.locator('#map-tooltip');
        await tip.waitFor({ state: 'visible' });
        return tip.innerText();
      };
      assert.match(await tipOf('dram'), /Resizeable up to\s+4 GiB \(0x1_0000_0000\)/);
      let uartTip = await tipOf('uart0');
      assert.match(uartTip, /Coalesced MMIO\s+0x1000_0000 – 0x1000_0007/);
      assert.doesNotMatch(uartTip, /ioeventfd/);
      uart.features = {
        ...uart.features,
        ioeventfds: [{ offset: '0x4', size: 1, data: '0x2a' }],
      };
      const next = buildSnapshot({ ...spec, version: 2 });
      view.setSnapshot(next);
      view.host.emit('topology', { snapshot: next });
      await page.waitForFunction(() => /v2$/.test(document.querySelector('.status')!.textContent!));
      uartTip = await tipOf('uart0');
      assert.match(uartTip, /ioeventfd\s+0x1000_0004: 1-byte write of 0x2a/);
      await page.screenshot({ path: join(RESULTS, 'hover-features.png') });
      assert.equal(
        await page.locator('.seg.range', { hasText: 'uart0' }).getAttribute('aria-label'),
        'uart0, MMIO, 0x1000_0000 to 0x1000_00ff, 256 bytes, ioeventfd, coalesced',
      );
    } finally {
      await view.close();
    }
  });

  test('state is saved and restored when the panel is reopened', async () => {
    const snapshot = buildSnapshot(virtLikeSpec());
    const first = await openFlatView(harness, snapshot);
    let saved;
    try {
      await first.page.locator('vscode-toolbar-button[icon="zoom-in"]').click();
      await first.page.locator('vscode-toolbar-button[icon="zoom-in"]').click();
      await first.page.locator('.seg.range', { hasText: 'uart0' }).click();
      await first.page.locator('#resolver-input').click();
      await first.page.keyboard.type('0x1000_0004');
      await first.page.waitForTimeout(300);
      saved = await first.state();
    } finally {
      await first.close();
    }
    assert.equal(saved?.zoom, 4);
    assert.equal(saved?.selectedRegionId, 'system#0/uart0#0');
    assert.equal(saved?.resolverInput, '0x1000_0004');
    const second = await openFlatView(harness, snapshot, { state: saved });
    try {
      assert.equal(await second.page.textContent('.zoom-label'), '×4');
      assert.equal(await second.page.locator('.seg.selected').count(), 1);
      assert.equal(
        (await second.page.inputValue('#resolver-input >> input').catch(() => null)) ??
          (await second.page.evaluate(
            () => (document.querySelector('#resolver-input') as HTMLInputElement).value,
          )),
        '0x1000_0004',
      );
      const scroll = await second.page.evaluate(
        () => document.querySelector('.map-viewport')!.scrollLeft,
      );
      assert.ok(
        Math.abs(scroll - saved!.scroll * (await trackWidth(second.page))) < 2,
        'scroll restored',
      );
    } finally {
      await second.close();
    }
  });

  test('themes: dark, light and high contrast colours come from the VS Code variables', async () => {
    const view = await openFlatView(harness, buildSnapshot(virtLikeSpec()), { theme: THEMES.dark });
    try {
      const page = view.page;
      const colours = async () =>
        page.evaluate(() => {
          const ram = getComputedStyle(document.querySelector('.seg.range.kind-ram')!);
          const body = getComputedStyle(document.body);
          return {
            fill: ram.backgroundColor,
            left: ram.borderLeftColor,
            top: ram.borderTopColor,
            body: body.backgroundColor,
            text: body.color,
          };
        });
      const seen: Record<string, Awaited<ReturnType<typeof colours>>> = {};
      for (const name of ['dark', 'light', 'high-contrast', 'high-contrast-light'] as const) {
        await view.applyTheme(THEMES[name]);
        await page.waitForTimeout(50);
        seen[name] = await colours();
        await page.screenshot({ path: join(RESULTS, `theme-${name}.png`) });
      }
      assert.equal(seen.dark!.body, 'rgb(31, 31, 31)');
      assert.equal(seen.light!.body, 'rgb(255, 255, 255)');
      assert.equal(seen.dark!.left, 'rgb(55, 148, 255)'); // --vscode-charts-blue (dark)
      assert.equal(seen.light!.left, 'rgb(26, 133, 255)'); // --vscode-charts-blue (light)
      // Fills mix the kind colour into the editor background: different in dark and light.
      assert.notEqual(seen.dark!.fill, seen.light!.fill);
      // High contrast: solid editor background, kind colour as a thick top border.
      assert.equal(seen['high-contrast']!.fill, 'rgb(0, 0, 0)');
      assert.equal(seen['high-contrast']!.top, 'rgb(55, 148, 255)');
      assert.equal(seen['high-contrast-light']!.fill, 'rgb(255, 255, 255)');
      assert.equal(seen['high-contrast-light']!.text, 'rgb(41, 41, 41)');
      assert.deepEqual(await view.cspViolations(), []);
    } finally {
      await view.close();
    }
  });

  test('a real board with several address spaces: memory first, switching, focusRegion from the tree', async () => {
    const path = join(__dirname, '..', '..', 'examples', 'pc-x86_64.board');
    const built = boardSnapshot(path, readFileSync(path, 'utf8'), 1);
    assert.ok(built.ok, built.ok ? '' : built.message);
    const view = await openFlatView(harness, built.snapshot);
    try {
      const page = view.page;
      const io = built.snapshot.addressSpaces.find((s) => s.name === 'I/O')!;
      // i440FX (a bus master with an empty view) comes first in the list; the CPU's view is shown.
      assert.equal(
        await page.evaluate(
          () => (document.querySelector('#space-select') as HTMLElement & { value: string }).value,
        ),
        'memory',
      );
      await page.screenshot({ path: join(RESULTS, 'pc-memory.png') });
      const hpet = built.snapshot.regions.find((r) => r.name === 'hpet')!;
      view.host.emit('focusRegion', { regionId: hpet.id, addressSpaceId: 'memory' });
      await page.waitForFunction(
        () => document.querySelector('.seg.selected .seg-name')?.textContent === 'hpet',
      );
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'map-viewport');
      // Switching spaces from the select.
      await page.evaluate((id) => {
        const select = document.querySelector('#space-select') as HTMLElement & { value: string };
        select.value = id;
        select.dispatchEvent(new Event('change'));
      }, io.id);
      await page.waitForFunction(
        (n) => document.querySelector('.list-caption')?.textContent?.endsWith(`of ${n}`),
        io.flatView.length,
      );
      assert.equal((await view.state())?.addressSpaceId, io.id);
      await page.screenshot({ path: join(RESULTS, 'pc-io.png') });
    } finally {
      await view.close();
    }
  });

  test('10,000 ranges: virtualised DOM, quick first render and zoom', async () => {
    const snapshot = buildSnapshot(largeSpec(10_000));
    const t0 = performance.now();
    const view = await openFlatView(harness, snapshot);
    const openMs = performance.now() - t0;
    try {
      const page = view.page;
      const nodes = await page.evaluate(() => document.querySelectorAll('.seg').length);
      assert.ok(nodes < 1000, `${nodes} segment nodes in the DOM`);
      assert.ok((await page.locator('vscode-table-row').count()) <= 300);
      const zoomMs = await page.evaluate(async () => {
        const t = performance.now();
        (document.querySelector('vscode-toolbar-button[icon="zoom-in"]') as HTMLElement).click();
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        return performance.now() - t;
      });
      const renderMs = await page.evaluate(
        () => performance.getEntriesByName('flatView.render').at(-1)!.duration,
      );
      console.log(
        `flatView.10k.open (incl. test transport of the snapshot): ${openMs.toFixed(0)} ms`,
      );
      console.log(`flatView.10k.render: ${renderMs.toFixed(1)} ms`);
      console.log(`flatView.10k.zoom: ${zoomMs.toFixed(1)} ms`);
      console.log(`flatView.10k.domSegments: ${nodes} nodes`);
      assert.ok(renderMs < 2000, `render took ${renderMs} ms`);
      assert.ok(zoomMs < 1000, `zoom took ${zoomMs} ms`);
      await page.screenshot({ path: join(RESULTS, 'large-10k.png') });
    } finally {
      await view.close();
    }
  });
});
