// test-needs: chromium
/**
 * The hex editor webview in headless Chromium against a fake adapter (test/webview/hexFixtures):
 * rendering, region overlay, MMIO cells, scrolling far, editing, undo/redo, ROM refusal, failed
 * writes, inspector, live refresh, state restore. Screenshots go to test-results/hex-editor/.
 * Themes and keyboard access: hexEditorAccessibility.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { HexBrowser, screenshotPath, type HexPage } from './hexFixtures/browserHarness';
import { HIGH_RAM_BASE, MMIO_BASE, RAM_BASE, ROM_BASE } from './hexFixtures/fakeMemory';
import { cell, formatHex, goTo, statusText, until, waitText } from './hexFixtures/browserSteps';

let browser: HexBrowser;
before(async () => {
  browser = await HexBrowser.launch();
});
after(async () => {
  await browser?.close();
});

async function textOf(page: Page, address: bigint, col: 'hex' | 'ascii' = 'hex') {
  await cell(page, address, col).waitFor();
  return (await cell(page, address, col).textContent()) ?? '';
}

async function cursorAt(h: HexPage, address: bigint) {
  await cell(h.page, address).click();
}

function assertNoProblems(h: HexPage) {
  assert.deepEqual(h.problems, [], 'console errors or CSP violations');
}

describe('hex editor webview', () => {
  test('renders RAM with absolute addresses, region labels, inspector, under the strict CSP', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    assert.equal(await textOf(h.page, RAM_BASE + 0x104n, 'ascii'), 'o');
    const firstAddress = await h.page.locator('.grid-body .grid-row .addr').first().textContent();
    assert.match(firstAddress!, /^00000000_800000[0-9a-f]0$/);
    const label = await h.page.locator('.grid-body .grid-row .label').first().textContent();
    assert.equal(label, '▸ dram (RAM)', 'the region starts on the first row');
    assert.ok((await cell(h.page, RAM_BASE + 0x100n).getAttribute('class'))!.includes('k-ram'));
    // Inspector at the revealed cursor: 'H' = 0x48.
    await goTo(h, '0x80000200');
    await cursorAt(h, RAM_BASE + 0x200n);
    const u32 = h.page.locator('.inspector tr[data-type="u32"] td');
    await h.page.waitForFunction(
      () =>
        document.querySelector('.inspector tr[data-type="u32"] td:nth-child(2)')?.textContent ===
        '3735928559',
    );
    assert.equal(await u32.nth(2).textContent(), '4022250974');
    await cursorAt(h, RAM_BASE + 0x208n);
    await h.page.waitForFunction(
      () =>
        document.querySelector('.inspector tr[data-type="f64"] td:nth-child(2)')?.textContent ===
        String(Math.PI),
    );
    const grid = h.page.locator('.grid');
    assert.equal(await grid.getAttribute('role'), 'grid');
    const active = await grid.getAttribute('aria-activedescendant');
    assert.match(
      (await h.page.locator(`#${active}`).getAttribute('aria-label'))!,
      /0x0*80000208: 18, dram RAM/,
    );
    await h.page.screenshot({ path: screenshotPath('ram-dark') });
    assertNoProblems(h);
    await h.page.close();
  });

  test('MMIO: unpeekable cells are ??, holes are --, boundaries marked, registers on hover', async () => {
    const h = await browser.open({ init: { reveal: { address: formatHex(MMIO_BASE + 0x80n) } } });
    await waitText(h.page, MMIO_BASE + 5n, '61');
    assert.equal(await textOf(h.page, MMIO_BASE), '??');
    assert.match(
      (await cell(h.page, MMIO_BASE).getAttribute('class'))!,
      /\bunpeek\b.*|.*\bunpeek\b/,
    );
    assert.equal(await textOf(h.page, MMIO_BASE + 0x80n), '??');
    assert.equal(await textOf(h.page, MMIO_BASE + 0x100n), '--');
    assert.match((await cell(h.page, MMIO_BASE + 0x100n).getAttribute('class'))!, /k-hole/);
    assert.match((await cell(h.page, MMIO_BASE, 'ascii').getAttribute('class'))!, /\brb\b/);
    assert.match(
      (await cell(h.page, MMIO_BASE + 0x100n, 'ascii').getAttribute('class'))!,
      /\brb\b/,
    );
    const labels = await h.page.locator('.grid-body .label').allTextContents();
    assert.ok(labels.includes('▸ uart0 (MMIO)'), labels.join('|'));
    assert.ok(labels.includes('▸ unmapped'), labels.join('|'));
    // Hover on LSR: register name and decoded fields.
    await cell(h.page, MMIO_BASE + 5n).hover();
    await h.page.locator('.tooltip:not([hidden])').waitFor();
    const tip = (await h.page.locator('.tooltip').textContent())!;
    assert.match(tip, /0x10000005 — uart0 \(MMIO\), offset 0x5/);
    assert.match(tip, /uart0\.LSR/);
    assert.match(tip, /THRE\[5\] = 1/);
    assert.match(tip, /DR\[0\] = 1/);
    await h.page.screenshot({ path: screenshotPath('mmio-hover-dark') });
    // Explicit read with side effects pops the receive FIFO and shows the value.
    await cursorAt(h, MMIO_BASE);
    await h.page.locator('#side-effects').click();
    await waitText(h.page, MMIO_BASE, '41');
    assert.match((await cell(h.page, MMIO_BASE).getAttribute('class'))!, /\bse\b/);
    assert.match(await statusText(h.page), /with side effects: 41/);
    assert.equal(h.memory.readEx(MMIO_BASE, 1, true).data, 'Qg==', 'FIFO advanced to B');
    assertNoProblems(h);
    await h.page.close();
  });

  test('scrolls over the whole 64-bit space: end, middle, wheel, thumb drag', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await h.page.locator('.grid').focus();
    await h.page.keyboard.press('Control+End');
    await waitText(h.page, HIGH_RAM_BASE + 0xfffn, 'a5');
    const rows = h.page.locator('.grid-body .grid-row:not([hidden]) .addr');
    assert.equal(await rows.last().textContent(), 'ffffffff_fffffff0');
    const thumb = await h.page.locator('.vthumb').boundingBox();
    const track = await h.page.locator('.vscrollbar').boundingBox();
    assert.ok(
      Math.abs(thumb!.y + thumb!.height - (track!.y + track!.height)) < 2,
      'thumb at the bottom',
    );
    await h.page.screenshot({ path: screenshotPath('end-of-space-dark') });
    // Drag the thumb to the middle: the top row is near 2^63.
    await h.page.mouse.move(thumb!.x + 5, thumb!.y + 5);
    await h.page.mouse.down();
    await h.page.mouse.move(thumb!.x + 5, track!.y + (track!.height - thumb!.height) / 2 + 5, {
      steps: 4,
    });
    await h.page.mouse.up();
    await h.page.waitForFunction(
      () =>
        !document
          .querySelector('.grid-body .grid-row .addr')!
          .textContent!.startsWith('ffffffff_ff'),
    );
    const mid = BigInt(`0x${(await rows.first().textContent())!.replace('_', '')}`);
    const half = 1n << 63n;
    const diff = mid > half ? mid - half : half - mid;
    assert.ok(diff < 1n << 58n, `top after drag 0x${mid.toString(16)}`);
    await waitText(h.page, mid, '--');
    // Wheel scrolls by rows, exactly.
    await h.page.mouse.move(400, 300);
    const before = BigInt(`0x${(await rows.first().textContent())!.replace('_', '')}`);
    const step = await h.page.evaluate(
      () => document.querySelector('.grid-body .grid-row')!.getBoundingClientRect().height,
    );
    await h.page.mouse.wheel(0, step * 3);
    await h.page.waitForFunction(
      (b) =>
        document.querySelector('.grid-body .grid-row .addr')!.textContent!.replace('_', '') !== b,
      before.toString(16).padStart(16, '0'),
    );
    const afterWheel = BigInt(`0x${(await rows.first().textContent())!.replace('_', '')}`);
    assert.equal(afterWheel - before, 48n);
    // Home of the space.
    await h.page.locator('.grid').focus();
    await h.page.keyboard.press('Control+Home');
    await h.page.waitForFunction(
      () =>
        document.querySelector('.grid-body .grid-row .addr')?.textContent === '00000000_00000000',
    );
    await waitText(h.page, 0n, '--');
    // Reads stay proportional to what was shown: a handful of pages per position.
    assert.ok(h.log.pageReads.length < 60, `${h.log.pageReads.length} page reads`);
    assertNoProblems(h);
    await h.page.close();
  });

  test('the page cache stays bounded while the thumb sweeps the whole space', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    const readsBefore = h.log.pageReads.length;
    const track = (await h.page.locator('.vscrollbar').boundingBox())!;
    const thumb = (await h.page.locator('.vthumb').boundingBox())!;
    await h.page.mouse.move(thumb.x + 5, thumb.y + 2);
    await h.page.mouse.down();
    let most = 0;
    for (let i = 1; i <= 120; i++) {
      await h.page.mouse.move(thumb.x + 5, track.y + 2 + ((track.height - 24) * i) / 120);
      await h.page.waitForTimeout(15);
      most = Math.max(
        most,
        Number(await h.page.locator('.grid').getAttribute('data-cached-pages')),
      );
    }
    await h.page.mouse.up();
    const reads = h.log.pageReads.length - readsBefore;
    assert.ok(reads > 100, `only ${reads} pages read while sweeping`);
    assert.ok(most > 0 && most <= 64, `the cache held ${most} pages`);
    assertNoProblems(h);
    await h.page.close();
  });

  test('edits in hex and ASCII are written at once; undo and redo write back', async () => {
    const h = await browser.open();
    const ram = h.memory.regions.find((r) => r.name === 'dram')!.bytes!;
    await cursorAt(h, RAM_BASE + 0x100n);
    await h.page.keyboard.type('4a');
    await waitText(h.page, RAM_BASE + 0x100n, '4a');
    assert.equal(ram[0x100], 0x4a);
    await h.page.keyboard.press('Tab');
    await h.page.keyboard.type('Z');
    await waitText(h.page, RAM_BASE + 0x101n, '5a');
    assert.equal(ram[0x101], 0x5a);
    assert.match(await statusText(h.page), /Wrote 1 byte at 0x80000101/);
    await h.page.screenshot({ path: screenshotPath('edited-dark') });
    await h.page.keyboard.press('Control+z');
    await waitText(h.page, RAM_BASE + 0x101n, '65');
    await h.page.locator('#undo').click();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    assert.deepEqual([ram[0x100], ram[0x101]], [0x48, 0x65]);
    await h.page.locator('.grid').focus();
    await h.page.keyboard.press('Control+y');
    await waitText(h.page, RAM_BASE + 0x100n, '4a');
    assert.equal(ram[0x100], 0x4a);
    assert.deepEqual(
      h.memory.writes.map((w) => [w.address - RAM_BASE, w.data[0]]),
      [
        [0x100n, 0x4a],
        [0x101n, 0x5a],
        [0x101n, 0x65],
        [0x100n, 0x48],
        [0x100n, 0x4a],
      ],
    );
    assertNoProblems(h);
    await h.page.close();
  });

  test('writes into ROM are refused with a message; failed writes are shown', async () => {
    const h = await browser.open({ init: { reveal: { address: formatHex(ROM_BASE) } } });
    await waitText(h.page, ROM_BASE, '97');
    assert.match((await cell(h.page, ROM_BASE).getAttribute('class'))!, /k-rom/);
    await cursorAt(h, ROM_BASE);
    await h.page.keyboard.type('00');
    await h.page.waitForFunction(() =>
      /refused/.test(document.querySelector('.status-message')!.textContent!),
    );
    assert.match(await statusText(h.page), /mrom is ROM: writes into ROM are refused \(0x1000\)/);
    assert.equal(h.memory.writes.length, 0);
    assert.equal(await textOf(h.page, ROM_BASE), '97');
    assert.equal(h.log.notifications[0]?.severity, 'warning');
    await h.page.screenshot({ path: screenshotPath('rom-refused-dark') });
    // A write the adapter rejects is reported, the cell flagged, and the real value kept.
    h.memory.failWritesAt = RAM_BASE;
    await goTo(h, '0x80000100');
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await cursorAt(h, RAM_BASE + 0x100n);
    await h.page.keyboard.type('11');
    await h.page.waitForFunction(() =>
      /Write failed/.test(document.querySelector('.status-message')!.textContent!),
    );
    assert.match(
      await statusText(h.page),
      /Write failed at 0x80000100: 0 of 1 bytes written — bus error at 0x80000100/,
    );
    assert.match((await cell(h.page, RAM_BASE + 0x100n).getAttribute('class'))!, /\bfailed\b/);
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    assert.equal(h.log.notifications.at(-1)?.severity, 'error');
    assertNoProblems(h);
    await h.page.close();
  });

  test('go to symbol, relative offsets, regions; copy and export the selection', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await goTo(h, 'nosuchthing');
    await h.page.waitForFunction(() =>
      /Cannot go to/.test(document.querySelector('.status-message')!.textContent!),
    );
    assert.match(await statusText(h.page), /no symbol 'nosuchthing'/);
    await goTo(h, 'greeting');
    await h.page.waitForFunction(() =>
      /greeting = 0x80000100/.test(document.querySelector('.status-message')!.textContent!),
    );
    await goTo(h, '+0x10');
    await h.page.waitForFunction(() =>
      /cursor 0x80000110 in dram \+0x110/.test(
        document.querySelector('.status-info')!.textContent!,
      ),
    );
    // Go to region through the select's change event.
    await h.page.waitForFunction(
      () => document.querySelectorAll('#region vscode-option').length === 5,
    );
    await h.page.evaluate(() => {
      const select = document.querySelector('#region') as HTMLElement & { value: string };
      select.value = 'system/uart0';
      select.dispatchEvent(new Event('change'));
    });
    await waitText(h.page, MMIO_BASE + 5n, '61');
    assert.equal(
      await h.page.locator('.grid-body .grid-row .addr').first().textContent(),
      '00000000_10000000',
    );
    // Select 0x80000100..0x80000104 with shift+click and copy.
    await goTo(h, '0x80000100');
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await cursorAt(h, RAM_BASE + 0x100n);
    await cell(h.page, RAM_BASE + 0x104n).click({ modifiers: ['Shift'] });
    await h.page.keyboard.press('Control+c');
    await h.page.waitForFunction(() =>
      /Copied 5 bytes/.test(document.querySelector('.status-message')!.textContent!),
    );
    assert.deepEqual(h.log.copied, ['48 65 6c 6c 6f']);
    await h.page.locator('#export').click();
    await h.page.waitForFunction(() =>
      /Exported 5 bytes/.test(document.querySelector('.status-message')!.textContent!),
    );
    assert.deepEqual(h.log.exports, [{ address: '0x80000100', length: '0x5' }]);
    assertNoProblems(h);
    await h.page.close();
  });

  test('grouping shows words little-endian; live refresh and changed-since-stop highlight', async () => {
    const h = await browser.open({ init: { reveal: { address: '0x80000200' } } });
    await waitText(h.page, RAM_BASE + 0x200n, 'ef');
    await h.page.evaluate(() => {
      const select = document.querySelector('#grouping') as HTMLElement & { value: string };
      select.value = '4';
      select.dispatchEvent(new Event('change'));
      const box = document.querySelector('#endian') as HTMLElement & { checked: boolean };
      box.checked = true;
      box.dispatchEvent(new Event('change'));
    });
    // The word at 0x80000200 (ef be ad de in memory) reads deadbeef left to right.
    await h.page.waitForFunction(() => {
      const row = Array.from(document.querySelectorAll('.grid-body .grid-row')).find((r) =>
        r.querySelector('.addr')!.textContent!.endsWith('80000200'),
      );
      return (
        row &&
        Array.from(row.querySelectorAll('.hex .cell'))
          .slice(0, 4)
          .map((c) => c.textContent)
          .join('') === 'deadbeef'
      );
    });
    // Running: memory changes arrive as events and are applied at a bounded rate.
    h.host.emit('sessionChanged', { state: 'running', name: 'fake session' });
    h.memory.write(RAM_BASE + 0x100n, Uint8Array.of(0x21));
    h.host.emit('memoryChanged', { ranges: [{ start: '0x80000100', end: '0x80000101' }] });
    await waitText(h.page, RAM_BASE + 0x100n, '21');
    const readsBefore = h.log.pageReads.length;
    h.host.emit('sessionChanged', { state: 'stopped', name: 'fake session', reason: 'breakpoint' });
    // The stop re-reads the page; its value at this stop is what the fake answered then.
    await until(() => h.log.pageReads.slice(readsBefore).includes('0x80000000'));
    h.host.emit('sessionChanged', { state: 'running', name: 'fake session' });
    h.memory.write(RAM_BASE + 0x102n, Uint8Array.of(0x77));
    h.host.emit('sessionChanged', { state: 'stopped', name: 'fake session', reason: 'step' });
    await waitText(h.page, RAM_BASE + 0x102n, '77');
    assert.match((await cell(h.page, RAM_BASE + 0x102n).getAttribute('class'))!, /\bchg\b/);
    assert.doesNotMatch((await cell(h.page, RAM_BASE + 0x100n).getAttribute('class'))!, /\bchg\b/);
    await h.page.screenshot({ path: screenshotPath('words-changed-dark') });
    assertNoProblems(h);
    await h.page.close();
  });

  test('state is restored when the webview is reopened', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    await cursorAt(h, RAM_BASE + 0x123n);
    await until(() => (h.savedState() as { cursor?: string })?.cursor === '0x80000123');
    const state = h.savedState() as { cursor: string; addressSpace: string };
    assert.equal(state.cursor, '0x80000123');
    await h.page.close();
    const again = await browser.open({ state, init: { reveal: undefined } });
    await waitText(again.page, RAM_BASE + 0x123n, '00');
    await again.page.waitForFunction(() =>
      /cursor 0x80000123/.test(document.querySelector('.status-info')!.textContent!),
    );
    await again.page.close();
  });

  test('without a session: an explanation and no reads; a narrow panel stacks the inspector', async () => {
    const h = await browser.open({ init: { session: { state: 'none' } } });
    await h.page.setViewportSize({ width: 900, height: 700 });
    await h.page.locator('.overlay:not([hidden])').waitFor();
    assert.match((await h.page.locator('.overlay').textContent())!, /No Boardmap debug session/);
    await h.page.waitForSelector('.main.stacked');
    assert.deepEqual(h.log.pageReads, []);
    const hexBox = await h.page.locator('.grid-body .grid-row .label').first().boundingBox();
    assert.ok(hexBox && hexBox.x < 900, 'all grid columns fit the narrow panel');
    await h.page.screenshot({ path: screenshotPath('no-session-narrow-dark') });
    h.host.emit('sessionChanged', { state: 'stopped', name: 'fake session', reason: 'entry' });
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    assert.equal(await h.page.locator('.overlay').isHidden(), true);
    await h.page.screenshot({ path: screenshotPath('narrow-dark') });
    assertNoProblems(h);
    await h.page.close();
  });
});
