// test-needs: chromium
/**
 * Find (Ctrl+F) in the hex editor webview, headless Chromium against the fake adapter: text in RAM,
 * the next match across pages, "not found" at the end of the region, Shift+Enter back, hex bytes,
 * a bad pattern, Escape back to the grid. Screenshot: test-results/hex-editor/find-dark.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { HexBrowser, screenshotPath } from './hexFixtures/browserHarness';
import { FakeMemory, RAM_BASE } from './hexFixtures/fakeMemory';

let browser: HexBrowser;
before(async () => {
  browser = await HexBrowser.launch();
});
after(async () => {
  await browser?.close();
});

const findStatus = (page: Page) => page.locator('.find-status');

async function waitFindStatus(page: Page, pattern: RegExp) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('.find-status')?.textContent ?? ''),
    pattern.source,
    { timeout: 5000 },
  );
}

/** The cursor cell's address and the selected hex cells' addresses. */
async function cursorAndSelection(page: Page) {
  return page.evaluate(() => ({
    cursor: document.querySelector('.grid-body [data-col="hex"].cur')?.getAttribute('data-addr'),
    selected: Array.from(document.querySelectorAll('.grid-body [data-col="hex"].sel'), (c) =>
      c.getAttribute('data-addr'),
    ),
  }));
}

async function expectMatch(page: Page, address: bigint, length: number) {
  await waitFindStatus(page, new RegExp(`^Match at 0x${address.toString(16)} `));
  await page.waitForFunction(
    (a) =>
      document.querySelector('.grid-body [data-col="hex"].cur')?.getAttribute('data-addr') === a,
    String(address),
  );
  const state = await cursorAndSelection(page);
  assert.deepEqual(
    state.selected,
    Array.from({ length }, (_, i) => String(address + BigInt(i))),
    'the match is selected',
  );
}

describe('hex editor find', () => {
  test('finds text in RAM, then the next match, then reports the end of the region', async () => {
    const memory = new FakeMemory();
    const dram = memory.regions.find((r) => r.name === 'dram')!;
    // A second "hex" straddling a page boundary, in a page the grid has not shown.
    dram.bytes!.set([0x68, 0x65, 0x78], 0x4ffe);
    const h = await browser.open({ memory });
    const { page } = h;
    await page.locator('#goto input').fill('0x80000000');
    await page.locator('#goto input').press('Enter');
    await page.locator('.grid').press('Control+f');
    const field = page.locator('#find-pattern input');
    await field.waitFor();
    assert.equal(await page.locator('.find-box').getAttribute('role'), 'search');
    assert.match((await page.locator('#find-pattern').getAttribute('aria-label'))!, /^Find/);
    await page.locator('#find-mode').evaluate((el) => {
      (el as HTMLElement & { value: string }).value = 'text';
      el.dispatchEvent(new Event('change'));
    });
    await field.fill('hex');
    await field.press('Enter');
    await expectMatch(page, RAM_BASE + 0x107n, 3);
    await page.screenshot({ path: screenshotPath('find-dark') });

    await field.press('Enter');
    await expectMatch(page, RAM_BASE + 0x4ffen, 3);
    await field.press('Enter');
    await waitFindStatus(page, /^Not found after the cursor in dram$/);
    await field.press('Shift+Enter');
    await expectMatch(page, RAM_BASE + 0x107n, 3);

    // Hex bytes: 0xdeadbeef little-endian at +0x200.
    await page.locator('#find-mode').evaluate((el) => {
      (el as HTMLElement & { value: string }).value = 'hex';
      el.dispatchEvent(new Event('change'));
    });
    await field.fill('ef be ad de');
    await field.press('Enter');
    await expectMatch(page, RAM_BASE + 0x200n, 4);
    await field.fill('ef bz');
    await field.press('Enter');
    await waitFindStatus(page, /'z' is not a hex digit/);

    // A reveal with a length from the host (e.g. a variable's memory) selects the same way.
    h.host.emit('reveal', { address: '0x80000100', length: '0x5' });
    await page.waitForFunction(
      () => document.querySelectorAll('.grid-body [data-col="hex"].sel').length === 5,
    );
    assert.equal((await cursorAndSelection(page)).cursor, String(RAM_BASE + 0x100n));

    await field.press('Escape');
    await page.waitForFunction(() => document.querySelector('.find-box')?.hasAttribute('hidden'));
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'grid');
    assert.equal(await findStatus(page).getAttribute('aria-live'), 'polite');
    assert.deepEqual(h.problems, [], 'console errors or CSP violations');
    await page.close();
  });
});
