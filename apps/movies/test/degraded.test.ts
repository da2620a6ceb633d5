// Redis down is degraded, not broken: pages come straight from the origin and the log says so once.
import { signRequest } from '@signet/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cacheOutcome, eventually, type Stack, startStack } from './harness.ts';
import { startRedisServer } from './support.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

it('renders pages from the origin with one clear warning when Redis is unreachable', async () => {
  // Port 1 on loopback: nothing listens, connections are refused at once.
  const app = await stack.startApp({ REDIS_URL: 'redis://127.0.0.1:1' });
  for (const path of ['/movie/28', '/movie/28', '/', '/search?query=alien']) {
    const response = await fetch(`${app.origin}${path}`);
    expect(response.status).toBe(200);
    expect(cacheOutcome(response.headers.get('cache-status'))).toBe('bypass');
    await response.text();
  }
  const movie = await (await fetch(`${app.origin}/movie/28`)).text();
  expect(movie).toContain('Jurassic Park');
  expect(movie).toContain('Redis unavailable');
  const warnings = app
    .output()
    .split('\n')
    .filter((line) => line.includes('is unavailable'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('serving pages straight from the origin');

  // A signed refresh can be neither checked for replay nor stored: 503, so the broker retries.
  const url = `${app.origin}/api/refresh`;
  const body = JSON.stringify({ id: 28 });
  const { headers } = await signRequest({ url, body, key: stack.broker.keys.current });
  const refresh = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  expect(refresh.status).toBe(503);
  expect(await refresh.json()).toMatchObject({ code: 'REPLAY_STORE_UNAVAILABLE' });
});

it('keeps serving while its Redis restarts, and caches again by itself once it is back', async () => {
  const server = await startRedisServer();
  try {
    const app = await stack.startApp({ REDIS_URL: server.url });
    const outcome = async () => {
      const response = await fetch(`${app.origin}/movie/76`);
      expect(response.status).toBe(200);
      await response.text();
      return cacheOutcome(response.headers.get('cache-status'));
    };
    expect(await outcome()).toBe('miss');
    expect(await outcome()).toBe('hit');
    await server.stop();
    expect(await outcome()).toBe('bypass');
    expect(app.child.exitCode).toBeNull();
    // Redis keeps nothing on disk here: back, it is empty, so the next view fills it again.
    await server.start();
    await eventually('caching again', async () => (await outcome()) === 'hit', 30_000);
    expect(app.output()).toContain('is back; caching again');
    expect(app.output()).not.toMatch(/uncaughtException|Unhandled 'error' event/);
  } finally {
    await server.stop();
  }
});
