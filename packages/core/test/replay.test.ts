import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapter, builds, nodeBuild } from './builds.ts';
import { POSTGRES_URL } from './postgres.ts';
import { cleanUp, ioRedisClient, nodeRedisClient, REDIS_URL, runPrefix } from './redis.ts';
import { BODY, KEYS, makeToken, URL_ } from './tokens.ts';

const { settle } = adapter;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? `threw ${String(error)}`;
  }
}

const { memoryReplayStore, postgresReplayStore, redisReplayStore } = nodeBuild;
type Store = ReturnType<typeof memoryReplayStore>;

const io = ioRedisClient();
let nodeRedis: Awaited<ReturnType<typeof nodeRedisClient>>;
// The real PostgreSQL of the machine (scripts/test starts it), one table per build and run.
const postgres = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
let pglite: PGlite;
const table = (scope: string) => `signet_replay_${process.pid}_${scope}`;
beforeAll(async () => {
  nodeRedis = await nodeRedisClient();
  pglite = await PGlite.create();
}, 60_000);
afterAll(async () => {
  await cleanUp(io, runPrefix);
  await nodeRedis.quit();
  io.disconnect();
  for (const [build] of builds) await postgres.query(`DROP TABLE IF EXISTS ${table(build)}`);
  await postgres.end();
  await pglite.close();
});

const stores: Array<[string, (scope: string) => Store]> = [
  ['memory', () => memoryReplayStore()],
  [
    'Redis via node-redis',
    (scope) => redisReplayStore(nodeRedis, { prefix: `${runPrefix}${scope}:node:` }),
  ],
  ['Redis via ioredis', (scope) => redisReplayStore(io, { prefix: `${runPrefix}${scope}:io:` })],
  [
    'Redis via a set(key, value, { nx, ex }) client (the @upstash/redis shape)',
    (scope) =>
      redisReplayStore(
        {
          set: (key, value, options) => io.set(key, value, 'EX', options.ex, 'NX'),
          del: (key) => io.del(key),
        },
        { prefix: `${runPrefix}${scope}:upstash:` },
      ),
  ],
  [
    'PostgreSQL via node-postgres',
    (scope) => postgresReplayStore(postgres, { table: table(scope) }),
  ],
  ['PostgreSQL in PGlite', (scope) => postgresReplayStore(pglite, { table: table(scope) })],
];

