// A person's path through the app in real Chromium: search, open a movie, read its details; and
// every page laid out right on a laptop and on a phone.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { brokenLines, layoutProblems, screenshotsDir, WIDTHS, withBrowser } from './browser.ts';
import { startStack } from './harness.ts';

const running = withBrowser(startStack);
const shots = screenshotsDir(new URL('../docs/', import.meta.url));
// Under load a page can take a while: waits are on what the page shows, with room to spare.
const WAIT = { timeout: 30_000 };

it('searches, opens a movie and shows its details, served from the cache the second time', async () => {
  const page = await running.browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(running.stack.app.origin);
  await page.locator('.grid li').nth(19).waitFor(WAIT);
  expect(await page.locator('.grid li').count()).toBe(20);

  await page.getByRole('searchbox', { name: 'Search movies' }).fill('matrix');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/search\?query=matrix/, WAIT);
  await page.getByRole('heading', { level: 1, name: /matrix/ }).waitFor(WAIT);

  await page
    .getByRole('link', { name: /The Matrix/ })
    .first()
    .click();
  await page.waitForURL(/\/movie\/\d+$/, WAIT);
  await page.getByRole('heading', { level: 1, name: /The Matrix/ }).waitFor(WAIT);
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
  await page.locator('[data-cache="hit"]').waitFor(WAIT);
  await page.close();
});

it.each(WIDTHS)(
  'lays every page out right at %i px: 2:3 posters, whole titles, nothing overlapping or sticking out',
  async (width) => {
    const page = await running.browser.newPage({ viewport: { width, height: 900 } });
    for (const [name, path] of [
      ['home', '/'],
      ['search', '/search?query=the'],
      ['movie', '/movie/12'],
    ] as const) {
      await page.goto(`${running.stack.app.origin}${path}`);
      await page.locator('img.poster').first().waitFor(WAIT);
      expect(
        await layoutProblems(page, ['header input', 'header button', 'header nav > a:last-child']),
        `${name} at ${width}px`,
      ).toEqual([]);
      const ratios = await page
        .locator('img.poster')
        .evaluateAll((images) =>
          images.map((image) => image.getBoundingClientRect()).map((box) => box.width / box.height),
        );
      for (const ratio of ratios)
        expect(Math.abs(ratio - 2 / 3) / (2 / 3), `${name}: a poster's width/height`).toBeLessThan(
          0.02,
        );
      // Posters show the whole picture (a 2:3 image in a 2:3 box), so their titles are not cut.
      expect(
        await page
          .locator('img.poster')
          .evaluateAll(
            (images) =>
              images.filter(
                (image) =>
                  getComputedStyle(image).objectFit === 'cover' &&
                  (image as HTMLImageElement).naturalWidth > 0 &&
                  Math.abs(
                    (image as HTMLImageElement).naturalWidth /
                      (image as HTMLImageElement).naturalHeight -
                      image.getBoundingClientRect().width / image.getBoundingClientRect().height,
                  ) > 0.02,
              ).length,
          ),
      ).toBe(0);
      expect(await brokenLines(page, '.rating, [data-cache], header button')).toEqual([]);
      await page.screenshot({
        path: join(shots, width === 1280 ? `${name}.png` : `${name}-${width}.png`),
      });
    }
    await page.close();
  },
  120_000,
);
