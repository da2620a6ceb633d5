// Headless Chromium for the demos' browser tests: Debian's /usr/bin/chromium driven by
// playwright-core (nothing is downloaded at install time).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/**
 * Starts the app under test (`start`) and Chromium side by side before the file's tests, and
 * closes both after; the returned object is filled in once `beforeAll` ran.
 */
export function withBrowser<Stack extends { close(): Promise<void> }>(
  start: () => Promise<Stack>,
): { stack: Stack; browser: Browser } {
  const running = {} as { stack: Stack; browser: Browser };
  beforeAll(async () => {
    [running.stack, running.browser] = await Promise.all([start(), launchBrowser()]);
  }, 300_000);
  afterAll(async () => {
    await running.browser?.close();
    await running.stack?.close();
  });
  return running;
}

/**
 * Where a browser test saves its screenshots: `docs` with SCREENSHOTS=1 (to refresh the
 * README's pictures), a temporary folder otherwise, so a test run leaves the checkout clean.
 */
export function screenshotsDir(docs: URL): string {
  return process.env.SCREENSHOTS
    ? fileURLToPath(docs)
    : mkdtempSync(join(tmpdir(), 'signet-shots-'));
}
