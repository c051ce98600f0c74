/**
 * The views in a real VS Code (code-server): open examples/remap.board, the Memory Tree shows its
 * regions; edit the file and the tree follows; the flat view draws the map, explains an address
 * and reveals a clicked region in the tree. In Restricted Mode the tree still works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, startSession, type Session } from './harness';

const remapPath = join(EXAMPLES, 'remap.board');
const remapText = readFileSync(remapPath, 'utf8');
const remapLines = remapText.split('\n');

/** The edit test must never leave examples/remap.board changed (VS Code may save the buffer). */
function restoreRemap(): void {
  if (readFileSync(remapPath, 'utf8') !== remapText) writeFileSync(remapPath, remapText);
}

async function treeRow(session: Session, label: string, timeout = 20_000) {
  const row = session.workbench
    .view('Memory Tree')
    .locator('.monaco-list-row')
    .filter({
      has: session.workbench.page.locator('.label-name', {
        hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      }),
    })
    .first();
  await row.waitFor({ state: 'visible', timeout });
  return row;
}

describe('Memory Tree and flat view in code-server', { timeout: 300_000 }, () => {
  let session: Session;
  before(async () => {
    session = await startSession({ trust: 'trust' });
  });
  after(async () => {
    await session?.stop();
    restoreRemap();
  });

  test('opening remap.board shows its regions as info mtree nests them', async () => {
    await session.workbench.openFile('remap.board');
    await session.workbench.openViewContainer('Boardmap');
    await treeRow(session, 'address-space: memory');
    await treeRow(session, 'system');
    const alias = await treeRow(session, 'sram-remap');
    assert.match(
      await alias.innerText(),
      /0000000000000000-000000000000ffff \(prio 1, ram\) → @sram .*\[disabled\]/,
    );
    const rom = await treeRow(session, 'boot-rom');
    assert.match(await rom.innerText(), /\(prio 0, rom\)/);
    assert.match(
      (await rom.getAttribute('aria-label')) ?? '',
      /^ROM boot-rom, 64 KiB at 0x0, priority 0$/,
    );
    await session.workbench.screenshot('views-tree');
  });

  test('editing the board updates the tree', async () => {
    const { page } = session.workbench;
    const line = remapLines.findIndex((l) => l.includes('ram sram @')) + 1;
    assert.ok(line > 0);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('ram scratch @ 0x3000_0000 size 4K max-size 64K');
    const row = await treeRow(session, 'scratch');
    // The tree may first show the line as typed so far; the whole line makes it resizeable RAM.
    await row.filter({ hasText: '[resizeable]' }).waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(
      await row.innerText(),
      /0000000030000000-0000000030000fff \(prio 0, ram\) \[resizeable\]/,
    );
    assert.match(
      (await row.getAttribute('aria-label')) ?? '',
      /^RAM scratch, 4 KiB at 0x30000000, priority 0, resizeable up to 64 KiB$/,
    );
    // The Markdown tooltip (resolved lazily by the provider) names the max size.
    await row.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Resizeable up to 64 KiB (0x10000)' });
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    await session.workbench.screenshot('views-tree-resizeable-tooltip');
    await session.workbench.screenshot('views-tree-edited');
  });

  test('the flat view draws the map, explains an address and reveals a clicked region', async () => {
    await session.workbench.runCommand('Boardmap: Show Flat View');
    const frame = await session.workbench.webview('Flat View', 30_000);
    await frame.locator('.seg.range').first().waitFor({ timeout: 15_000 });
    const names = await frame.$$eval('.seg.range .seg-name', (els) =>
      els.map((e) => e.textContent),
    );
    for (const name of ['boot-rom', 'sram', 'scratch'])
      assert.ok(names.includes(name), `${name} in ${JSON.stringify(names)}`);
    await frame.locator('#resolver-input').click();
    await session.workbench.page.keyboard.type('0x0');
    await session.workbench.page.keyboard.press('Enter');
    await frame.locator('.resolver-summary').waitFor({ timeout: 10_000 });
    assert.match(
      (await frame.locator('.resolver-summary').innerText()) ?? '',
      /answered by boot-rom/,
    );
    assert.match(
      await frame.locator('.resolver-hidden').innerText(),
      /sram-remap \(prio 1\) disabled/,
    );
    await frame.locator('.seg.range', { hasText: 'scratch' }).click();
    await frame.locator('.status', { hasText: 'Revealed scratch.' }).waitFor({ timeout: 10_000 });
    const selected = session.workbench.view('Memory Tree').locator('.monaco-list-row.selected');
    await selected.filter({ hasText: 'scratch' }).waitFor({ timeout: 10_000 });
    await session.workbench.screenshot('views-flat-view');
    // The tree's context menu: Show in Flat View selects the region there. A click that lands as
    // the menu opens is ignored by VS Code (the menu stays open with the item highlighted, seen in
    // a screenshot), so the item is chosen as a user of the keyboard would: hover it, then Enter.
    // One more attempt on a miss, keeping a screenshot of it; the assertion is unchanged.
    const sramSelected = frame.locator('.seg.selected', { hasText: 'sram' }).first();
    for (let attempt = 1; ; attempt++) {
      const sram = await treeRow(session, 'sram');
      await sram.click({ button: 'right' });
      const item = session.workbench.page.locator('.context-view .action-label', {
        hasText: 'Show in Flat View',
      });
      await item.hover();
      await session.workbench.page.keyboard.press('Enter');
      try {
        await sramSelected.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt >= 2) throw error;
        await session.workbench.screenshot('views-show-in-flat-view-missed');
        console.warn('Show in Flat View: sram not selected after 10 s; choosing it again');
        await session.workbench.page.keyboard.press('Escape');
      }
    }
    // The inline action reveals the declaration in the board file.
    const rom = await treeRow(session, 'boot-rom');
    await rom.hover();
    await rom.locator('.action-label[aria-label="Reveal in Board File"]').click();
    const romLine = remapLines.findIndex((l) => l.includes('rom boot-rom')) + 1;
    await session.workbench.page
      .locator('.statusbar-item', { hasText: new RegExp(`Ln ${romLine}, Col \\d+`) })
      .first()
      .waitFor({ timeout: 10_000 });
    await session.workbench.screenshot('views-tree-actions');
    // Discard the edit so the example file stays as committed.
    await session.workbench.page.locator('.monaco-editor .view-lines').first().click();
    await session.workbench.runCommand('File: Revert File');
    assert.deepEqual(
      session.workbench.errors().filter((e) => /boardmap|flatView/i.test(e)),
      [],
    );
  });
});

