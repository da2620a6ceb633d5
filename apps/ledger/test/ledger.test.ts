// The ledger alone, driven by signed requests: one entry per order however often it is
// delivered, each token accepted once, and unsigned or misaddressed requests never get in.
import { fileURLToPath } from 'node:url';
import { signRequest } from '@signet/core/testing';
import { type DevServer, startDevServer } from '@signet/dev-server';
import { Client } from '@upstash/qstash';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AppProcess,
  createTestDatabase,
  dropTestDatabase,
  eventually,
  freePort,
  startApp,
} from './support.ts';

let broker: DevServer;
let ledger: AppProcess;
let databaseUrl: string;
let qstash: Client;

beforeAll(async () => {
  broker = await startDevServer({ port: 0, memory: true, retryScale: 1000, log: () => {} });
  qstash = new Client({ baseUrl: broker.url, token: broker.token });
  databaseUrl = await createTestDatabase('ledger_test');
  const port = await freePort();
  ledger = await startApp({
    args: ['src/server.ts'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    port,
    readyPath: '/healthz',
    env: {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      QSTASH_URL: broker.url,
      QSTASH_TOKEN: broker.token,
      QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
      QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
    },
  });
});
afterAll(async () => {
  await ledger?.stop();
  await broker?.close();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

const event = (id: number) => ({
  type: 'order.placed',
  order: {
    id,
    email: 'grace@example.com',
    quantity: 2,
    product: { id: 1, name: 'Signet mug', priceCents: 1400 },
  },
});

async function signed(body: unknown, messageId?: string) {
  const url = `${ledger.origin}/hooks/order-placed`;
  const text = JSON.stringify(body);
  const { headers } = await signRequest({ url, body: text, key: broker.keys.current, messageId });
  return { body: text, headers: { ...headers, 'content-type': 'application/json' } };
}

const post = (init: { body: string; headers: Record<string, string> }) =>
  fetch(`${ledger.origin}/hooks/order-placed`, { method: 'POST', ...init });

const page = async () => (await fetch(`${ledger.origin}/`)).text();

it('joins the orders URL group at start', async () => {
  const group = await eventually('the URL group', () =>
    qstash.urlGroups.get('orders').catch(() => undefined),
  );
  expect(group.endpoints).toEqual([
    expect.objectContaining({ name: 'ledger', url: `${ledger.origin}/hooks/order-placed` }),
  ]);
});

it('books an order published through the URL group with the official Client, once', async () => {
  await qstash.publishJSON({ urlGroup: 'orders', body: event(41) });
  await eventually('order 41 in the ledger', async () =>
    (await page()).includes('data-order="41"'),
  );
  // A redelivery is signed afresh, with another message id: the signed order id decides.
  const again = await post(await signed(event(41), 'msg_again'));
  expect(await again.json()).toEqual({ order: 41, entry: 'already booked' });
  const text = await page();
  expect(text.match(/data-order="41"/g)).toHaveLength(1);
  expect(text).toContain('€28.00');
});

it('answers 401 problem+json to unsigned and wrong-URL requests, and books nothing', async () => {
  const before = await page();
  const unsigned = await fetch(`${ledger.origin}/hooks/order-placed`, {
    method: 'POST',
    body: JSON.stringify(event(50)),
    headers: { 'content-type': 'application/json' },
  });
  expect(unsigned.status).toBe(401);
  expect(unsigned.headers.get('content-type')).toContain('application/problem+json');
  const text = JSON.stringify(event(50));
  const { headers } = await signRequest({
    url: 'https://elsewhere.example/hooks/order-placed',
    body: text,
    key: broker.keys.current,
  });
  const moved = await post({
    body: text,
    headers: { ...headers, 'content-type': 'application/json' },
  });
  expect(moved.status).toBe(401);
  // Other spellings of the path reach the same guarded route, or none.
  for (const path of ['/HOOKS/order-placed', '/hooks//order-placed', '/hook%73/order-placed']) {
    const response = await fetch(`${ledger.origin}${path}`, { method: 'POST', body: text });
    expect(response.status, path).toBeGreaterThanOrEqual(400);
  }
  expect(await page()).toBe(before);
});

it('refuses a captured delivery played again (even with a new message id), and logs it', async () => {
  const captured = await signed(event(43), 'msg_43');
  expect((await post(captured)).status).toBe(200);
  const replayed = await post({
    body: captured.body,
    headers: { ...captured.headers, 'upstash-message-id': 'msg_forged' },
  });
  expect(replayed.status).toBe(401);
  expect(await replayed.json()).toMatchObject({ code: 'REPLAYED' });
  await eventually('the refusal in the log', async () =>
    ledger.output().includes('refused POST /hooks/order-placed: REPLAYED'),
  );
});

it('answers a body that is not the event with 489, so QStash stops retrying it', async () => {
  const bad = await post(await signed({ order: 1 }));
  expect(bad.status).toBe(489);
  expect(bad.headers.get('upstash-nonretryable-error')).toBe('true');
  expect(await bad.json()).toMatchObject({ code: 'BODY_INVALID' });
});

it('answers unknown paths with problem+json, and serves a favicon', async () => {
  const missing = await fetch(`${ledger.origin}/nope`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toContain('application/problem+json');
  const icon = await fetch(`${ledger.origin}/favicon.ico`);
  expect(icon.headers.get('content-type')).toContain('image/svg+xml');
});
