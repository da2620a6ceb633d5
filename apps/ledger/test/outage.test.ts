// The ledger keeps running while its database restarts: deliveries meanwhile get 503
// problem+json (QStash retries them), it recovers by itself, and each order is booked once.
// On a PostgreSQL server of the test's own, never the machine's shared one.
import { fileURLToPath } from 'node:url';
import { signRequest } from '@signet/core/testing';
import { type DevServer, startDevServer } from '@signet/dev-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AppProcess,
  createTestDatabase,
  eventually,
  freePort,
  startApp,
  startPostgresServer,
} from './support.ts';

let server: Awaited<ReturnType<typeof startPostgresServer>>;
let broker: DevServer;
let ledger: AppProcess;
beforeAll(async () => {
  server = await startPostgresServer();
  broker = await startDevServer({ port: 0, memory: true, retryScale: 1000, log: () => {} });
  const port = await freePort();
  ledger = await startApp({
    args: ['src/server.ts'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    port,
    readyPath: '/healthz',
    env: {
      PORT: String(port),
      DATABASE_URL: await createTestDatabase('ledger_outage', server.url),
      QSTASH_URL: broker.url,
      QSTASH_TOKEN: broker.token,
      QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
      QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
    },
  });
}, 120_000);
afterAll(async () => {
  await ledger?.stop();
  await broker?.close();
  await server?.destroy();
});

it('answers 503 problem+json while PostgreSQL is down, and recovers by itself once it is back', async () => {
  const url = `${ledger.origin}/hooks/order-placed`;
  const body = JSON.stringify({
    type: 'order.placed',
    order: {
      id: 7,
      email: 'ada@example.com',
      quantity: 1,
      product: { id: 1, name: 'Mug', priceCents: 900 },
    },
  });
  const deliver = async () => {
    const { headers } = await signRequest({ url, body, key: broker.keys.current });
    return fetch(url, {
      method: 'POST',
      body,
      headers: { ...headers, 'content-type': 'application/json' },
    });
  };

  await server.stop();
  for (const response of [await deliver(), await fetch(`${ledger.origin}/`)]) {
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.text()).not.toMatch(/at |node_modules|\.ts:/);
  }
  expect(ledger.child.exitCode).toBeNull();

  await server.start();
  await eventually(
    'the ledger page to answer again',
    async () => (await fetch(`${ledger.origin}/`)).status === 200,
    30_000,
  );
  expect(await (await deliver()).json()).toEqual({ order: 7, entry: 'booked' });
  expect(await (await deliver()).json()).toEqual({ order: 7, entry: 'already booked' });
  expect(ledger.output()).not.toMatch(/Unhandled 'error' event|uncaughtException/);
}, 120_000);
