// The fulfilment workflow, driven by the real `@upstash/workflow` serve on `signet dev`: a
// purchase starts one run per order, the run waits for the payment event, ships, sleeps, asks for
// a review; an unpaid order is given up when its window closes; nothing unsigned runs a step.
import { randomUUID } from 'node:crypto';
import { signRequest } from '@signet/core/testing';
import { Client as WorkflowClient } from '@upstash/workflow';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, type Stack, startStack } from './stack.ts';
import { createTestDatabase, dropTestDatabase, eventually } from './support.ts';

const STRIPE_WEBHOOK_SECRET = 'whsec_orders_fulfilment_test';
const stripe = new Stripe('sk_test_unused');
let stack: Stack;
let databaseUrl: string;
let workflow: WorkflowClient;
beforeAll(async () => {
  databaseUrl = await createTestDatabase('orders_fulfilment');
  stack = await startStack(databaseUrl, {
    PAYMENT_WINDOW: '3s',
    REVIEW_AFTER: '2s',
    STRIPE_WEBHOOK_SECRET,
  });
  workflow = new WorkflowClient({ baseUrl: stack.broker.url, token: stack.broker.token });
});
afterAll(async () => {
  await stack?.close();
  await dropTestDatabase(databaseUrl);
});

const fulfilmentOf = async (orderId: number) =>
  (
    await stack.sql<{ fulfilment: string; run_id: string | null }>(
      'SELECT fulfilment, run_id FROM orders WHERE id = $1',
      [orderId],
    )
  )[0];

const until = (orderId: number, state: string | RegExp) =>
  eventually(`order ${orderId}: ${state}`, async () => {
    const row = await fulfilmentOf(orderId);
    return row &&
      (typeof state === 'string' ? row.fulfilment === state : state.test(row.fulfilment))
      ? row
      : undefined;
  });

const pay = (orderId: number) =>
  fetch(`${stack.orders.origin}/orders/${orderId}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });

/** A `payment_intent.succeeded` for the order, signed by Stripe's own test helper. */
function stripeEvent(orderId: number, options: { secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify({
    id: `evt_${randomUUID().slice(0, 8)}`,
    type: 'payment_intent.succeeded',
    data: { object: { id: `pi_${orderId}`, metadata: { orderId: String(orderId) } } },
  });
  const header = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? STRIPE_WEBHOOK_SECRET,
    ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
  });
  return { payload, header };
}

const postStripe = (payload: string, header: string | undefined) =>
  fetch(`${stack.orders.origin}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header && { 'stripe-signature': header }) },
    body: payload,
  });

