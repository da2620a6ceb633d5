// The stale-while-revalidate flow end to end: built app, real Redis, `signet dev`, origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const moviePath = (id: number) => `/3/movie/${id}`;
const key = (id: number, suffix = '') => `${stack.prefix}movie:${id}${suffix}`;

async function refreshes(state: 'CREATED' | 'DELIVERED'): Promise<number> {
  const { logs } = await stack.qstash.logs({ filter: { state } });
  return logs.filter((log) => log.url === `${stack.app.origin}/api/refresh`).length;
}
const deliveredRefreshes = () => refreshes('DELIVERED');

describe('movie pages', () => {
  it('fetches a miss from the origin, stores both keys, then serves hits from Redis alone', async () => {
    const first = await stack.page('/movie/8');
    expect(first.status).toBe(200);
    expect(first.cache).toBe('miss');
    expect(first.html).toContain('The Matrix');
    expect(first.html).toContain('Keanu Reeves');
    expect(first.html).toContain('Lana Wachowski');
    expect(await stack.redis.ttl(key(8))).toBeGreaterThan(6 * 86_400);
    const freshTtl = await stack.redis.ttl(key(8, ':fresh'));
    expect(freshTtl).toBeGreaterThan(86_000);
    expect(freshTtl).toBeLessThanOrEqual(86_400);

    for (let i = 0; i < 3; i++) expect((await stack.page('/movie/8')).cache).toBe('hit');
    expect(stack.origin.hits.get(moviePath(8))).toBe(1);
  });

  it('serves a stale entry at once, refreshes it through a signed broker delivery, then serves the new data fresh', async () => {
    await stack.page('/movie/9');
    stack.origin.override(9, { patch: { title: 'Interstellar (Remastered)' } });
    await stack.redis.del(key(9, ':fresh'));
    const before = await deliveredRefreshes();

    const stale = await stack.page('/movie/9');
    expect(stale.cache).toBe('stale');
    expect(stale.html).toContain('Interstellar');
    expect(stale.html).not.toContain('Remastered');

    await eventually(
      'the refresh to be delivered',
      async () => (await deliveredRefreshes()) > before,
    );
    const fresh = await stack.page('/movie/9');
    expect(fresh.cache).toBe('hit');
    expect(fresh.html).toContain('Interstellar (Remastered)');
    expect(stack.origin.hits.get(moviePath(9))).toBe(2);
    stack.origin.override(9, undefined);
  });

  it('turns 50 concurrent stale reads into exactly one refresh', async () => {
    await stack.page('/movie/10');
    await stack.redis.del(key(10, ':fresh'));
    const [published, delivered] = [await refreshes('CREATED'), await deliveredRefreshes()];

    // Hold the origin until the whole burst is served, so every read really is stale, however
    // slow the machine (an attempt that times out meanwhile is retried by the broker).
    let release = () => {};
    stack.origin.override(10, { gate: new Promise<void>((resolve) => (release = resolve)) });
    const pages = await Promise.all(Array.from({ length: 50 }, () => stack.page('/movie/10')));
    expect(pages.map((page) => page.cache)).toEqual(Array(50).fill('stale'));
    release();
    stack.origin.override(10, undefined);

    await eventually(
      'the entry to be fresh again',
      async () => (await stack.redis.exists(key(10, ':fresh'))) === 1,
    );
    // Give any duplicate time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await refreshes('CREATED')).toBe(published + 1);
    expect(await deliveredRefreshes()).toBe(delivered + 1);
  });

  it('answers 404 for an id the origin does not have, without caching anything', async () => {
    const page = await stack.page('/movie/999999');
    expect(page.status).toBe(404);
    expect(page.html).toContain('No movie with that id');
    expect(await stack.redis.exists(key(999999))).toBe(0);
    expect((await stack.page('/movie/not-a-number')).status).toBe(404);
  });

  it('shows 502 when the origin fails on a miss', async () => {
    stack.origin.override(11, { status: 500 });
    const page = await stack.page('/movie/11');
    expect(page.status).toBe(502);
    expect(page.html).toContain('not answering');
    stack.origin.override(11, undefined);
  });
});

describe('search, popular and random', () => {
  it('lists popular movies on the home page and caches the list', async () => {
    const home = await stack.page('/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('The Shawshank Redemption');
    expect(home.cache).toBe('miss');
    expect((await stack.page('/')).cache).toBe('hit');
  });

  it('searches with the query URL-encoded and paginates', async () => {
    const first = await stack.page('/search?query=the');
    expect(first.status).toBe(200);
    const total = Number(/(\d+) found/.exec(first.html)?.[1]);
    expect(total).toBeGreaterThan(20);
    expect(first.html).toContain('page 1 of');
    expect(first.html).toContain('href="/search?query=the&amp;page=2"');
    const second = await stack.page('/search?query=the&page=2');
    expect(second.html).toContain('page 2 of');
    expect(second.html).toContain('rel="prev"');

    const accented = await stack.page(`/search?query=${encodeURIComponent('Amélie')}`);
    expect(accented.html).toContain('href="/movie/');
    expect(accented.html).toContain('1 found');
    const symbols = await stack.page(`/search?query=${encodeURIComponent('Fast & Furious?')}`);
    expect(symbols.status).toBe(200);
    expect(symbols.html).toContain('No movies match');
  });

  it('redirects /movie/random to a movie page', async () => {
    const random = await stack.page('/movie/random');
    expect(random.status).toBe(303);
    expect(random.response.headers.get('location')).toMatch(/^\/movie\/\d+$/);
    expect(random.response.headers.get('cache-control')).toBe('no-store');
  });
});
