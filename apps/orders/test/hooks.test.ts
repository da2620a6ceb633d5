// The hooks take only what the broker signed for this app, each token once, and an order's
// stock once however many signed copies arrive.
import { randomUUID } from 'node:crypto';
import { signRequest } from '@signet/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, type Stack, startStack } from './stack.ts';
import { createTestDatabase, dropTestDatabase, eventually } from './support.ts';

let stack: Stack;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase('orders_hooks');
  stack = await startStack(databaseUrl);
});
afterAll(async () => {
  await stack?.close();
  await dropTestDatabase(databaseUrl);
});

const stockOf = async (productId: number) =>
  (await stack.sql<{ stock: number }>('SELECT stock FROM products WHERE id = $1', [productId]))[0]
    ?.stock;

/** A signed delivery of `order.placed` for `orderId`, as the broker would send it. */
async function delivery(orderId: number, quantity = 1, sentTo = stack.orders.origin) {
  const url = `${sentTo}/hooks/inventory`;
  const body = JSON.stringify({
    type: 'order.placed',
    order: {
      id: orderId,
      email: 'a@b.c',
      quantity,
      product: { id: 2, name: 'Hoodie', priceCents: 5900 },
    },
  });
  const { headers } = await signRequest({ url, body, key: stack.broker.keys.current });
  return { body, headers: { ...headers, 'content-type': 'application/json' } };
}

const post = (path: string, init: { body: string; headers: Record<string, string> }) =>
  fetch(`${stack.orders.origin}${path}`, { method: 'POST', ...init });

describe('the hooks', () => {
  it('refuse unsigned calls with 401 problem+json, and log each refusal', async () => {
    for (const path of ['/hooks/inventory', '/hooks/delivery']) {
      const response = await post(path, {
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      await eventually(`the refusal of ${path} in the log`, async () =>
        stack.orders.output().includes(`refused POST ${path}: SIGNATURE_MISSING`),
      );
    }
  });

  it('refuse a captured delivery played again, even with a new message id', async () => {
    const orderId = 900_001;
    const before = await stockOf(2);
    const captured = await delivery(orderId);
    expect((await post('/hooks/inventory', captured)).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const replayed = await post('/hooks/inventory', {
        body: captured.body,
        headers: { ...captured.headers, 'upstash-message-id': `msg_forged_${i}` },
      });
      expect(replayed.status).toBe(401);
      expect(await replayed.json()).toMatchObject({ code: 'REPLAYED' });
    }
    expect(await stockOf(2)).toBe((before ?? 0) - 1);
  });

  it('take stock once per order, however many freshly signed copies arrive', async () => {
    const orderId = 900_002;
    const before = await stockOf(2);
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(await (await post('/hooks/inventory', await delivery(orderId))).json());
    expect(answers).toEqual([
      { order: orderId, reserved: true },
      { order: orderId, reserved: 'already handled' },
      { order: orderId, reserved: 'already handled' },
    ]);
    expect(await stockOf(2)).toBe((before ?? 0) - 1);
  });

  it('refuse a token QStash signed for another app (same keys), sent with its Host', async () => {
    const foreign = await delivery(900_003, 1, 'http://other-app.example');
    const response = await fetch(`${stack.orders.origin}/hooks/inventory`, {
      method: 'POST',
      body: foreign.body,
      headers: { ...foreign.headers, host: 'other-app.example' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'URL_MISMATCH' });
  });
});

describe('errors', () => {
  it('answers malformed JSON with 400 problem+json, without a stack or a path', async () => {
    const response = await fetch(`${stack.orders.origin}/api/purchase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"productId": 1,',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const text = await response.text();
    expect(text).not.toMatch(/at |node_modules|\/work\/|\.ts:/);
  });

  it('answers an unknown path with 404 problem+json, and serves a favicon', async () => {
    const missing = await fetch(`${stack.orders.origin}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const icon = await fetch(`${stack.orders.origin}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
  });

  it('rejects an invalid purchase with 422 problem+json', async () => {
    for (const body of [
      { productId: 1, quantity: 0, email: 'ada@example.com' },
      { productId: 1, quantity: 1, email: 'nope' },
      // The mailer and the ledger refuse this address (no real TLD): so must the shop.
      { productId: 1, quantity: 1, email: 'a@b.c' },
    ]) {
      const response = await fetch(`${stack.orders.origin}/api/purchase`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('takes a purchase end to end: stored once, announced, delivered to inventory', async () => {
    const requestId = randomUUID();
    const first = await buy(stack, requestId, 3, 2);
    expect(first.status).toBe(201);
    const { orderId } = (await first.json()) as { orderId: number };
    await eventually('the inventory delivery', async () => {
      const rows = await stack.sql<{ reserved: number }>(
        'SELECT reserved FROM reservations WHERE order_id = $1',
        [orderId],
      );
      return rows[0]?.reserved === 2;
    });
  });
});
