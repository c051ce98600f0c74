// test-needs: chromium
/**
 * The hex editor's view comes back when the panel is opened again: the webview sends its view to
 * the host (debounced, and when the page goes away), and a new page started with that state as
 * `init.savedState` shows the same top row, cursor, selection and display settings. Also: a hidden
 * panel (no height) keeps its position. Headless Chromium against the fake host.
 */
import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HexEditorViewState } from '../../src/protocol';
import { ViewStateSaver } from '../../src/webview/hexEditor';
import { HexBrowser, screenshotPath } from './hexFixtures/browserHarness';
import { RAM_BASE } from './hexFixtures/fakeMemory';
import { cell, topRowAddress, until, waitText } from './hexFixtures/browserSteps';

let browser: HexBrowser;
before(async () => {
  browser = await HexBrowser.launch();
});
after(async () => {
  await browser?.close();
});

const VIEW: HexEditorViewState = {
  addressSpace: 'memory',
  topAddress: '0x80000040',
  cursor: '0x80000123',
  anchor: '0x80000120',
  grouping: 4,
  littleEndian: true,
  inspectorOpen: false,
  column: 'ascii',
};

describe('view state saved to the host', () => {
  test('the saver writes the webview state at once and the host copy once the view settles', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const local: string[] = [];
      const sent: string[] = [];
      const saver = new ViewStateSaver(
        (s) => local.push(s.cursor),
        (s) => sent.push(s.cursor),
        500,
      );
      saver.save({ ...VIEW, cursor: '0x1' });
      mock.timers.tick(300);
      saver.save({ ...VIEW, cursor: '0x2' });
      saver.save({ ...VIEW, cursor: '0x2' });
      mock.timers.tick(499);
      assert.deepEqual(sent, [], 'nothing sent while the view keeps changing');
      mock.timers.tick(1);
      assert.deepEqual(local, ['0x1', '0x2']);
      assert.deepEqual(sent, ['0x2']);
      saver.save({ ...VIEW, cursor: '0x3' });
      saver.flush();
      saver.flush();
      assert.deepEqual(sent, ['0x2', '0x3'], 'flush sends the latest state once');
      mock.timers.tick(1000);
      assert.deepEqual(sent, ['0x2', '0x3']);
    } finally {
      mock.timers.reset();
    }
  });

  test('a closed and reopened editor shows the last view: top row, cursor, settings, column', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await h.page.evaluate(() => {
      const select = document.querySelector('#grouping') as HTMLElement & { value: string };
      select.value = '2';
      select.dispatchEvent(new Event('change'));
      const box = document.querySelector('#endian') as HTMLElement & { checked: boolean };
      box.checked = true;
      box.dispatchEvent(new Event('change'));
    });
    await h.page.locator('#inspector').click();
    await cell(h.page, RAM_BASE + 0x130n).click();
    await h.page.keyboard.press('Tab');
    const top = await topRowAddress(h.page);
    await until(() => h.log.savedViewStates.at(-1)?.column === 'ascii');
    const sent = h.log.savedViewStates.at(-1)!;
    assert.deepEqual(sent, {
      addressSpace: 'memory',
      topAddress: `0x${top.toString(16)}`,
      cursor: '0x80000130',
      anchor: '0x80000130',
      grouping: 2,
      littleEndian: true,
      inspectorOpen: false,
      column: 'ascii',
    });
    assert.ok(h.log.savedViewStates.length <= 3, `${h.log.savedViewStates.length} saves sent`);
    await h.page.close();

    // A new page (the panel opened again): no webview state of its own, the host's copy instead.
    const again = await browser.open({ init: { reveal: undefined, savedState: VIEW } });
    await waitText(again.page, RAM_BASE + 0x123n, '00');
    assert.equal(await topRowAddress(again.page), RAM_BASE + 0x40n, 'saved top on the first row');
    await again.page.waitForFunction(() =>
      /cursor 0x80000123 .*· 4 bytes selected/.test(
        document.querySelector('.status-info')!.textContent!,
      ),
    );
    assert.match(
      (await cell(again.page, RAM_BASE + 0x123n, 'ascii').getAttribute('class'))!,
      /\bcur\b/,
    );
    assert.match((await cell(again.page, RAM_BASE + 0x123n).getAttribute('class'))!, /\bcur2\b/);
    const settings = await again.page.evaluate(() => ({
      grouping: (document.querySelector('#grouping') as HTMLElement & { value: string }).value,
      endian: (document.querySelector('#endian') as HTMLElement & { checked: boolean }).checked,
      inspectorHidden: (document.querySelector('.inspector') as HTMLElement).hidden,
    }));
    assert.deepEqual(settings, { grouping: '4', endian: true, inspectorHidden: true });
    // Words little-endian: the row's first group shows byte 3 first.
    const head = await again.page.locator('.grid-head .head-cell').first().textContent();
    assert.equal(head, '03');
    await again.page.screenshot({ path: screenshotPath('reopened-dark') });
    await again.page.close();
  });

  test('the webview state wins over the host copy; with a reveal only the settings apply', async () => {
    const own = { ...VIEW, topAddress: '0x80000080', cursor: '0x80000085', anchor: '0x80000085' };
    const h = await browser.open({ state: own, init: { reveal: undefined, savedState: VIEW } });
    await waitText(h.page, RAM_BASE + 0x85n, '00');
    assert.equal(await topRowAddress(h.page), RAM_BASE + 0x80n);
    await h.page.close();
    const revealed = await browser.open({
      init: { reveal: { address: '0x80000200' }, savedState: VIEW },
    });
    await revealed.page.waitForFunction(() =>
      /cursor 0x80000200/.test(document.querySelector('.status-info')!.textContent!),
    );
    assert.match(
      (await cell(revealed.page, RAM_BASE + 0x200n, 'ascii').getAttribute('class'))!,
      /\bcur\b/,
    );
    assert.equal(
      await revealed.page.evaluate(
        () => (document.querySelector('#grouping') as HTMLElement & { value: string }).value,
      ),
      '4',
    );
    await revealed.page.close();
  });

  test('hiding the panel and showing it again keeps the top row and the cursor', async () => {
    const h = await browser.open({ init: { reveal: undefined, savedState: VIEW } });
    await waitText(h.page, RAM_BASE + 0x123n, '00');
    await h.page.evaluate(() => (document.body.style.display = 'none'));
    await h.page.waitForTimeout(200);
    await h.page.evaluate(() => (document.body.style.display = ''));
    await h.page.waitForTimeout(200);
    assert.equal(await topRowAddress(h.page), RAM_BASE + 0x40n);
    await until(() => h.log.savedViewStates.length > 0);
    await h.page.waitForTimeout(600);
    assert.equal(h.log.savedViewStates.at(-1)!.topAddress, '0x80000040');
    await h.page.close();
  });
});
