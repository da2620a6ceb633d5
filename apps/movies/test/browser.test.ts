// A person's path through the app in real Chromium: search, open a movie, read its details.
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
  : mkdtempSync(join(tmpdir(), 'movies-shots-'));

it('searches, opens a movie and shows its details, served from the cache the second time', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(stack.app.origin);
  await expect.poll(() => page.locator('.grid li').count()).toBe(20);

  await page.getByRole('searchbox', { name: 'Search movies' }).fill('matrix');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/search\?query=matrix/);
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent())
    .toContain('matrix');

  await page
    .getByRole('link', { name: /The Matrix/ })
    .first()
    .click();
  await page.waitForURL(/\/movie\/\d+$/);
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent())
    .toContain('The Matrix');
  const details = await page.locator('article').textContent();
  expect(details).toContain('1999');
  expect(details).toContain('2 h 16 min');
  expect(details).toContain('Science Fiction');
  expect(details).toContain('Keanu Reeves');
  expect(details).toContain('Lana Wachowski');
  expect(await page.locator('.rating').first().getAttribute('class')).toContain('high');
  expect(
    await page.locator('img.poster').evaluate((img: HTMLImageElement) => img.naturalWidth),
  ).toBeGreaterThan(0);

  await page.reload();
  await expect.poll(() => page.locator('[data-cache]').getAttribute('data-cache')).toBe('hit');
  const shot = await page.screenshot({ path: join(shots, 'movie.png') });
  expect(shot.subarray(1, 4).toString()).toBe('PNG');
  await page.close();
});
