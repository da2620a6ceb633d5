// The order demo across both services (apps/orders and apps/mailer), as `pnpm dev` wires them:
// purchase → URL group fan-out → inventory + mailer → callbacks → delivery states, for real.
import { randomUUID } from 'node:crypto';
import { signRequest } from '@signet/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, scriptedReceiver, startStack } from './orders-stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

interface DeliveryRow {
  url: string;
  state: string;
  status: number | null;
  retried: number;
  dlq_id: string | null;
}

function buy(requestId: string, productId = 1, quantity = 2) {
  return fetch(`${stack.orders.origin}/api/purchase`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': requestId },
    body: JSON.stringify({ productId, quantity, email: 'ada@example.com' }),
  });
}

const deliveriesOf = (orderId: number) =>
  stack.sql<DeliveryRow>(
    'SELECT url, state, status, retried, dlq_id FROM deliveries WHERE order_id = $1 ORDER BY url',
    [orderId],
  );
const settled = async (orderId: number, count: number) => {
  let rows: DeliveryRow[] = [];
  try {
    // Up to four attempts and their callbacks, with backoff: allow for a busy machine.
    return await eventually(
      `order ${orderId}'s deliveries to settle`,
      async () => {
        rows = await deliveriesOf(orderId);
        return (
          rows.length === count &&
          rows.every((row) => row.state === 'delivered' || row.state === 'failed') &&
          rows
        );
      },
      { timeoutMs: 45_000 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(rows)}`);
  }
};
const ordersPage = async () => (await fetch(`${stack.orders.origin}/orders`)).text();

describe('a purchase', () => {
  let orderId: number;

  it('reaches inventory and the mailer once each, even when the purchase request is sent three times', async () => {
    const [stock] = await stack.sql<{ stock: number }>('SELECT stock FROM products WHERE id = 1');
    const requestId = randomUUID();
    const first = await buy(requestId);
    expect(first.status).toBe(201);
    const body = (await first.json()) as { orderId: number; messages: { messageId: string }[] };
    orderId = body.orderId;
    expect(body.messages).toHaveLength(2);
    // The client did not see the answer and tries again, twice (once concurrently).
    const again = await Promise.all([buy(requestId), buy(requestId)]);
    for (const response of again) {
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ orderId, repeated: true });
    }

    await settled(orderId, 2);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a duplicate to show up
    expect(
      await stack.sql('SELECT id FROM orders WHERE request_id = $1', [requestId]),
    ).toHaveLength(1);
    expect(
      await stack.sql('SELECT * FROM reservations WHERE order_id = $1', [orderId]),
    ).toHaveLength(1);
    const [after] = await stack.sql<{ stock: number }>('SELECT stock FROM products WHERE id = 1');
    expect(after?.stock).toBe((stock?.stock ?? 0) - 2);
    expect(
      await stack.sql("SELECT * FROM outbox WHERE order_id = $1 AND kind = 'receipt'", [orderId]),
    ).toHaveLength(1);
  });

  it('is marked delivered for each service by the delivery callbacks', async () => {
    const rows = await deliveriesOf(orderId);
    // By path: the two apps' ports, and so their URLs' order, differ from run to run.
    const byPath = rows
      .map((row) => [new URL(row.url).pathname, row.state, row.status])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byPath).toEqual([
      ['/hooks/inventory', 'delivered', 200],
      ['/hooks/order-placed', 'delivered', 200],
    ]);
    const html = await ordersPage();
    const row = html.slice(html.indexOf(`id="order-${orderId}"`));
    expect(row.slice(0, row.indexOf('</tr>')).match(/data-state="delivered"/g)).toHaveLength(2);
  });

  it('gets its review reminder 3 days later, or now with the dev server’s "deliver now"', async () => {
    const reminders = () =>
      stack.sql("SELECT * FROM outbox WHERE order_id = $1 AND kind = 'review'", [orderId]);
    expect(await reminders()).toHaveLength(0);
    const response = await fetch(`${stack.broker.url}/v2/dev/deliver-now`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.broker.token}` },
    });
    expect(response.ok).toBe(true);
    await eventually('the review reminder', async () => (await reminders()).length === 1);
  });

  it('rejects an invalid purchase with 422 and publishes nothing', async () => {
    const response = await fetch(`${stack.orders.origin}/api/purchase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: 1, quantity: 0, email: 'nope' }),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('receivers that fail', () => {
  it('ends delivered after a receiver fails twice then succeeds (retries)', async () => {
    const flaky = await scriptedReceiver([500, 503, 200]);
    await stack.qstash.urlGroups.addEndpoints({
      name: stack.group,
      endpoints: [{ name: 'flaky', url: flaky.url }],
    });
    try {
      const { orderId } = (await (await buy(randomUUID(), 3, 1)).json()) as { orderId: number };
      const rows = await settled(orderId, 3);
      expect(rows.find((row) => row.url === flaky.url)).toMatchObject({
        state: 'delivered',
        status: 200,
        retried: 2,
      });
      expect(flaky.attempts()).toBe(3);
    } finally {
      await stack.qstash.urlGroups.removeEndpoints({
        name: stack.group,
        endpoints: [{ url: flaky.url }],
      });
      await flaky.close();
    }
  });

  it('ends in the dead letters when a receiver always fails, and the order page shows it', async () => {
    const broken = await scriptedReceiver([500]);
    await stack.qstash.urlGroups.addEndpoints({
      name: stack.group,
      endpoints: [{ name: 'broken', url: broken.url }],
    });
    try {
      const { orderId } = (await (await buy(randomUUID(), 3, 1)).json()) as { orderId: number };
      const rows = await settled(orderId, 3);
      const failed = rows.find((row) => row.url === broken.url);
      expect(failed).toMatchObject({ state: 'failed', status: 500 });
      expect(failed?.dlq_id).toBeTruthy();
      const { messages } = await stack.qstash.dlq.listMessages();
      expect(messages.map((message) => message.dlqId)).toContain(failed?.dlq_id);
      expect(await ordersPage()).toContain('failed: in the dead letters');
    } finally {
      await stack.qstash.urlGroups.removeEndpoints({
        name: stack.group,
        endpoints: [{ url: broken.url }],
      });
      await broken.close();
    }
  });
});

describe('delivery callbacks', () => {
  it('never move a delivery back: reports arriving late or together leave the final state', async () => {
    const { orderId } = (await (await buy(randomUUID(), 3, 1)).json()) as { orderId: number };
    await settled(orderId, 2);
    const sourceMessageId = `msg_race_${randomUUID().slice(0, 8)}`;
    const sourceBody = Buffer.from(
      JSON.stringify({ type: 'order.placed', order: { id: orderId } }),
    ).toString('base64');
    const report = async (state: 'failed' | 'retrying', retried: number) => {
      const url = `${stack.orders.origin}/hooks/delivery${state === 'failed' ? '?outcome=failed' : ''}`;
      const body = JSON.stringify({
        status: 500,
        retried,
        sourceMessageId,
        url: 'http://x.test/hook',
        sourceBody,
        ...(state === 'failed' && { dlqId: 'dlq_1' }),
      });
      const { headers } = await signRequest({ url, body, key: stack.broker.keys.current });
      return fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      });
    };
    // Together, many times over: whatever the interleaving, the failure wins.
    await Promise.all([
      report('failed', 3),
      ...Array.from({ length: 10 }, (_, i) => report('retrying', i % 4)),
    ]);
    const [row] = await stack.sql<DeliveryRow>(
      'SELECT url, state, status, retried, dlq_id FROM deliveries WHERE message_id = $1',
      [sourceMessageId],
    );
    expect(row).toMatchObject({ state: 'failed', retried: 3, dlq_id: 'dlq_1' });
    // And late.
    expect(await (await report('retrying', 3)).json()).toEqual({
      recorded: 'older report ignored',
    });
  });
});
