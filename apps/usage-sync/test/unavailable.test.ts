// Which failures count as "Redis or the database is away" (a 503, try again) rather than a bug
// (a 500), decided on the errors the real clients raise, not on hand-made ones.
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnavailable } from '../lib/problem.ts';
import { freePort, startRedisServer } from './support.ts';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('node-redis without an offline queue', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.stop());

  it('a command already sent when Redis goes away', async () => {
    const client = createClient({
      url: server.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: false },
    });
    client.on('error', () => {});
    await client.connect();
    // BLPOP with no timeout stays in flight until the server answers, which it never will.
    const inFlight = rejection(client.blPop('usage-sync:test:never', 0));
    await server.stop();
    const error = await inFlight;
    expect(isUnavailable(error), String(error)).toBe(true);
    expect(isUnavailable(await rejection(client.get('k'))), 'then, a new command').toBe(true);
  });

  it('a server that is not there', async () => {
    const client = createClient({
      url: `redis://127.0.0.1:${await freePort()}`,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: false, connectTimeout: 1000 },
    });
    client.on('error', () => {});
    expect(isUnavailable(await rejection(client.connect()))).toBe(true);
  });
});

it('node-postgres against a server that is not there', async () => {
  const client = new pg.Client({
    connectionString: `postgres://x@127.0.0.1:${await freePort()}/x`,
  });
  expect(isUnavailable(await rejection(client.connect()))).toBe(true);
});

it('a bug is not an outage', () => {
  expect(isUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
    false,
  );
});
