// The app keeps running while Redis and PostgreSQL restart under it: requests meanwhile get 503
// problem+json (never a 500, a hang or a crash), it recovers by itself, and nothing is counted
// twice. On servers of the test's own, never the machine's shared ones.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from './harness.ts';
import { startPostgresServer, startRedisServer } from './support.ts';

let postgres: Awaited<ReturnType<typeof startPostgresServer>>;
let redisServer: Awaited<ReturnType<typeof startRedisServer>>;
let stack: Stack;
beforeAll(async () => {
  [postgres, redisServer] = await Promise.all([startPostgresServer(), startRedisServer()]);
  stack = await startStack({ adminUrl: postgres.url, env: { REDIS_URL: redisServer.url } });
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await postgres?.destroy();
  await redisServer?.stop();
});

async function expectUnavailable(response: Response): Promise<void> {
  // On a 500 the app's log says which error was not recognised as an outage.
  expect(response.status, stack.app.output().slice(-2000)).toBe(503);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(await response.text()).not.toMatch(/at |node_modules|\.ts:/);
}

it('answers 503 at once while Redis is down, and counts again once it is back', async () => {
  for (let i = 0; i < 3; i++) expect((await stack.api(1)).status).toBe(200);
  await redisServer.stop();
  const started = Date.now();
  await expectUnavailable(await stack.api(1));
  expect(Date.now() - started).toBeLessThan(5_000); // failed fast: no request waits for Redis
  // The dashboard still renders, from the database alone.
  const dashboard = await fetch(stack.app.origin);
  expect(dashboard.status).toBe(200);
  expect(await dashboard.text()).toContain('Redis is unavailable');
  expect(stack.app.child.exitCode).toBeNull();

  // Redis keeps nothing on disk here: it comes back empty, and counting starts over.
  await redisServer.start();
  await eventually(
    'the API to answer again',
    async () => (await stack.api(1)).status === 200,
    30_000,
  );
  expect(stack.app.output()).not.toMatch(/uncaughtException|Unhandled 'error' event/);
});

it('answers 503 to API calls and to the signed sync while PostgreSQL is down, then syncs once it is back', async () => {
  // A fresh API key lookup needs the database; the cache would hide the outage for 10 s.
  await postgres.stop();
  await expectUnavailable(await stack.api(2, 'sk_demo_bob'));
  await expectUnavailable(await stack.cron());
  expect(stack.app.child.exitCode).toBeNull();

  await postgres.start();
  await eventually('the sync to succeed', async () => (await stack.cron()).status === 200, 30_000);
  expect(stack.app.output()).not.toMatch(/uncaughtException|Unhandled 'error' event/);
});