describe('the fulfilment workflow', () => {
  it('reserves, waits for payment, ships, sleeps, then asks for a review: one run per order', async () => {
    const requestId = randomUUID();
    const response = await buy(stack, requestId, 1, 1);
    const { orderId } = (await response.json()) as { orderId: number };
    const waiting = await until(orderId, 'awaiting payment');
    expect(waiting.run_id).toBe(`wfr_order-${orderId}`);
    // The same purchase sent again starts no second run.
    expect((await buy(stack, requestId, 1, 1)).status).toBe(200);

    const paid = await pay(orderId);
    expect(paid.status).toBe(202);
    await until(orderId, 'shipped (stripe)');
    // Paying twice is refused: the run no longer waits.
    expect((await pay(orderId)).status).toBe(409);
    await until(orderId, 'review requested');

    // The last step's write lands before the run's end reaches the broker: wait for the end.
    const runs = await eventually('the run to succeed', async () => {
      const { runs } = await workflow.logs({ workflowRunId: `wfr_order-${orderId}` });
      return runs[0]?.workflowState === 'RUN_SUCCESS' ? runs : undefined;
    });
    expect(runs).toHaveLength(1);
    // The return value, stringified as the SDK documents it.
    expect(JSON.parse(runs[0]?.workflowRunResponse ?? 'null')).toBe('fulfilled');
    const steps = runs[0]?.steps.flatMap((group) =>
      group.type === 'next' ? [] : group.steps.map((step) => step.stepName),
    );
    expect(steps).toEqual([
      'init',
      'reserve stock',
      'wait for payment',
      'ship',
      'wait before asking for a review',
      'ask for a review',
    ]);
    // The stock was taken once, although the URL group's inventory hook reserves it too.
    const [reservation] = await stack.sql<{ reserved: number }>(
      'SELECT reserved FROM reservations WHERE order_id = $1',
      [orderId],
    );
    expect(reservation?.reserved).toBe(1);
  });

  it('gives an unpaid order up when its payment window closes', async () => {
    const { orderId } = (await (await buy(stack, randomUUID(), 3, 1)).json()) as {
      orderId: number;
    };
    await until(orderId, 'awaiting payment');
    await until(orderId, 'unpaid');
    expect((await pay(orderId)).status).toBe(409);
  });

  it('runs no step for a trigger the broker did not sign, or signed for another URL', async () => {
    const { orderId } = (await (await buy(stack, randomUUID(), 3, 1)).json()) as {
      orderId: number;
    };
    await until(orderId, 'awaiting payment');
    const url = `${stack.orders.origin}/workflows/fulfil`;
    // A forged "payment arrived" step: the run's history with the event in it, unsigned…
    const body = JSON.stringify({ orderId });
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'upstash-workflow-runid': `wfr_order-${orderId}`,
      },
      body,
    });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    // …or signed with the broker's key for some other app's URL.
    const { headers } = await signRequest({
      url: 'https://elsewhere.example/workflows/fulfil',
      body,
      key: stack.broker.keys.current,
    });
    const foreign = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    expect((await fulfilmentOf(orderId))?.fulfilment).toBe('awaiting payment');
  });

  it('records a run that failed, reported to the Signet-guarded failure URL', async () => {
    const url = `${stack.orders.origin}/hooks/fulfilment-failed`;
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unsigned.status).toBe(401);
    const { orderId } = (await (await buy(stack, randomUUID(), 3, 1)).json()) as {
      orderId: number;
    };
    await until(orderId, 'awaiting payment');
    const report = JSON.stringify({
      status: 500,
      workflowRunId: `wfr_order-${orderId}`,
      sourceBody: Buffer.from(JSON.stringify({ orderId })).toString('base64'),
    });
    const signed = await signRequest({ url, body: report, key: stack.broker.keys.current });
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...signed.headers, 'content-type': 'application/json' },
      body: report,
    });
    expect(response.status).toBe(200);
    expect((await fulfilmentOf(orderId))?.fulfilment).toBe('failed (status 500)');
  });
});

describe('payments from Stripe', () => {
  it('ship an order once a Stripe event signed with the webhook secret says it is paid', async () => {
    const { orderId } = (await (await buy(stack, randomUUID(), 3, 1)).json()) as {
      orderId: number;
    };
    await until(orderId, 'awaiting payment');
    const { payload, header } = stripeEvent(orderId);
    const response = await postStripe(payload, header);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, order: orderId });
    await until(orderId, 'shipped (stripe)');
    // The same signed request again is refused: each is accepted once.
    const replayed = await postStripe(payload, header);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ code: 'REPLAYED' });
  });

  it('ship an order paid before its run reached the wait (the broker keeps the event for the run)', async () => {
    const { orderId } = (await (await buy(stack, randomUUID(), 3, 1)).json()) as {
      orderId: number;
    };
    // At once: the run is at most reserving stock.
    const { payload, header } = stripeEvent(orderId);
    const response = await postStripe(payload, header);
    expect(response.status).toBe(200);
    await until(orderId, 'shipped (stripe)');
  });

  it('refuse an unsigned, forged, tampered or stale event with 401 problem+json, and ship nothing', async () => {
    const { orderId } = (await (await buy(stack, randomUUID(), 3, 1)).json()) as {
      orderId: number;
    };
    await until(orderId, 'awaiting payment');
    const genuine = stripeEvent(orderId);
    const guessed = stripeEvent(orderId, { secret: 'whsec_guess' });
    const stale = stripeEvent(orderId, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    const refusals: [string, Response][] = [
      ['SIGNATURE_MISSING', await postStripe(genuine.payload, undefined)],
      ['SIGNATURE_INVALID', await postStripe(guessed.payload, guessed.header)],
      [
        'SIGNATURE_INVALID',
        await postStripe(genuine.payload.replace('succeeded', 'canceled!'), genuine.header),
      ],
      ['TOKEN_EXPIRED', await postStripe(stale.payload, stale.header)],
    ];
    for (const [code, response] of refusals) {
      expect(response.status, code).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((await response.json()) as { code: string }).toMatchObject({ code });
    }
    expect((await fulfilmentOf(orderId))?.fulfilment).toBe('awaiting payment');
    await eventually('the refusals in the log', async () =>
      stack.orders.output().includes('refused POST /webhooks/stripe: SIGNATURE_INVALID'),
    );
  });
});
