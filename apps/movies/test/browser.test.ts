// A person's path through the app in real Chromium: search, open a movie, read its details.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { screenshotsDir, withBrowser } from './browser.ts';
import { startStack } from './harness.ts';

const running = withBrowser(startStack);
const shots = screenshotsDir(new URL('../docs/', import.meta.url));

it('searches, opens a movie and shows its details, served from the cache the second time', async () => {
  const page = await running.browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(running.stack.app.origin);
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
