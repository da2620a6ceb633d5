// The dashboard in real Chromium: usage rises as the API is called, and "Sync now" folds it
// into the database, with no reloads (the page refreshes itself).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '@signet/conformance/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.ts';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

// SCREENSHOTS=1 refreshes the README's picture; otherwise they go to a temporary folder.
const shots = process.env.SCREENSHOTS
  ? fileURLToPath(new URL('../docs/', import.meta.url))
  : mkdtempSync(join(tmpdir(), 'usage-sync-shots-'));

it('shows live usage rising after API calls, and synced usage after "Sync now"', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(stack.app.origin);
  const alice = page.locator('tr[data-user="alice@example.com"]');
  expect(await alice.locator('[data-testid=live]').textContent()).toContain('0 / 500');
  expect(await alice.locator('[data-testid=synced]').textContent()).toBe('0');

  for (let i = 0; i < 7; i++) expect((await stack.api(1)).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await stack.api(3, 'sk_demo_bob')).status).toBe(200);
  await expect
    .poll(() => alice.locator('[data-testid=live]').textContent(), { timeout: 10_000 })
    .toContain('7 / 500');
  expect(await alice.locator('[data-testid=synced]').textContent()).toBe('0');

  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.waitForURL(/queued=msg_/);
  await expect
    .poll(() => alice.locator('[data-testid=synced]').textContent(), { timeout: 10_000 })
    .toBe('7');
  await expect
    .poll(() => page.locator('tr[data-user="bob@example.com"] [data-testid=synced]').textContent())
    .toBe('3');
  expect(await page.getByTestId('last-sync').textContent()).toContain('updated 2');

  const shot = await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
  expect(shot.subarray(1, 4).toString()).toBe('PNG');
  await page.close();
});
