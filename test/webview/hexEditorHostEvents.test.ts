// test-needs: chromium
/**
 * How the hex editor follows the host's events, in headless Chromium against the fake host: a
 * topology change forgets the register metadata kept for hover.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HexBrowser } from './hexFixtures/browserHarness';
import { MMIO_BASE } from './hexFixtures/fakeMemory';
import { cell, formatHex, until, waitText } from './hexFixtures/browserSteps';

let browser: HexBrowser;
before(async () => {
  browser = await HexBrowser.launch();
});
after(async () => {
  await browser?.close();
});

describe('hex editor host events', () => {
  test('topologyChanged drops the register metadata: the next hover asks the host again', async () => {
    const h = await browser.open({ init: { reveal: { address: formatHex(MMIO_BASE + 0x80n) } } });
    await waitText(h.page, MMIO_BASE + 5n, '61');
    const hoverLsr = async () => {
      await cell(h.page, MMIO_BASE + 5n).hover();
      await h.page.waitForFunction(() =>
        /uart0\.LSR/.test(document.querySelector('.tooltip:not([hidden])')?.textContent ?? ''),
      );
      await h.page.mouse.move(5, 5);
      await h.page.locator('.tooltip').waitFor({ state: 'hidden' });
    };
    await hoverLsr();
    await hoverLsr();
    assert.deepEqual(h.log.registerInfoReads, ['0x10000000'], 'kept between hovers');
    h.host.emit('topologyChanged', { version: 2 });
    await until(() => h.log.pageReads.filter((a) => a === '0x10000000').length >= 2);
    await hoverLsr();
    assert.deepEqual(h.log.registerInfoReads, ['0x10000000', '0x10000000']);
    assert.deepEqual(h.problems, []);
    await h.page.close();
  });
});
