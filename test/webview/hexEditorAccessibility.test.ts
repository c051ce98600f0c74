// test-needs: chromium
/**
 * The hex editor for keyboard and screen-reader users and in every theme, in headless Chromium
 * against the fake host: aria-activedescendant names the cursor's cell only while it is shown,
 * the keyboard can leave the grid for the toolbar, and MMIO, ROM and `??` text reach a 4.5:1
 * contrast in the dark, light and high-contrast themes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { HexBrowser, screenshotPath } from './hexFixtures/browserHarness';
import { MMIO_BASE, RAM_BASE, ROM_BASE } from './hexFixtures/fakeMemory';
import { cell, formatHex, goTo, topRowAddress, waitText } from './hexFixtures/browserSteps';
import { textContrast } from './hexFixtures/contrast';

let browser: HexBrowser;
before(async () => {
  browser = await HexBrowser.launch();
});
after(async () => {
  await browser?.close();
});

/** Waits for the repaint that puts the cursor (class `cur`) on `address` in `column`. */
async function cursorIn(page: Page, address: bigint, column: 'hex' | 'ascii'): Promise<void> {
  await page.waitForFunction(
    ([a, c]) =>
      document
        .querySelector(`.grid-body [data-col="${c}"][data-addr="${a}"]`)
        ?.classList.contains('cur') === true,
    [String(address), column] as const,
    { timeout: 5_000 },
  );
}

describe('hex editor accessibility', () => {
  test('aria-activedescendant is cleared while the cursor is scrolled away, set again on return', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await cell(h.page, RAM_BASE + 0x104n).click();
    // The grid repaints on the next animation frame: wait for it to name the clicked cell.
    await h.page.waitForFunction(
      (addr) => {
        const id = document.querySelector('.grid')!.getAttribute('aria-activedescendant');
        return id !== null && document.getElementById(id)?.getAttribute('data-addr') === addr;
      },
      String(RAM_BASE + 0x104n),
    );
    const grid = h.page.locator('.grid');
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
    await h.page.waitForFunction(
      (addr) => {
        const id = document.querySelector('.grid')!.getAttribute('aria-activedescendant');
        return id !== null && document.getElementById(id)?.getAttribute('data-addr') === addr;
      },
      String(RAM_BASE + 0x105n),
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

  test('themes: MMIO, ROM and ?? text reach 4.5:1; in high contrast ROM and MMIO differ by more than colour', async () => {
    const measured: string[] = [];
    for (const theme of ['dark', 'light', 'high-contrast'] as const) {
      const h = await browser.open({
        theme,
        init: { reveal: { address: formatHex(MMIO_BASE + 0xc0n) } },
      });
      await waitText(h.page, MMIO_BASE + 5n, '61');
      await h.page.waitForFunction(() => !document.querySelector('.grid-body .cell.stale'));
      const io = cell(h.page, MMIO_BASE + 5n);
      const unpeekable = cell(h.page, MMIO_BASE + 0x80n);
      assert.match((await io.getAttribute('class'))!, /\bk-io\b/);
      assert.match((await unpeekable.getAttribute('class'))!, /\bunpeek\b/);
      const ioDecoration = await io.evaluate((el) => getComputedStyle(el).textDecorationStyle);
      const contrasts: Record<string, number> = {
        mmio: await textContrast(io),
        mmioAscii: await textContrast(cell(h.page, MMIO_BASE + 5n, 'ascii')),
        unpeekable: await textContrast(unpeekable),
      };
      await cell(h.page, MMIO_BASE + 5n).click();
      await h.page.screenshot({ path: screenshotPath(`mmio-${theme}`) });
      await goTo(h, formatHex(ROM_BASE));
      await waitText(h.page, ROM_BASE, '97');
      await h.page.waitForFunction(() => !document.querySelector('.grid-body .cell.stale'));
      const rom = cell(h.page, ROM_BASE + 0x10n);
      assert.match((await rom.getAttribute('class'))!, /\bk-rom\b/);
      contrasts.rom = await textContrast(rom);
      const romDecoration = await rom.evaluate((el) => getComputedStyle(el).textDecorationStyle);
      for (const [what, ratio] of Object.entries(contrasts)) {
        measured.push(`${theme} ${what} ${ratio.toFixed(2)}`);
        assert.ok(ratio >= 4.5, `${what} text in ${theme}: contrast ${ratio.toFixed(2)}:1`);
      }
      if (theme === 'high-contrast') {
        const underlined = await rom.evaluate((el) => getComputedStyle(el).textDecorationLine);
        assert.equal(underlined, 'underline');
        assert.notEqual(romDecoration, ioDecoration, 'ROM and MMIO underlined differently');
      }
      assert.deepEqual(h.problems, []);
      await h.page.close();
    }
    console.log(`contrast: ${measured.join(', ')}`);
  });

  test('Tab switches columns; Shift+Tab from the hex column moves focus to the toolbar', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await cell(h.page, RAM_BASE + 0x100n).click();
    const focusIn = () =>
      h.page.evaluate(() => {
        const active = document.activeElement;
        if (active?.closest('.toolbar')) return 'toolbar';
        return active?.classList.contains('grid') ? 'grid' : (active?.tagName ?? 'none');
      });
    await h.page.keyboard.press('Tab');
    assert.equal(await focusIn(), 'grid');
    await cursorIn(h.page, RAM_BASE + 0x100n, 'ascii');
    // From the ASCII column Shift+Tab goes back to the hex column, still in the grid.
    await h.page.keyboard.press('Shift+Tab');
    assert.equal(await focusIn(), 'grid');
    await cursorIn(h.page, RAM_BASE + 0x100n, 'hex');
    await h.page.keyboard.press('Shift+Tab');
    assert.equal(await focusIn(), 'toolbar');
    // Tab from the toolbar's last control comes back to the grid, on the same cell.
    await h.page.keyboard.press('Tab');
    assert.equal(await focusIn(), 'grid');
    await cursorIn(h.page, RAM_BASE + 0x100n, 'hex');
    assert.deepEqual(h.problems, []);
    await h.page.close();
  });
});
