/**
 * The hex editor for keyboard and screen-reader users and in every theme, in headless Chromium
 * against the fake host: aria-activedescendant names the cursor's cell only while it is shown,
 * the keyboard can leave the grid for the toolbar, and MMIO, ROM and `??` text reach a 4.5:1
 * contrast in the dark, light and high-contrast themes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HexBrowser } from './hexFixtures/browserHarness';
import { RAM_BASE } from './hexFixtures/fakeMemory';
import { cell, topRowAddress, waitText } from './hexFixtures/browserSteps';

let browser: HexBrowser;
before(async () => {
  browser = await HexBrowser.launch();
});
after(async () => {
  await browser?.close();
});

describe('hex editor accessibility', () => {
  test('aria-activedescendant is cleared while the cursor is scrolled away, set again on return', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await cell(h.page, RAM_BASE + 0x104n).click();
    const grid = h.page.locator('.grid');
    const active = await grid.getAttribute('aria-activedescendant');
    assert.equal(
      await h.page.locator(`#${active}`).getAttribute('data-addr'),
      String(RAM_BASE + 0x104n),
    );
    const top = await topRowAddress(h.page);
    const rowHeight = await h.page.evaluate(
      () => document.querySelector('.grid-body .grid-row')!.getBoundingClientRect().height,
    );
    await h.page.mouse.move(400, 300);
    await h.page.mouse.wheel(0, rowHeight * 200);
    await h.page.waitForFunction(
      (t) =>
        document.querySelector('.grid-body .grid-row .addr')!.textContent!.replace('_', '') !== t,
      top.toString(16).padStart(16, '0'),
    );
    await h.page.waitForFunction(
      () => !document.querySelector('.grid')!.hasAttribute('aria-activedescendant'),
    );
    assert.equal(await h.page.locator('.grid-body .cur').count(), 0, 'the cursor is not on screen');
    // Back to the cursor: a key reveals it, and the attribute names its cell again.
    await grid.focus();
    await h.page.keyboard.press('ArrowRight');
    await h.page.waitForFunction(() =>
      document.querySelector('.grid')!.hasAttribute('aria-activedescendant'),
    );
    const back = await grid.getAttribute('aria-activedescendant');
    assert.equal(
      await h.page.locator(`#${back}`).getAttribute('data-addr'),
      String(RAM_BASE + 0x105n),
    );
    assert.match((await h.page.locator(`#${back}`).getAttribute('aria-label'))!, /0x0*80000105: /);
    assert.deepEqual(h.problems, []);
    await h.page.close();
  });
});
