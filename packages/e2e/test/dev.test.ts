// `./scripts/dev` from the outside, exactly as a newcomer runs it: in a fresh clone of this
// repository with nothing installed or built, it comes up within the stated bound with the URL
// table as the first thing to read, every URL it prints answers, a purchase goes through the
// shop, the broker and the mailer in a real browser, and SIGTERM stops it quietly with no process
// left behind. Screenshots for the root README's tour: SCREENSHOTS=1 writes them to docs/.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokenLines, launchBrowser, layoutProblems, WIDTHS } from '@signet/app-harness/browser';
import { eventually } from '@signet/test-kit';
import type { Browser } from 'playwright-core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Measured 45–58 s on the 2-core development machine from a fresh clone (install and build
 * included), alone. In `pnpm test` it runs beside other packages' builds and tests on the same
 * two cores and has taken 160 s, so the bound catches a hang or a regression of minutes, not a
 * busy machine.
 */
const BOUND_S = 300;
const PORTS = [8080, 5173, 8790, 3000, 3100, 3200, 3300];
const root = fileURLToPath(new URL('../../..', import.meta.url));
const data = mkdtempSync(join(tmpdir(), 'signet-dev-'));
// A fresh clone of what is committed: no node_modules, no dist, no .turbo, no .signet.
const clone = join(data, 'repo');
const prefix = `e2e-${randomUUID().slice(0, 8)}:`;
const shots = process.env.SCREENSHOTS ? join(root, 'docs') : data;

let dev: ChildProcess;
let output = '';
let upInSeconds = 0;
let urls: Record<string, string> = {};
let browser: Browser;

const inUse = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

beforeAll(
  async () => {
    const busy = (
      await Promise.all(PORTS.map(async (port) => ((await inUse(port)) ? port : 0)))
    ).filter(Boolean);
    if (busy.length)
      throw new Error(`ports ${busy.join(', ')} are in use: stop the other \`pnpm dev\` first`);
    execFileSync('git', ['clone', '--quiet', root, clone]);
    const started = performance.now();
    dev = spawn('./scripts/dev', [], {
      cwd: clone,
      env: { ...process.env, SIGNET_DEV_DATA: join(data, 'state'), REDIS_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    dev.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    dev.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`./scripts/dev was not up after ${BOUND_S} s:\n${output.slice(-4000)}`)),
        BOUND_S * 1000,
      );
      dev.once('exit', (code) =>
        reject(new Error(`./scripts/dev exited with ${code}:\n${output.slice(-4000)}`)),
      );
      const check = setInterval(() => {
        if (!output.includes('Ctrl-C stops everything')) return;
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }, 100);
    });
    upInSeconds = (performance.now() - started) / 1000;
    const table = output.slice(output.indexOf('Signet is running'));
    urls = Object.fromEntries(
      [...table.matchAll(/^ {2}(\S(?:.*?\S)?) +(http:\/\/\S+)/gm)].map((match) => [
        match[1] as string,
        match[2] as string,
      ]),
    );
    browser = await launchBrowser();
  },
  (BOUND_S + 60) * 1000,
);

