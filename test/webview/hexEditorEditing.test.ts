// test-needs: chromium
/**
 * Editing details in headless Chromium against the fake host: device (MMIO) writes are not undone
 * by writing the old value back, typing on a page not loaded yet still makes an undoable edit, and
 * failed-write marks clear at the next stop or when the byte reads back as written.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FailedWriteMarks } from '../../src/webview/hexEditor';
import { HexBrowser } from './hexFixtures/browserHarness';
import { MMIO_BASE, RAM_BASE } from './hexFixtures/fakeMemory';
import {
  cell,
  formatHex,
  goTo,
  statusText,
  until,
  waitStatus,
  waitText,
} from './hexFixtures/browserSteps';

let browser: HexBrowser;
before(async () => {
  browser = await HexBrowser.launch();
});
after(async () => {
  await browser?.close();
});

describe('hex editor editing', () => {
  test('MMIO writes are recorded as not undoable; undo never writes the old value back', async () => {
    const h = await browser.open({ init: { reveal: { address: formatHex(MMIO_BASE + 0x80n) } } });
    await waitText(h.page, MMIO_BASE + 5n, '61');
    // A register whose value can be peeked (0x00): undoing must still not write it back.
    await cell(h.page, MMIO_BASE + 1n).click();
    await h.page.keyboard.type('41');
    await waitStatus(h.page, /Wrote/);
    assert.equal(
      await statusText(h.page),
      'Wrote 1 byte at 0x10000001 to MMIO (uart0): device writes cannot be undone',
    );
    // The transmit register (not peekable).
    await cell(h.page, MMIO_BASE).click();
    await h.page.keyboard.type('48');
    await waitStatus(h.page, /Wrote 1 byte at 0x10000000 to MMIO/);
    assert.deepEqual(h.memory.transmitted, [0x48]);
    await h.page.keyboard.press('Control+z');
    await waitStatus(h.page, /Cannot undo/);
    assert.equal(
      await statusText(h.page),
      'Cannot undo the write at 0x10000000 to MMIO (uart0): device writes cannot be undone',
    );
    await h.page.keyboard.press('Control+z');
    await waitStatus(h.page, /Cannot undo the write at 0x10000001/);
    await h.page.keyboard.press('Control+z');
    await waitStatus(h.page, /Nothing to undo/);
    assert.deepEqual(h.memory.transmitted, [0x48], 'no NUL transmitted');
    assert.deepEqual(
      h.memory.writes.map((w) => [formatHex(w.address), w.data]),
      [
        ['0x10000001', [0x41]],
        ['0x10000000', [0x48]],
      ],
    );
    assert.deepEqual(h.problems, []);
    await h.page.close();
  });

  test('typing on a page not loaded yet waits for it, so the edit can be undone', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    const ram = h.memory.regions.find((r) => r.name === 'dram')!.bytes!;
    const target = RAM_BASE + 0x8010n;
    const release = h.holdPageReads();
    await goTo(h, formatHex(target));
    await cell(h.page, target).click();
    assert.match((await cell(h.page, target).getAttribute('class'))!, /\bloading\b/);
    await h.page.keyboard.type('5a');
    await h.page.waitForTimeout(100);
    assert.equal(h.memory.writes.length, 0, 'no write before the old byte is known');
    release();
    await waitStatus(h.page, /Wrote/);
    assert.equal(await statusText(h.page), 'Wrote 1 byte at 0x80008010');
    assert.equal(ram[0x8010], 0x5a);
    await h.page.keyboard.press('Control+z');
    await waitStatus(h.page, /Undid/);
    await until(() => h.memory.writes.length === 2);
    assert.equal(ram[0x8010], 0);
    assert.deepEqual(h.problems, []);
    await h.page.close();
  });

  test('failed-write marks: kept through the re-read that shows the real value, then cleared', () => {
    const marks = new FailedWriteMarks();
    const page = RAM_BASE / 4096n;
    const early = marks.readStarting();
    marks.add(RAM_BASE + 1n);
    marks.pageRead(page, early);
    assert.equal(marks.has(RAM_BASE + 1n), true, 'a read started before the failure');
    marks.pageRead(page, marks.readStarting());
    assert.equal(marks.has(RAM_BASE + 1n), true, 'the re-read showing the real value');
    marks.pageRead(page + 1n, marks.readStarting());
    assert.equal(marks.has(RAM_BASE + 1n), true, 'another page');
    marks.pageRead(page, marks.readStarting());
    assert.equal(marks.has(RAM_BASE + 1n), false);
    marks.add(RAM_BASE + 2n);
    marks.clear();
    assert.equal(marks.size, 0);
  });

  test('a failed-write mark clears on a later re-read of its page and at the next stop', async () => {
    const h = await browser.open();
    await waitText(h.page, RAM_BASE + 0x100n, '48');
    h.memory.failWritesAt = RAM_BASE;
    const failOnce = async (address: bigint) => {
      await cell(h.page, address).click();
      await h.page.keyboard.type('11');
      await waitStatus(h.page, new RegExp(`Write failed at ${formatHex(address)}`));
      await h.page.waitForFunction(
        (a) =>
          document
            .querySelector(`.grid-body [data-col="hex"][data-addr="${a}"]`)!
            .classList.contains('failed'),
        String(address),
      );
    };
    const marked = (address: bigint) =>
      h.page.evaluate(
        (a) =>
          document
            .querySelector(`.grid-body [data-col="hex"][data-addr="${a}"]`)!
            .classList.contains('failed'),
        String(address),
      );
    await failOnce(RAM_BASE + 0x100n);
    await h.page.waitForTimeout(300);
    assert.equal(
      await marked(RAM_BASE + 0x100n),
      true,
      'still marked after the confirming re-read',
    );
    await h.page.locator('#refresh').click();
    await h.page.waitForFunction(
      (a) =>
        !document
          .querySelector(`.grid-body [data-col="hex"][data-addr="${a}"]`)!
          .classList.contains('failed'),
      String(RAM_BASE + 0x100n),
    );
    await failOnce(RAM_BASE + 0x104n);
    h.host.emit('sessionChanged', { state: 'running', name: 'fake session' });
    h.host.emit('sessionChanged', { state: 'stopped', name: 'fake session', reason: 'step' });
    await h.page.waitForFunction(
      (a) =>
        !document
          .querySelector(`.grid-body [data-col="hex"][data-addr="${a}"]`)!
          .classList.contains('failed'),
      String(RAM_BASE + 0x104n),
    );
    assert.equal(await cell(h.page, RAM_BASE + 0x104n).textContent(), '6f');
    assert.deepEqual(h.problems, []);
    await h.page.close();
  });
});
