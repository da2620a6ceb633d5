// Headless Chromium for the demos' browser tests: Debian's /usr/bin/chromium driven by
// playwright-core (nothing is downloaded at install time).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
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

/** The two widths every page is checked at: a laptop and a phone. */
export const WIDTHS = [1280, 390] as const;

/**
 * What is wrong with a page's layout at its current width: the page scrolls sideways, an element
 * sticks out of the viewport, or two of `apart` (selectors) overlap. Empty when nothing is.
 */
export async function layoutProblems(page: Page, apart: string[] = []): Promise<string[]> {
  return page.evaluate((selectors) => {
    const problems: string[] = [];
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth > width) {
      problems.push(
        `the page is ${document.documentElement.scrollWidth - width}px wider than the viewport`,
      );
    }
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 1) continue;
      // Inside something that scrolls or clips on purpose: not sticking out of the page.
      let clipped = false;
      for (
        let parent = element.parentElement;
        parent && parent !== document.body;
        parent = parent.parentElement
      ) {
        if (getComputedStyle(parent).overflowX !== 'visible') clipped = true;
      }
      if (!clipped)
        problems.push(
          `<${element.tagName.toLowerCase()} class="${element.className}"> ends at ${Math.round(box.right)}px`,
        );
    }
    const boxes = selectors.flatMap((selector) =>
      [...document.querySelectorAll(selector)].map((element) => ({
        selector,
        box: element.getBoundingClientRect(),
      })),
    );
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]?.box as DOMRect;
        const b = boxes[j]?.box as DOMRect;
        if (
          a.left < b.right - 1 &&
          b.left < a.right - 1 &&
          a.top < b.bottom - 1 &&
          b.top < a.bottom - 1
        ) {
          problems.push(`${boxes[i]?.selector} overlaps ${boxes[j]?.selector}`);
        }
      }
    }
    return problems.slice(0, 20);
  }, apart);
}

/**
 * Elements matching `selector` whose text wraps onto a second line, or does not fit its box.
 * Lines are counted from the text's own boxes (not the boxes of elements inside, such as a badge
 * with padding, whose top differs from its text's), and two boxes are on one line when they overlap
 * vertically.
 */
export async function brokenLines(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((element) => {
        const boxes: DOMRect[] = [];
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          boxes.push(...[...range.getClientRects()].filter((box) => box.width > 0));
        }
        const wraps = boxes.some((a) => boxes.some((b) => b.top >= a.bottom - 1));
        const overflows = element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1;
        return wraps || overflows;
      })
      .map((element) => element.textContent ?? ''),
  );
}
