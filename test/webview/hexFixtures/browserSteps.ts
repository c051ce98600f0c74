/**
 * Small steps the hex editor's Chromium tests share: finding cells, waiting for their text, the
 * go-to box, the status line, and polling the fake host.
 */
import type { Page } from 'playwright-core';
import type { HexPage } from './browserHarness';

export const cell = (page: Page, address: bigint, col: 'hex' | 'ascii' = 'hex') =>
  page.locator(`.grid-body [data-col="${col}"][data-addr="${address}"]`);

export async function waitText(
  page: Page,
  address: bigint,
  expected: string,
  col: 'hex' | 'ascii' = 'hex',
): Promise<void> {
  await page.waitForFunction(
    ([a, c, e]) =>
      document.querySelector(`.grid-body [data-col="${c}"][data-addr="${a}"]`)?.textContent === e,
    [String(address), col, expected] as const,
    { timeout: 5000 },
  );
}

export async function waitStatus(page: Page, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) =>
      new RegExp(source).test(document.querySelector('.status-message')?.textContent ?? ''),
    pattern.source,
    { timeout: 5000 },
  );
}

export async function statusText(page: Page): Promise<string> {
  return (await page.locator('.status-message').textContent()) ?? '';
}

export async function goTo(h: HexPage, text: string): Promise<void> {
  await h.page.locator('#goto input').fill(text);
  await h.page.locator('#goto input').press('Enter');
}

/** The address of the first row shown. */
export async function topRowAddress(page: Page): Promise<bigint> {
  const text = await page.locator('.grid-body .grid-row .addr').first().textContent();
  return BigInt(`0x${text!.replace('_', '')}`);
}

/** Polls a condition on the Node side (the fake host), failing after `ms`. */
export async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms: ${condition}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function formatHex(value: bigint): string {
  return `0x${value.toString(16)}`;
}
