// Payments arrive as Stripe webhooks: the same `signature()` from @signet/express that guards the
// broker's hooks, with `provider: stripe(...)`. A succeeded payment for an order sends the event
// its fulfilment run waits for. The Pay button on the orders page stands in for Stripe's checkout:
// it posts the event Stripe would send, signed with the endpoint's secret, to this same route.
import { postgresReplayStore, stripe } from '@signet/core';
import { signStripeWebhook } from '@signet/core/testing';
import { signature } from '@signet/express';
import type { Client as WorkflowClient } from '@upstash/workflow';
import { eq } from 'drizzle-orm';
import { type Request, Router } from 'express';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db.ts';
import { type Payment, paymentEvent } from './fulfilment.ts';
import { Problem } from './problem.ts';
import { orders } from './schema.ts';

export const STRIPE_PATH = '/webhooks/stripe';

/** The part of a Stripe event this shop reads. */
export interface StripeEvent {
  id: string;
  type: string;
  data: {
    object: { id: string; amount?: number; currency?: string; metadata?: { orderId?: string } };
  };
}

export function payments(
  { db, sql: client }: DatabaseHandle,
  workflow: WorkflowClient,
  secret: string,
): Router {
  const router = Router();
  router.use(
    signature({
      provider: stripe({ secret }),
      // Stripe signs a timestamp, not the URL: a captured event verifies for five minutes, and
      // the replay store accepts each signed request once within them.
      replay: postgresReplayStore(client, { table: 'signet_replay_stripe' }),
      onError: (error, req: Request) =>
        console.warn(`[orders] refused ${req.method} ${req.originalUrl}: ${error.code}`),
    }),
  );
  router.post('/', async (req, res) => {
    const event = req.body as StripeEvent;
    if (event.type !== 'payment_intent.succeeded') {
      res.json({ received: true, ignored: event.type });
      return;
    }
    const orderId = Number(event.data?.object?.metadata?.orderId);
    const [order] = Number.isSafeInteger(orderId)
      ? await db.select().from(orders).where(eq(orders.id, orderId))
      : [];
    if (!order) {
      // Stripe retries anything but a 2xx; a payment for no order of ours will never succeed.
      res.json({ received: true, ignored: 'no such order' });
      return;
    }
    if (!order.runId) {
      // Its run has not started (the trigger failed; it starts when the purchase is sent
      // again): a 503 makes Stripe deliver the event again later.
      throw new Problem(503, 'The order is not ready for payment yet; send the event again.');
    }
    // Placed (the run has not reached its wait yet) or awaiting payment: tell the run.
    if (order.fulfilment === 'placed' || order.fulfilment === 'awaiting payment') {
      const payment: Payment = { method: 'stripe', reference: event.data.object.id };
      // Sent to the order's run by id: a payment can come before the run has reached its wait
      // (it marks the order as awaiting payment one step earlier), and then the broker keeps
      // the event for it instead of dropping it.
      await workflow.notify({
        eventId: paymentEvent(order.id),
        eventData: payment,
        workflowRunId: order.runId,
      });
    }
    res.json({ received: true, order: order.id });
  });
  return router;
}

/** The event Stripe sends once a payment for `orderId` (of `amountCents`, when known) succeeded. */
export function paymentSucceeded(orderId: number, amountCents?: number): StripeEvent {
  const suffix = crypto.randomUUID().replaceAll('-', '').slice(0, 24);
  return {
    id: `evt_${suffix}`,
    type: 'payment_intent.succeeded',
    data: {
      object: {
        id: `pi_${suffix}`,
        ...(amountCents !== undefined && { amount: amountCents, currency: 'eur' }),
        metadata: { orderId: String(orderId) },
      },
    },
  };
}

/** What the Pay button does in place of Stripe: post the signed event to our own webhook. */
export async function sendPayment(config: Config, secret: string, event: StripeEvent) {
  const body = JSON.stringify(event);
  const headers = await signStripeWebhook({ secret, body });
  const response = await fetch(`${config.appUrl}${STRIPE_PATH}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}
