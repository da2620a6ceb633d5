// /api/refresh: only signed, unreplayed, well-formed requests get in, and the answer tells the
// broker whether to retry.
import { generateSigningKey, signRequest } from '@signet/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const key = (id: number, suffix = '') => `${stack.prefix}movie:${id}${suffix}`;

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const body = (await response.json()) as { code: string; status: number };
  expect(body).toMatchObject({ status, code });
}

describe('refusing requests that are not from the broker', () => {
  it('rejects unsigned, wrong-key and other-URL requests with 401 and leaves the cache alone', async () => {
    await stack.page('/movie/20');
    const cached = await stack.redis.get(key(20));
    stack.origin.override(20, { patch: { title: 'Forged title' } });
    const hits = stack.origin.hits.get('/3/movie/20');

    await expectProblem(
      await stack.refresh({ id: 20 }, { signature: null }),
      401,
      'SIGNATURE_MISSING',
    );
    await expectProblem(
      await stack.refresh({ id: 20 }, { key: generateSigningKey() }),
      401,
      'SIGNATURE_INVALID',
    );
    await expectProblem(
      await stack.refresh({ id: 20 }, { url: 'https://elsewhere.example/api/refresh' }),
      401,
      'URL_MISMATCH',
    );
    await expectProblem(
      await stack.refresh({ id: 20 }, { signature: 'not.a.jwt' }),
      401,
      'SIGNATURE_MALFORMED',
    );

    expect(await stack.redis.get(key(20))).toBe(cached);
    expect(stack.origin.hits.get('/3/movie/20')).toBe(hits);
    stack.origin.override(20, undefined);
  });

  it('accepts a token once: the same request replayed is 401 REPLAYED', async () => {
    await stack.page('/movie/21');
    const url = `${stack.app.origin}/api/refresh`;
    const body = JSON.stringify({ id: 21 });
    const { headers } = await signRequest({ url, body, key: stack.broker.keys.current });
    const send = () =>
      fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      });

    expect((await send()).status).toBe(200);
    const cached = await stack.redis.get(key(21));
    await expectProblem(await send(), 401, 'REPLAYED');
    expect(await stack.redis.get(key(21))).toBe(cached);
  });

  it('accepts a token signed with the next key (rotation)', async () => {
    const response = await stack.refresh({ id: 22 }, { key: stack.broker.keys.next });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 22, result: 'updated' });
  });

  it('answers 422 for a body that is not {id: positive integer}', async () => {
    await expectProblem(await stack.refresh({ id: 'abc' }), 422, 'BODY_INVALID');
    await expectProblem(await stack.refresh({ id: -1 }), 422, 'BODY_INVALID');
    await expectProblem(await stack.refresh({ id: 1, extra: true }), 422, 'BODY_INVALID');
    await expectProblem(await stack.refresh('not json'), 422, 'BODY_INVALID');
  });
});

describe('what the endpoint tells the broker', () => {
  it('drops the entry and answers 200 when the origin no longer has the movie (no retry storm)', async () => {
    await stack.page('/movie/23');
    expect(await stack.redis.exists([key(23), key(23, ':fresh')])).toBe(2);
    stack.origin.override(23, { status: 404 });
    const response = await stack.refresh({ id: 23 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 23, result: 'removed' });
    expect(await stack.redis.exists([key(23), key(23, ':fresh')])).toBe(0);
    stack.origin.override(23, undefined);
  });

  it('answers 503 when the origin fails or times out, keeping the stale entry to serve', async () => {
    await stack.page('/movie/24');
    await stack.redis.del(key(24, ':fresh'));
    const stale = await stack.redis.get(key(24));

    stack.origin.override(24, { status: 500 });
    expect((await stack.refresh({ id: 24 })).status).toBe(503);
    stack.origin.override(24, { hang: true });
    const started = Date.now();
    expect((await stack.refresh({ id: 24 })).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000); // TMDB_TIMEOUT_SECONDS=1 in the harness
    expect(await stack.redis.get(key(24))).toBe(stale);
    stack.origin.override(24, undefined);
  });

  it('is retried by the broker after a 503 until the origin recovers', async () => {
    await stack.page('/movie/25');
    await stack.redis.del(key(25, ':fresh'));
    stack.origin.override(25, { status: 503 });
    expect((await stack.page('/movie/25')).cache).toBe('stale');
    await eventually(
      'a failed attempt',
      async () => (stack.origin.hits.get('/3/movie/25') ?? 0) >= 2,
    );
    stack.origin.override(25, undefined);
    await eventually(
      'the retry to refresh the entry',
      async () => (await stack.redis.exists(key(25, ':fresh'))) === 1,
    );
    expect((await stack.page('/movie/25')).cache).toBe('hit');
  });
});
