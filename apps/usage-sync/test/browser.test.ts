// The dashboard in real Chromium: usage rises as the API is called, and "Sync now" folds it
// into the database, with no reloads (the page refreshes itself).
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { brokenLines, layoutProblems, screenshotsDir, WIDTHS, withBrowser } from './browser.ts';
import { startStack } from './harness.ts';

const running = withBrowser(startStack);
const shots = screenshotsDir(new URL('../docs/', import.meta.url));

it('shows live usage rising after API calls, and synced usage after "Sync now"', async () => {
  const page = await running.browser.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(running.stack.app.origin);
  const alice = page.locator('tr[data-user="alice@example.com"]');
  expect(await alice.locator('[data-testid=live]').textContent()).toContain('0 / 500');
  expect(await alice.locator('[data-testid=synced]').textContent()).toBe('0');

  for (let i = 0; i < 7; i++) expect((await running.stack.api(1)).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await running.stack.api(3, 'sk_demo_bob')).status).toBe(200);
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
  // The page reads the run and the counters in separate queries: a refresh may land between.
  await expect.poll(() => page.getByTestId('last-sync').textContent()).toContain('updated 2');

  const shot = await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
  expect(shot.subarray(1, 4).toString()).toBe('PNG');
  await page.close();
});

it.each(WIDTHS)(
  'lays the dashboard out right at %i px: nothing sticking out, no broken labels',
  async (width) => {
    const page = await running.browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(running.stack.app.origin);
    await page.locator('tr[data-user="alice@example.com"]').waitFor({ timeout: 30_000 });
    expect(await layoutProblems(page, ['[data-testid=last-sync]', 'form button'])).toEqual([]);
    expect(await brokenLines(page, '.plan, button, th')).toEqual([]);
    await page.screenshot({
      path: join(shots, width === 1280 ? 'dashboard-wide.png' : `dashboard-${width}.png`),
      fullPage: true,
    });
    const icon = await page.request.get(`${running.stack.app.origin}/favicon.ico`);
    expect(icon.status()).toBe(200);
    await page.close();
  },
);
