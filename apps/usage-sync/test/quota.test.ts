// The metered API: one atomic Redis operation per call decides, so a burst cannot overshoot.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

it('lets exactly 500 of 1,000 concurrent calls through for a user whose limit is 500; the rest get 429', async () => {
  const responses = await Promise.all(Array.from({ length: 1000 }, () => stack.api(1)));
  const statuses = responses.map((response) => response.status);
  expect(statuses.filter((status) => status === 200)).toHaveLength(500);
  expect(statuses.filter((status) => status === 429)).toHaveLength(500);

  const refused = responses.find((response) => response.status === 429) as Response;
  expect(refused.headers.get('content-type')).toBe('application/problem+json');
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(30 * 86_400 - 120);
  expect(retryAfter).toBeLessThanOrEqual(30 * 86_400);
  expect(await refused.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
  await Promise.all(
    responses.map((response) => (response.bodyUsed ? undefined : response.body?.cancel())),
  );

  const key = `${stack.prefix}user:1:quota`;
  expect(await stack.redis.get(key)).toBe('500');
  expect(await stack.redis.ttl(key)).toBeGreaterThan(30 * 86_400 - 120);
});

it('answers the spreadsheet as JSON, with rate-limit headers', async () => {
  const response = await stack.api(3, 'sk_demo_bob');
  expect(response.status).toBe(200);
  expect(response.headers.get('ratelimit-limit')).toBe('10000');
  expect(await response.json()).toEqual({
    id: 3,
    name: 'Q4 budget',
    rows: [
      ['team', 'eur'],
      ['design', 42000],
      ['platform', 118000],
    ],
  });
});

it('answers 401 for a missing or unknown key, and 404 for another owner’s sheet or a bad id', async () => {
  const missing = await fetch(`${stack.app.origin}/api/spreadsheets/3`);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('www-authenticate')).toBe('Bearer');
  expect((await stack.api(3, 'sk_nobody')).status).toBe(401);
  const foreign = await stack.api(1, 'sk_demo_bob');
  expect(foreign.status).toBe(404);
  expect(await foreign.json()).toMatchObject({ status: 404, detail: 'You have no spreadsheet 1.' });
  expect((await stack.api('abc', 'sk_demo_bob')).status).toBe(404);
  expect((await stack.api(999999, 'sk_demo_bob')).status).toBe(404);
});
