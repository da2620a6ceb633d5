// The mailer alone, driven by signed requests: one email of each kind per order, each token
// accepted once, the reminder published with its delay and deduplication id, and unsigned or
// misaddressed requests never get in.
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
let mailer: AppProcess;
let databaseUrl: string;
let qstash: Client;

beforeAll(async () => {
  broker = await startDevServer({ port: 0, memory: true, retryScale: 1000, log: () => {} });
  qstash = new Client({ baseUrl: broker.url, token: broker.token });
  databaseUrl = await createTestDatabase('mailer_test');
  const port = await freePort();
  mailer = await startApp({
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
  await mailer?.stop();
  await broker?.close();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

const event = {
  type: 'order.placed',
  order: {
    id: 42,
    email: 'grace@example.com',
    quantity: 2,
    product: { id: 1, name: 'Signet mug', priceCents: 1400 },
  },
};

async function signed(path: string, body: unknown, messageId: string) {
  const url = `${mailer.origin}${path}`;
  const text = JSON.stringify(body);
  const { headers } = await signRequest({ url, body: text, key: broker.keys.current, messageId });
  return { body: text, headers: { ...headers, 'content-type': 'application/json' } };
}

const post = (path: string, init: { body: string; headers: Record<string, string> }) =>
  fetch(`${mailer.origin}${path}`, { method: 'POST', ...init });

async function deliver(path: string, body: unknown, messageId: string) {
  return post(path, await signed(path, body, messageId));
}

const outbox = async () => (await fetch(`${mailer.origin}/outbox`)).text();

it('joins the orders URL group at start', async () => {
  const group = await eventually('the URL group', () =>
    qstash.urlGroups.get('orders').catch(() => undefined),
  );
  expect(group.endpoints).toEqual([
    expect.objectContaining({ name: 'mailer', url: `${mailer.origin}/hooks/order-placed` }),
  ]);
});

it('writes one receipt per order however often it is delivered, and queues the reminder 3 days out', async () => {
  const first = await deliver('/hooks/order-placed', event, 'msg_order42');
  expect(await first.json()).toEqual({ order: 42, receipt: 'sent' });
  // A redelivery is signed afresh, and may carry another message id: the order id decides.
  const again = await deliver('/hooks/order-placed', event, 'msg_order42_again');
  expect(await again.json()).toEqual({ order: 42, receipt: 'already sent' });
  expect((await outbox()).match(/data-kind="receipt"/g)).toHaveLength(1);

  // Both deliveries published the reminder; the deduplication id kept it to one message.
  const { logs } = await qstash.logs({ filter: { state: 'CREATED' } });
  const reminders = logs.filter((log) => log.url === `${mailer.origin}/hooks/review-reminder`);
  expect(reminders).toHaveLength(1);
  const message = await qstash.messages.get(reminders[0]?.messageId as string);
  const days = ((message.notBefore ?? 0) - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(2.99);
  expect(days).toBeLessThanOrEqual(3);
});

it('writes the review reminder when it arrives', async () => {
  const response = await deliver(
    '/hooks/review-reminder',
    { orderId: 42, email: 'grace@example.com', product: 'Signet mug' },
    'msg_review42',
  );
  expect(await response.json()).toEqual({ order: 42, reminder: 'sent' });
  const page = await outbox();
  expect(page).toContain('How is your Signet mug?');
  expect(page).toContain('grace@example.com');
});

it('answers 401 problem+json to unsigned and wrong-URL requests, and writes nothing', async () => {
  const before = await outbox();
  const unsigned = await fetch(`${mailer.origin}/hooks/order-placed`, {
    method: 'POST',
    body: JSON.stringify(event),
  });
  expect(unsigned.status).toBe(401);
  expect(unsigned.headers.get('content-type')).toContain('application/problem+json');
  const text = JSON.stringify(event);
  const { headers } = await signRequest({
    url: 'https://elsewhere.example/hooks/order-placed',
    body: text,
    key: broker.keys.current,
  });
  const moved = await fetch(`${mailer.origin}/hooks/order-placed`, {
    method: 'POST',
    headers,
    body: text,
  });
  expect(moved.status).toBe(401);
  expect(await outbox()).toBe(before);
});

it('refuses a captured delivery played again (even with a new message id), and logs it', async () => {
  const captured = await signed(
    '/hooks/review-reminder',
    { orderId: 43, email: 'ada@example.com', product: 'Mug' },
    'msg_43',
  );
  expect((await post('/hooks/review-reminder', captured)).status).toBe(200);
  const replayed = await post('/hooks/review-reminder', {
    body: captured.body,
    headers: { ...captured.headers, 'upstash-message-id': 'msg_forged' },
  });
  expect(replayed.status).toBe(401);
  expect(await replayed.json()).toMatchObject({ code: 'REPLAYED' });
  await eventually('the refusal in the log', async () =>
    mailer.output().includes('refused POST /hooks/review-reminder: REPLAYED'),
  );
});

it("refuses a token signed for another app's host, sent with that Host", async () => {
  const text = JSON.stringify(event);
  const { headers } = await signRequest({
    url: 'http://other-app.example/hooks/order-placed',
    body: text,
    key: broker.keys.current,
  });
  const response = await fetch(`${mailer.origin}/hooks/order-placed`, {
    method: 'POST',
    headers: { ...headers, host: 'other-app.example', 'content-type': 'application/json' },
    body: text,
  });
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ code: 'URL_MISMATCH' });
});

it('answers unknown paths and bad requests with problem+json, and serves a favicon', async () => {
  const missing = await fetch(`${mailer.origin}/nope`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toContain('application/problem+json');
  // A signed body that is not the event: refused by the schema, and not retried by QStash.
  const bad = await post(
    '/hooks/order-placed',
    await signed('/hooks/order-placed', { order: 1 }, 'm'),
  );
  expect(bad.status).toBe(489);
  expect(bad.headers.get('upstash-nonretryable-error')).toBe('true');
  expect(await bad.json()).toMatchObject({ code: 'BODY_INVALID' });
  const icon = await fetch(`${mailer.origin}/favicon.ico`);
  expect(icon.headers.get('content-type')).toContain('image/svg+xml');
});
