// `pnpm dev` from the outside, as a newcomer runs it: it comes up within the stated bound, every
// URL it prints answers, and a purchase goes through the shop, the broker and the mailer in a
// real browser. Screenshots for the root README's tour: SCREENSHOTS=1 writes them to docs/.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '@signet/app-harness/browser';
import type { Browser } from 'playwright-core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Measured 20–40 s on the 2-core development machine (36 s with nothing built yet). */
const BOUND_S = 120;
const PORTS = [8080, 5173, 8790, 3000, 3100, 3200];
const root = fileURLToPath(new URL('../../..', import.meta.url));
const data = mkdtempSync(join(tmpdir(), 'signet-dev-'));
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

beforeAll(async () => {
  const busy = (
    await Promise.all(PORTS.map(async (port) => ((await inUse(port)) ? port : 0)))
  ).filter(Boolean);
  if (busy.length)
    throw new Error(`ports ${busy.join(', ')} are in use: stop the other \`pnpm dev\` first`);
  const started = performance.now();
  dev = spawn('pnpm', ['dev'], {
    cwd: root,
    env: { ...process.env, SIGNET_DEV_DATA: data, REDIS_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`pnpm dev was not up after ${BOUND_S * 2} s:\n${output.slice(-4000)}`)),
      BOUND_S * 2000,
    );
    dev.once('exit', (code) =>
      reject(new Error(`pnpm dev exited with ${code}:\n${output.slice(-4000)}`)),
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
}, 300_000);

afterAll(async () => {
  await browser?.close();
  // The whole process group: pnpm, the dev script, turbo and every server under it.
  const signal = (name: NodeJS.Signals) => {
    try {
      if (dev?.pid) process.kill(-dev.pid, name);
    } catch {
      // already gone
    }
  };
  if (dev?.pid && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev.once('exit', resolve));
    signal('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  await new Promise((resolve) => setTimeout(resolve, 2500)); // let the servers finish closing
  signal('SIGKILL');
  const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
    if (keys.length) await redis.del(keys);
  await redis.close();
  rmSync(data, { recursive: true, force: true });
});

describe('pnpm dev', () => {
  it(`comes up within ${BOUND_S} s and prints one table of URLs`, () => {
    console.log(`pnpm dev was up in ${upInSeconds.toFixed(1)} s`);
    expect(upInSeconds).toBeLessThan(BOUND_S);
    expect(Object.keys(urls)).toEqual([
      'signet dev',
      'movies',
      'movies origin',
      'usage-sync',
      'orders',
      'mailer',
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
      .toBe('delivered,delivered');
    await page.screenshot({ path: join(shots, 'orders.png') });

    await page.goto(urls.mailer as string);
    await expect
      .poll(() => page.locator(`tr[data-kind="receipt"][data-order="${orderId}"]`).count(), {
        timeout: 20_000,
      })
      .toBe(1);
    await page.screenshot({ path: join(shots, 'outbox.png') });

    await page.goto(urls['signet dev'] as string);
    await expect
      .poll(async () => (await page.content()).includes('/hooks/order-placed'), { timeout: 10_000 })
      .toBe(true);
    await page.screenshot({ path: join(shots, 'broker.png'), fullPage: false });
    await page.close();
  });
});