describe.each(builds)('%s build: replay protection', (build, { createVerifier }) => {
  describe.each(stores)('%s', (_store, storeFor) => {
    const makeStore = () => storeFor(build);
    it('accepts a token once and rejects it the second time', async () => {
      const verifier = createVerifier({ ...KEYS, replay: makeStore() });
      const token = makeToken();
      expect(await codeOf(verifier.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'accepted',
      );
      expect(await codeOf(verifier.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'REPLAYED',
      );
    });

    it('does not confuse two tokens', async () => {
      const verifier = createVerifier({ ...KEYS, replay: makeStore() });
      expect(await codeOf(verifier.verify({ signature: makeToken(), body: BODY, url: URL_ }))).toBe(
        'accepted',
      );
      expect(await codeOf(verifier.verify({ signature: makeToken(), body: BODY, url: URL_ }))).toBe(
        'accepted',
      );
    });

    it('keys tokens without a jti on their signature', async () => {
      const verifier = createVerifier({ ...KEYS, replay: makeStore() });
      const token = makeToken({ omit: ['jti'] });
      expect(await codeOf(verifier.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'accepted',
      );
      expect(await codeOf(verifier.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'REPLAYED',
      );
    });

    it('lets a retry through after settle() reports that the handler failed', async () => {
      const verifier = createVerifier({ ...KEYS, replay: makeStore() });
      const token = makeToken();
      const message = await verifier.verify({ signature: token, body: BODY, url: URL_ });
      await settle(verifier, message, 500);
      const again = await verifier.verify({ signature: token, body: BODY, url: URL_ });
      await settle(verifier, again, 200);
      expect(await codeOf(verifier.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'REPLAYED',
      );
    });

    it('marks nothing for a request that fails verification', async () => {
      const verifier = createVerifier({ ...KEYS, replay: makeStore() });
      const token = makeToken();
      expect(await codeOf(verifier.verify({ signature: token, body: `${BODY}!`, url: URL_ }))).toBe(
        'BODY_MISMATCH',
      );
      expect(await codeOf(verifier.verify({ signature: token, body: BODY, url: URL_ }))).toBe(
        'accepted',
      );
    });
  });

  it('shares marks between verifiers through Redis (several instances)', async () => {
    const prefix = `${runPrefix}${build}:shared:`;
    const a = createVerifier({ ...KEYS, replay: redisReplayStore(io, { prefix }) });
    const b = createVerifier({ ...KEYS, replay: redisReplayStore(nodeRedis, { prefix }) });
    const token = makeToken();
    expect(await codeOf(a.verify({ signature: token, body: BODY, url: URL_ }))).toBe('accepted');
    expect(await codeOf(b.verify({ signature: token, body: BODY, url: URL_ }))).toBe('REPLAYED');
  });

  it('accepts exactly one of many concurrent uses of a token', async () => {
    const prefix = `${runPrefix}${build}:race:`;
    const verifiers = Array.from({ length: 4 }, () =>
      createVerifier({ ...KEYS, replay: redisReplayStore(io, { prefix }) }),
    );
    const token = makeToken();
    const codes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        codeOf(
          (verifiers[i % 4] as (typeof verifiers)[number]).verify({
            signature: token,
            body: BODY,
            url: URL_,
          }),
        ),
      ),
    );
    expect(codes.filter((code) => code === 'accepted')).toHaveLength(1);
    expect(codes.filter((code) => code === 'REPLAYED')).toHaveLength(39);
  });

  it('stores the mark in Redis until the token expires', async () => {
    const prefix = `${runPrefix}${build}:ttl:`;
    const verifier = createVerifier({ ...KEYS, replay: redisReplayStore(io, { prefix }) });
    const token = makeToken({ iat: Math.floor(Date.now() / 1000) - 100 });
    await verifier.verify({ signature: token, body: BODY, url: URL_ });
    const [key] = await io.keys(`${prefix}*`);
    const ttl = await io.ttl(key as string);
    expect(ttl).toBeGreaterThan(190);
    expect(ttl).toBeLessThanOrEqual(200);
  });

  it('answers REPLAY_STORE_UNAVAILABLE (503) when Redis cannot be reached', async () => {
    const { Redis } = await import('ioredis');
    // A real client aimed at a closed port: commands fail at once instead of queueing.
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    down.on('error', () => {});
    const verifier = createVerifier({ ...KEYS, replay: redisReplayStore(down) });
    try {
      await verifier.verify({ signature: makeToken(), body: BODY, url: URL_ });
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('REPLAY_STORE_UNAVAILABLE');
      expect((error as { status: number }).status).toBe(503);
    } finally {
      down.disconnect();
    }
  });
});

describe('postgresReplayStore', () => {
  const scoped = (name: string) => `signet_replay_${process.pid}_${name}`;
  afterAll(async () => {
    for (const name of ['race', 'ttl', 'expired', 'shared']) {
      await postgres.query(`DROP TABLE IF EXISTS ${scoped(name)}`);
    }
  });

  it('accepts exactly one of many concurrent uses of a token, across stores and connections', async () => {
    const stores = Array.from({ length: 4 }, () =>
      postgresReplayStore(postgres, { table: scoped('race') }),
    );
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (stores[i % 4] as Store).mark('jti:same', 300)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keeps the mark until the token expires', async () => {
    const store = postgresReplayStore(postgres, { table: scoped('ttl') });
    await store.mark('jti:a', 200);
    const { rows } = await postgres.query(
      `SELECT extract(epoch FROM expires_at - now())::int AS ttl FROM ${scoped('ttl')} WHERE id = 'jti:a'`,
    );
    expect(rows[0].ttl).toBeGreaterThan(190);
    expect(rows[0].ttl).toBeLessThanOrEqual(200);
  });

  it('accepts a token again once its mark has expired (the row is reused in place)', async () => {
    const store = postgresReplayStore(postgres, { table: scoped('expired') });
    expect(await store.mark('jti:b', 300)).toBe(true);
    await postgres.query(
      `UPDATE ${scoped('expired')} SET expires_at = now() - interval '1 second'`,
    );
    expect(await store.mark('jti:b', 300)).toBe(true);
    expect(await store.mark('jti:b', 300)).toBe(false);
  });

  it('answers REPLAY_STORE_UNAVAILABLE (503) when the database cannot be reached', async () => {
    const down = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1 });
    down.on('error', () => {});
    const verifier = nodeBuild.createVerifier({ ...KEYS, replay: postgresReplayStore(down) });
    expect(await codeOf(verifier.verify({ signature: makeToken(), body: BODY, url: URL_ }))).toBe(
      'REPLAY_STORE_UNAVAILABLE',
    );
    await down.end();
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => postgresReplayStore(postgres, { table: 'x; DROP TABLE y' })).toThrow(TypeError);
  });
});

describe('memoryReplayStore', () => {
  it('forgets a token when it expires', () => {
    let now = 0;
    const store = memoryReplayStore({ now: () => now });
    expect(store.mark('a', 10)).toBe(true);
    now = 9_999;
    expect(store.mark('a', 10)).toBe(false);
    now = 10_000;
    expect(store.mark('a', 10)).toBe(true);
  });

  it('stays within max entries, forgetting the oldest first', () => {
    const store = memoryReplayStore({ max: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(store.mark(id, 300)).toBe(true);
    expect(store.mark('d', 300)).toBe(false);
    expect(store.mark('c', 300)).toBe(false);
    expect(store.mark('a', 300)).toBe(true); // evicted, so accepted again
  });

  it('sweeps expired entries before evicting live ones', () => {
    let now = 0;
    const store = memoryReplayStore({ max: 2, now: () => now });
    store.mark('old', 1);
    store.mark('live', 100);
    now = 2_000;
    store.mark('new', 100);
    expect(store.mark('live', 100)).toBe(false);
  });

  it('rejects a nonsense max', () => {
    expect(() => memoryReplayStore({ max: 0 })).toThrow(/positive integer/);
  });
});

it('uses the REDIS_URL the scripts start', () => {
  expect(REDIS_URL).toMatch(/^redis:\/\//);
});
