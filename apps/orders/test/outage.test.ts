// The shop keeps running while its database restarts: requests meanwhile get 503 problem+json,
// it recovers by itself, and nothing is lost or counted twice. On a PostgreSQL server of the
// test's own, never the machine's shared one.
import { randomUUID } from 'node:crypto';
import { signRequest } from '@signet/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buy, type Stack, startStack } from './stack.ts';
import { createTestDatabase, eventually, startPostgresServer } from './support.ts';

let server: Awaited<ReturnType<typeof startPostgresServer>>;
let stack: Stack;
beforeAll(async () => {
  server = await startPostgresServer();
  stack = await startStack(await createTestDatabase('orders_outage', server.url));
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await server?.destroy();
});

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(await response.text()).not.toMatch(/at |node_modules|\.ts:/);
}

it('answers 503 problem+json while PostgreSQL is down, and recovers by itself once it is back', async () => {
  const orderId = 777;
  const url = `${stack.orders.origin}/hooks/inventory`;
  const body = JSON.stringify({
    type: 'order.placed',
    order: {
      id: orderId,
      email: 'a@b.c',
      quantity: 1,
      product: { id: 4, name: 'Clock', priceCents: 3200 },
    },
  });
  const signed = async () => {
    const { headers } = await signRequest({ url, body, key: stack.broker.keys.current });
    return fetch(url, {
      method: 'POST',
      body,
      headers: { ...headers, 'content-type': 'application/json' },
    });
  };
  const stockOf4 = async () =>
    (await stack.sql<{ stock: number }>('SELECT stock FROM products WHERE id = 4'))[0]?.stock;
  const before = (await stockOf4()) ?? 0;
  const requestId = randomUUID();

  await server.stop();
  await expectUnavailable(await fetch(`${stack.orders.origin}/orders`));
  await expectUnavailable(await buy(stack, requestId, 4, 1));
  await expectUnavailable(await signed());
  expect(stack.orders.child.exitCode).toBeNull();

  await server.start();
  await eventually(
    'the shop to answer again',
    async () => (await fetch(`${stack.orders.origin}/orders`)).status === 200,
    30_000,
  );
  // The client and the broker send again; each is handled once.
  expect((await buy(stack, requestId, 4, 1)).status).toBe(201);
  expect((await buy(stack, requestId, 4, 1)).status).toBe(200);
  expect(await (await signed()).json()).toEqual({ order: orderId, reserved: true });
  expect(await (await signed()).json()).toEqual({ order: orderId, reserved: 'already handled' });
  expect(await stack.sql('SELECT id FROM orders WHERE request_id = $1', [requestId])).toHaveLength(
    1,
  );
  // The order bought after the restart reserves its own stock through the broker.
  await eventually('both reservations', async () => (await stockOf4()) === before - 2);
  expect(stack.orders.output()).not.toMatch(/Unhandled 'error' event|uncaughtException/);
}, 120_000);