describe('Memory Tree in Restricted Mode', { timeout: 180_000 }, () => {
  let session: Session;
  before(async () => {
    session = await startSession({ trust: 'restricted' });
  });
  after(async () => {
    await session?.stop();
  });

  test('board files still show their tree without trust', async () => {
    await session.workbench.openFile('remap.board');
    await session.workbench.openViewContainer('Boardmap');
    try {
      await treeRow(session, 'boot-rom', 40_000);
    } finally {
      await session.workbench.screenshot('views-tree-restricted');
    }
  });
});

// The live machine needs the adapter's side of the topology protocol (answerTopologyRequest from
// src/debug/topology.ts wired into the adapter); until the adapter has it, this suite is skipped
// with that reason rather than pretending.
const debugDir = join(__dirname, '..', '..', 'src', 'debug');
const adapterSpeaksTopology = readdirSync(debugDir)
  .filter((f) => f.endsWith('.ts') && f !== 'topology.ts')
  .some((f) => readFileSync(join(debugDir, f), 'utf8').includes('answerTopologyRequest'));

describe(
  'Memory Tree on the live machine (remap demo)',
  {
    timeout: 300_000,
    skip: adapterSpeaksTopology ? false : 'the debug adapter does not answer boardmap/topology yet',
  },
  () => {
    let session: Session;
    before(async () => {
      session = await startSession({ trust: 'trust' });
    });
    after(async () => {
      await session?.stop();
    });

    test('F5 on remap.board stops at the REMAP write; stepping over it enables the alias live', async () => {
      const { page } = session.workbench;
      const source = readFileSync(join(EXAMPLES, 'firmware', 'src', 'remap.c'), 'utf8').split('\n');
      const line = source.findIndex((l) => l.includes('write_word(SYSCTL_REMAP, 1);')) + 1;
      await session.workbench.openFile('firmware/src/remap.c');
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      await page.keyboard.press('F9');
      await session.workbench.openFile('remap.board');
      await session.workbench.openViewContainer('Boardmap');
      await page.keyboard.press('F5');
      // The machine status bar item says where the machine stopped.
      await page
        .locator('.statusbar-item', { hasText: 'remap.board: paused (breakpoint)' })
        .waitFor({ timeout: 60_000 });
      // Debugging switched the side bar to Run and Debug; come back to the Memory Tree, whose
      // description (in the side bar title when it is the container's only view) says it is live.
      await session.workbench.openViewContainer('Boardmap');
      try {
        await page
          .locator('.part.sidebar')
          .getByText(/^live: remap\.board/)
          .first()
          .waitFor({ state: 'attached', timeout: 30_000 });
      } finally {
        await session.workbench.screenshot('views-live-stopped');
      }
      const before = await treeRow(session, 'sram-remap');
      assert.match(await before.innerText(), /\[disabled\]/);
      await session.workbench.screenshot('views-live-before-remap');
      await page.keyboard.press('F10');
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row')).some(
            (r) => r.textContent?.includes('sram-remap') && !r.textContent.includes('[disabled]'),
          ),
        null,
        { timeout: 30_000 },
      );
      await session.workbench.runCommand('Boardmap: Show Flat View');
      const frame = await session.workbench.webview('Flat View', 30_000);
      await frame.locator('.seg.range').first().waitFor({ timeout: 15_000 });
      assert.equal(await frame.locator('.seg.range .seg-name').first().innerText(), 'sram');
      await session.workbench.screenshot('views-live-after-remap');
      // The user disables the alias from the tree (inline action on a live machine).
      const alias = await treeRow(session, 'sram-remap');
      await alias.hover();
      await alias.locator('.action-label[aria-label="Disable Region"]').click();
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row')).some(
            (r) => r.textContent?.includes('sram-remap') && r.textContent.includes('[disabled]'),
          ),
        null,
        { timeout: 15_000 },
      );
      await frame
        .locator('.seg.range .seg-name', { hasText: 'boot-rom' })
        .first()
        .waitFor({ timeout: 15_000 });
      await session.workbench.screenshot('views-live-disabled-from-tree');
      // Stopping the machine brings back the board file's static map.
      await page.keyboard.press('Shift+F5');
      await page
        .locator('.part.sidebar')
        .getByText(/^remap\.board$/)
        .first()
        .waitFor({ state: 'attached', timeout: 30_000 });
      assert.match(await (await treeRow(session, 'sram-remap')).innerText(), /\[disabled\]/);
    });
  },
);
