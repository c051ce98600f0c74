// test-needs: chromium
/**
 * What the hex editor does with a selection, in headless Chromium against the fake host: a region
 * larger than the copy limit is selected whole, copy says when it takes only the first part, the
 * export gets the whole range, and a read with side effects re-reads the registers it affects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HexBrowser } from './hexFixtures/browserHarness';
import { MMIO_BASE, RAM_BASE } from './hexFixtures/fakeMemory';
import { cell, formatHex, statusText, waitStatus, waitText } from './hexFixtures/browserSteps';

let browser: HexBrowser;
before(async () => {
  browser = await HexBrowser.launch();
});
after(async () => {
  await browser?.close();
});

describe('selection actions', () => {
  test('a range over the copy limit is selected whole; copy says it was cut; export takes it all', async () => {
    const length = 0x20000n;
    const h = await browser.open({
      init: { reveal: { address: formatHex(RAM_BASE), length: formatHex(length) } },
    });
    await waitText(h.page, RAM_BASE + 0x10n, '00');
    await h.page.waitForFunction(() =>
      /cursor 0x80000000 .*· 131072 bytes selected/.test(
        document.querySelector('.status-info')!.textContent!,
      ),
    );
    assert.match((await cell(h.page, RAM_BASE + 0x10n).getAttribute('class'))!, /\bsel\b/);
    await h.page.locator('.grid').focus();
    await h.page.keyboard.press('Control+c');
    await waitStatus(h.page, /Copied/);
    assert.match(await statusText(h.page), /^Copied the first 65536 of 131072 bytes as hex/);
    const copied = h.log.copied[0]!;
    assert.equal(copied.split('\n').length, 65536 / 16);
    assert.ok(copied.startsWith('00 00'), copied.slice(0, 20));
    await h.page.locator('#export').click();
    await waitStatus(h.page, /Exported/);
    assert.deepEqual(h.log.exports, [{ address: '0x80000000', length: '0x20000' }]);
    assert.deepEqual(h.problems, []);
    await h.page.close();
  });

  test('a selection within the limit is copied whole, without a warning', async () => {
    const h = await browser.open({
      init: { reveal: { address: formatHex(RAM_BASE + 0x100n), length: '0x5' } },
    });
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await h.page.locator('.grid').focus();
    await h.page.keyboard.press('Control+c');
    await waitStatus(h.page, /Copied/);
    assert.equal(await statusText(h.page), 'Copied 5 bytes as hex');
    assert.deepEqual(h.log.copied, ['48 65 6c 6c 6f']);
    await h.page.close();
  });

  test('a read with side effects re-reads the page: the status register shows the drained FIFO', async () => {
    const h = await browser.open({ init: { reveal: { address: formatHex(MMIO_BASE + 0x80n) } } });
    await waitText(h.page, MMIO_BASE + 5n, '61');
    await cell(h.page, MMIO_BASE).click();
    await h.page.locator('#side-effects').click();
    await waitText(h.page, MMIO_BASE, '41');
    const readsBefore = h.log.pageReads.length;
    await h.page.locator('#side-effects').click();
    await waitText(h.page, MMIO_BASE, '42');
    // The receive FIFO is empty now: LSR's "data ready" bit is clear.
    await waitText(h.page, MMIO_BASE + 5n, '60');
    assert.ok(h.log.pageReads.slice(readsBefore).includes('0x10000000'));
    assert.deepEqual(h.log.sideEffectReads, [
      { address: '0x10000000', count: 1 },
      { address: '0x10000000', count: 1 },
    ]);
    assert.deepEqual(h.problems, []);
    await h.page.close();
  });
});