/** Processes whose command line names the clone: what `./scripts/dev` started and left. */
function leftovers(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (command.includes(clone)) found.push(`${pid} ${command.slice(0, 160)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Sends `name` to the whole group: the script, pnpm, and whatever did not detach. */
function signal(name: NodeJS.Signals): void {
  try {
    if (dev?.pid) process.kill(-dev.pid, name);
  } catch {
    // already gone
  }
}

afterAll(async () => {
  await browser?.close();
  // Only if the SIGTERM test did not run to the end: nothing may outlive the test file.
  signal('SIGKILL');
  for (const line of leftovers()) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
  const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
    if (keys.length) await redis.del(keys);
  await redis.close();
  rmSync(data, { recursive: true, force: true });
});

describe('./scripts/dev on a fresh clone', () => {
  it(`comes up within ${BOUND_S} s with one line per step, then the table of URLs`, () => {
    console.log(`./scripts/dev was up in ${upInSeconds.toFixed(1)} s`);
    expect(upInSeconds).toBeLessThan(BOUND_S);
    // What a person reads before the table: a line per step, not the tools' own output.
    const before = output.slice(0, output.indexOf('Signet is running')).trim().split('\n');
    expect(before.length, before.join('\n')).toBeLessThanOrEqual(8);
    expect(before.filter((line) => line.startsWith('dev: '))).toEqual([
      'dev: installing dependencies … done',
      expect.stringMatching(/^dev: building the packages the demos import … done \(\d+\.\d s\)$/),
      'dev: starting signet dev … ready',
      'dev: starting the demos … ready',
    ]);
    expect(Object.keys(urls)).toEqual([
      'signet dev',
      'movies',
      'movies origin',
      'usage-sync',
      'orders',
      'mailer',
      'ledger',
    ]);
  });

  it('serves every printed URL', async () => {
    for (const [name, url] of Object.entries(urls)) {
      const response = await fetch(url);
      await response.arrayBuffer();
      expect(response.status, `${name} at ${url}`).toBe(200);
    }
  });

  it('takes a purchase through the shop, the broker and the mailer, in Chromium', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    await page.goto(urls.orders as string);
    await page.screenshot({ path: join(shots, 'shop.png') });
    await page.locator('form[data-product="webhook-hoodie"] button').click();
    await page.waitForURL(/\/orders#order-\d+$/);
    const orderId = new URL(page.url()).hash.replace('#order-', '');
    const states = page.locator(`tr[data-order="${orderId}"] [data-state]`);
    await expect
      .poll(
        async () =>
          (
            await states.evaluateAll((nodes) =>
              nodes.map((node) => node.getAttribute('data-state')),
            )
          ).join(','),
        { timeout: 20_000 },
      )
      .toBe('delivered,delivered,delivered');
    // Its fulfilment workflow waits for the payment; paying ships it (the review is days away).
    const fulfilment = page.locator(`tr[data-order="${orderId}"] [data-fulfilment]`);
    await expect
      .poll(() => fulfilment.getAttribute('data-fulfilment'), { timeout: 20_000 })
      .toBe('awaiting payment');
    await page.locator(`button[data-pay="${orderId}"]`).click();
    await page.waitForURL(/\/orders#order-\d+$/);
    await expect
      .poll(() => fulfilment.getAttribute('data-fulfilment'), { timeout: 20_000 })
      .toBe('shipped (stripe)');
    await page.screenshot({ path: join(shots, 'orders.png') });
    // The run, on the broker's page: its steps so far and the sleep before the review.
    await page.locator(`tr[data-order="${orderId}"] a[data-run]`).click();
    await page.waitForURL(/\/runs\/wfr_order-\d+$/);
    await expect
      .poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/ship[\s\S]*wait before asking for a review/);
    await page.screenshot({ path: join(shots, 'broker-run.png') });

    await page.goto(urls.mailer as string);
    await expect
      .poll(() => page.locator(`tr[data-kind="receipt"][data-order="${orderId}"]`).count(), {
        timeout: 20_000,
      })
      .toBe(1);
    await page.screenshot({ path: join(shots, 'outbox.png') });

    await page.goto(urls.ledger as string);
    await expect
      .poll(() => page.locator(`tr[data-order="${orderId}"]`).count(), { timeout: 20_000 })
      .toBe(1);
    await page.screenshot({ path: join(shots, 'ledger.png') });

    await page.goto(urls['signet dev'] as string);
    await expect
      .poll(
        async () =>
          ((await page.locator('body').textContent()) ?? '').includes('/hooks/order-placed'),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    await page.screenshot({ path: join(shots, 'broker.png'), fullPage: false });
    await page.close();
  });
});

describe('every page, on a laptop and on a phone', () => {
  it.each(WIDTHS)(
    'is laid out right at %i px: nothing sticking out or overlapping, no broken words',
    async (width) => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const suffix = width === 1280 ? '' : `-${width}`;
      await page.goto(urls.orders as string);
      expect(await layoutProblems(page), `shop at ${width}px`).toEqual([]);
      // Every field stays inside its product's card.
      const outside = await page.locator('form.panel').evaluateAll((cards) =>
        cards.flatMap((card) => {
          const box = card.getBoundingClientRect();
          return (
            [...card.querySelectorAll('input, select, button')]
              .map((field) => field.getBoundingClientRect())
              // Hidden inputs have no box and so cannot stick out.
              .filter((field) => field.width > 0)
              .filter((field) => field.left < box.left || field.right > box.right)
              .map((field) => `${Math.round(field.right)} > ${Math.round(box.right)}`)
          );
        }),
      );
      expect(outside).toEqual([]);
      await page.screenshot({ path: join(shots, `shop${suffix}.png`) });

      await page.goto(`${urls.orders}orders`);
      expect(await layoutProblems(page), `orders at ${width}px`).toEqual([]);
      expect(await brokenLines(page, '.state')).toEqual([]);
      await page.screenshot({ path: join(shots, `orders${suffix}.png`) });

      await page.goto(urls.mailer as string);
      expect(await layoutProblems(page), `outbox at ${width}px`).toEqual([]);
      await page.screenshot({ path: join(shots, `outbox${suffix}.png`) });

      await page.goto(urls.ledger as string);
      expect(await layoutProblems(page), `ledger at ${width}px`).toEqual([]);
      await page.screenshot({ path: join(shots, `ledger${suffix}.png`) });

      await page.goto(urls['signet dev'] as string);
      expect(await layoutProblems(page), `broker at ${width}px`).toEqual([]);
      expect(await brokenLines(page, '.state, .pill, th, td.nowrap, td.id')).toEqual([]);
      await page.screenshot({ path: join(shots, `broker${suffix}.png`) });
      // One message, opened.
      await page.locator('td.id a').first().click();
      await page.waitForURL(/\/messages\/msg_/);
      expect(await layoutProblems(page), `a message at ${width}px`).toEqual([]);
      expect(await page.locator('h2', { hasText: 'Attempts' }).count()).toBe(1);
      await page.screenshot({ path: join(shots, `broker-message${suffix}.png`) });
      // One workflow run (the purchase test's order), opened from the orders page.
      await page.goto(`${urls.orders}orders`);
      await page.locator('a[data-run]').first().click();
      await page.waitForURL(/\/runs\/wfr_/);
      expect(await layoutProblems(page), `a workflow run at ${width}px`).toEqual([]);
      expect(await brokenLines(page, '.state, .pill, th, td.nowrap, td.id')).toEqual([]);
      await page.screenshot({ path: join(shots, `broker-run${suffix}.png`) });

      for (const url of [urls.orders, urls.mailer, urls.ledger, urls['signet dev']]) {
        const icon = await page.request.get(new URL('/favicon.ico', url as string).href);
        const linked = await page
          .goto(url as string)
          .then(() => page.locator('link[rel=icon]').count());
        expect(icon.status() === 200 || linked > 0, `a favicon for ${url}`).toBe(true);
      }
      await page.close();
    },
  );
});

describe('stopping', () => {
  it('stops on SIGTERM, says what stopped, and leaves no process behind', async () => {
    expect(leftovers().length).toBeGreaterThan(0);
    // 'close': every process holding the output pipes (the script and all it started) is gone.
    const closed = new Promise<void>((resolve) => dev.once('close', () => resolve()));
    signal('SIGTERM');
    await closed;
    await eventually(
      'every process it started to exit',
      () => leftovers().length === 0 || undefined,
      {
        timeoutMs: 15_000,
      },
    ).catch(() => {
      throw new Error(`still running:\n${leftovers().join('\n')}`);
    });
    expect(output).toContain('Stopped signet dev, movies, usage-sync, orders, mailer, ledger.');
    expect(output).not.toMatch(/exited \(1\)|is port 8080 in use/);
    for (const port of PORTS) expect(await inUse(port), `port ${port}`).toBe(false);
  });
});
